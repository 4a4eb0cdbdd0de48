import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { IssueResultForm, WarningText } from "~/components/issue-result-form";
import { TextWithCode } from "~/components/receipt-code";
import { SummaryList } from "~/components/summary-list";
import { vnDate } from "~/core/calendar/working-days";
import { OfficerTransitionSchema } from "~/core/dossiers/officer-actions";
import { statusName } from "~/core/dossiers/status";
import { checkAttachment, safeFileName } from "~/core/forms/attachments";
import { buildIssueResultSchema, issueResultErrors, issueResultInput, RESULT_FILE_FIELD } from "~/core/results/result-fields";
import { issueResult } from "~/server/results/results.server";
import { requireOfficer } from "~/server/auth/guards.server";
import { found, notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { officerMovePage } from "~/server/dossiers/officer-dossier.server";
import { readForm } from "~/server/platform/upload.server";
import { applyTransition, type TransitionOutcome } from "~/server/dossiers/workflow.server";
import { formatDate, formatDateTime, formatVnd, pickLang } from "~/utils/format";

/**
 * "Check before you act": each irreversible move (refuse, stop, issue the result, hand it over) has
 * this page, which summarises the dossier and says what the move does, and the post from here alone
 * carries `confirmed=yes` (core/dossiers/officer-actions.ts). Issuing the result also takes the
 * result itself: the procedure's result fields, or the signed PDF.
 */
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:process");
  const {
    resultFields,
    dossierId: _id,
    ...page
  } = found(await officerMovePage({ move: params.move, receiptCode: params.receiptCode, agencyPath: officer.agencyPath }));
  const t = await getT(request);
  return {
    ...page,
    title: t(`officer.confirm.title_${page.move}`, { code: page.receiptCode }),
    result: page.move === "issueResult" ? { fields: resultFields, today: vnDate(new Date()) } : null,
  };
}

type ActionAnswer = { error: string | null; errors: Record<string, string>; values: Record<string, string>; source: "fields" | "upload"; reason: string };
const refused = (answer: Partial<ActionAnswer>, status = 400) =>
  data<ActionAnswer>({ error: null, errors: {}, values: {}, source: "fields", reason: "", ...answer }, { status });

/** A refused move's answer: the page's own message for it, 409 for a lost race, 404 when it is not the officer's. */
function outcomeAnswer(outcome: Extract<TransitionOutcome, { ok: false }>, kept: Partial<ActionAnswer>) {
  if (outcome.error === "not_found") notFound();
  if (outcome.error === "reason_required") return refused({ ...kept, errors: { reason: "officer.errors.reason_required" } });
  return refused({ ...kept, error: `officer.errors.${outcome.error}` }, outcome.error === "conflict" ? 409 : 400);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:process");
  const { move, receiptCode, dossierId, resultFields, authorised } = found(
    await officerMovePage({ move: params.move, receiptCode: params.receiptCode, agencyPath: officer.agencyPath }),
  );
  const actor = { id: officer.id, role: "officer" as const, agencyPath: officer.agencyPath };
  const read = await readForm(request);
  if ("error" in read) return refused({ error: "officer.errors.bad_request" });
  const { form, oversized } = read;
  const done = redirect(`/officer/dossiers/${receiptCode}?done=${move}`);

  if (move !== "issueResult") {
    const reason = form.get("reason");
    const kept = { reason: typeof reason === "string" ? reason : "" };
    const parsed = OfficerTransitionSchema.safeParse({
      intent: "transition",
      action: move,
      version: form.get("version"),
      reason: reason ?? undefined,
      confirmed: form.get("confirmed") ?? undefined,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (issue?.path[0] === "reason") return refused({ ...kept, errors: { reason: issue.message } });
      return refused({ ...kept, error: issue?.message.startsWith("officer.") ? issue.message : "officer.errors.bad_request" });
    }
    const outcome = await applyTransition({
      dossierId,
      action: move,
      actor,
      reason: parsed.data.reason,
      expectedVersion: parsed.data.version,
      // Refused at receipt on the authorisation document (decision 036): workflow.server.ts records the check.
      eventData: move === "refuse" && authorised && form.get("ground") === "authorisation" ? { ground: "authorisation" } : undefined,
    });
    return outcome.ok ? done : outcomeAnswer(outcome, kept);
  }

  const fields = resultFields;
  const input = issueResultInput(fields, form);
  const kept: Partial<ActionAnswer> = {
    values: Object.fromEntries(fields.map((f) => [f.name, String(form.get(`values.${f.name}`) ?? "")])),
    source: form.get("source") === "upload" ? "upload" : "fields",
  };
  if (oversized.has(RESULT_FILE_FIELD.name)) return refused({ ...kept, errors: { [RESULT_FILE_FIELD.name]: "form.errors.file_size" } });
  const parsed = buildIssueResultSchema(fields, vnDate(new Date())).safeParse(input);
  if (!parsed.success) return refused({ ...kept, errors: issueResultErrors(parsed.error) });
  let content: Parameters<typeof issueResult>[0]["content"];
  if (parsed.data.source === "upload") {
    const file = form.get(RESULT_FILE_FIELD.name);
    if (!(file instanceof File)) return refused({ ...kept, errors: { [RESULT_FILE_FIELD.name]: "officer.errors.result_file_required" } });
    const bytes = new Uint8Array(await file.arrayBuffer());
    // The PDF is checked by its bytes, like every upload: its name and the browser's type are not trusted.
    const checked = checkAttachment(RESULT_FILE_FIELD, bytes);
    if (!checked.ok) return refused({ ...kept, errors: { [RESULT_FILE_FIELD.name]: checked.error } });
    content = { source: "upload", bytes, fileName: safeFileName(file.name, checked.kind) };
  } else {
    content = { source: "fields", values: parsed.data.values };
  }
  const outcome = await issueResult({ dossierId, actor, content, expectedVersion: parsed.data.version, origin: new URL(request.url).origin });
  return outcome.ok ? done : outcomeAnswer(outcome, kept);
}

export default function ConfirmMove() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const back = `/officer/dossiers/${d.receiptCode}`;
  const warning =
    d.move === "issueResult"
      ? t(`officer.confirm.warning_issueResult_${d.deliveryMode === "online" || d.deliveryMode === "post" ? d.deliveryMode : "counter"}`)
      : t(`officer.confirm.warning_${d.move}`);
  const reasonError = answer?.errors.reason;
  return (
    <>
      <p>
        <Link to={back}>{t("officer.confirm.back")}</Link>
      </p>
      <p className="caption">
        <TextWithCode text={t("officer.confirm.caption", { code: d.receiptCode })} code={d.receiptCode} />
      </p>
      <h1>{t(`officer.confirm.heading_${d.move}`)}</h1>
      {d.move !== "issueResult" ? (
        <ErrorSummary
          errors={[...(answer?.error ? [{ message: t(answer.error) }] : []), ...(reasonError ? [{ fieldId: "reason", message: t(reasonError) }] : [])]}
        />
      ) : null}
      <h2 className="visually-hidden">{t("officer.confirm.summary_title")}</h2>
      <SummaryList
        rows={[
          { label: t("receipt.procedure"), value: `${pickLang(d.procedure.nameVi, d.procedure.nameEn, lang)} (${d.procedure.code})` },
          { label: t("receipt.agency"), value: pickLang(d.agency.nameVi, d.agency.nameEn, lang) },
          { label: t("receipt.applicant"), value: d.applicantName ?? "—" },
          { label: t("receipt.status"), value: t(`status.${statusName(d.status)}`) },
          { label: t("receipt.submitted_at"), value: d.submittedAt ? formatDateTime(d.submittedAt, lang) : "—" },
          { label: t("receipt.appointment"), value: d.dueOn ? formatDate(d.dueOn, lang) : "—" },
          { label: t("receipt.delivery"), value: d.deliveryMode ? t(`delivery.${d.deliveryMode}`) : "—" },
          {
            label: t("pay.section_title"),
            value:
              !d.payment || !d.payment.required
                ? t("officer.no_payment_needed")
                : d.payment.paid
                  ? t("officer.paid", { amount: formatVnd(d.payment.totalVnd, lang) })
                  : t("officer.unpaid", { amount: formatVnd(d.payment.totalVnd, lang) }),
          },
        ]}
      />
      {!d.possible ? (
        <>
          <p className="notice">{t("officer.confirm.not_possible")}</p>
          <p>
            <Link to={back}>{t("officer.confirm.back")}</Link>
          </p>
        </>
      ) : d.move === "issueResult" && d.result ? (
        <IssueResultForm
          fields={d.result.fields}
          today={d.result.today}
          version={d.version}
          values={answer?.values ?? {}}
          source={answer?.source ?? "fields"}
          serverErrors={answer?.errors ?? {}}
          formError={answer?.error ?? null}
          warning={warning}
          cancelTo={back}
          labels={{
            sourceLegend: t("officer.confirm.source_legend"),
            sourceFields: t("officer.confirm.source_fields"),
            sourceUpload: t("officer.confirm.source_upload"),
            fieldsTitle: t("officer.confirm.fields_title"),
            uploadHint: t("officer.confirm.upload_hint", { max: RESULT_FILE_FIELD.maxSizeMb }),
            warning: t("officer.confirm.warning_label"),
            submit: t("officer.confirm.submit_issueResult"),
            cancel: t("officer.confirm.cancel"),
          }}
        />
      ) : (
        <Form method="post" noValidate>
          <input type="hidden" name="version" value={d.version} />
          <input type="hidden" name="confirmed" value="yes" />
          {d.move === "refuse" || d.move === "stop" ? (
            <div className={`form-group${reasonError ? " form-group--error" : ""}`}>
              <label htmlFor="reason">{t(`officer.confirm.reason_${d.move}`)}</label>
              {reasonError ? (
                <span id="reason-error" className="error-message">
                  <span className="visually-hidden">{t("form.error_prefix")} </span>
                  {t(reasonError)}
                </span>
              ) : null}
              <textarea
                id="reason"
                name="reason"
                rows={4}
                required
                aria-describedby={reasonError ? "reason-error" : undefined}
                defaultValue={answer?.reason ?? ""}
              />
            </div>
          ) : null}
          {d.move === "refuse" && d.authorised ? (
            <div className="form-group">
              <div className="choice">
                <input type="checkbox" id="ground-authorisation" name="ground" value="authorisation" />
                <label htmlFor="ground-authorisation">{t("representation.officer.refuse_ground")}</label>
              </div>
            </div>
          ) : null}
          <WarningText label={t("officer.confirm.warning_label")} text={warning} />
          <div className="button-group">
            <button type="submit" className={d.move === "returnResult" ? "button" : "button button--warning"}>
              {t(`officer.confirm.submit_${d.move}`)}
            </button>
            <Link to={back}>{t("officer.confirm.cancel")}</Link>
          </div>
        </Form>
      )}
    </>
  );
}
