import { AUTHORISATION_FIELD } from "~/core/dossiers/representation";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { AnswerText } from "~/components/answer-value";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { VerifiedMark } from "~/components/verified-mark";
import { OfficerTransitionSchema } from "~/core/dossiers/officer-actions";
import { statusName } from "~/core/dossiers/status";
import { allFields } from "~/core/forms/definition";
import { localText } from "~/core/text/local-text";
import { ResultSummary } from "~/components/result-summary";
import { requireOfficer } from "~/server/auth/guards.server";
import { found, notFound } from "~/server/platform/http.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { agencyDossierByParam, officerDossierPage } from "~/server/dossiers/officer-dossier.server";
import { applyTransition, issueApology } from "~/server/dossiers/workflow.server";
import { formatDate, formatDateTime, formatVnd, parseDate, pickLang } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";
import { TextWithCode } from "~/components/receipt-code";
import { DateField } from "~/components/date-field";

const ApologySchema = z.object({
  intent: z.literal("apology"),
  version: z.coerce.number().int().positive(),
  // Typed day/month/year, as every date of the portal (decision 017); kept as ISO.
  newDate: z.string().transform((text, ctx) => {
    const parsed = parseDate(text);
    if (parsed.ok) return parsed.date;
    ctx.addIssue({ code: "custom", message: "officer.errors.date_invalid" });
    return z.NEVER;
  }),
  message: z.string().trim().min(1, "officer.errors.message_required").max(2000, "officer.errors.reason_too_long"),
});
const OfficerActionSchema = z.discriminatedUnion("intent", [OfficerTransitionSchema, ApologySchema]);

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:read");
  // The full personal data is shown only when asked for, and every time it is, the log records who.
  const full = new URL(request.url).searchParams.get("view") === "full";
  const page = found(await officerDossierPage({ receiptCode: params.receiptCode, officer, full, language: await getLanguage(request) }));
  const t = await getT(request);
  return { title: t("officer.dossier_title", { code: page.receiptCode }), ...page };
}

type ActionError = { error: string; fieldId?: string };

export async function action({ request, params }: ActionFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:process");
  const { dossier, receiptCode } = found(await agencyDossierByParam(params.receiptCode, officer.agencyPath));
  const form = await requireFormData(request);
  const parsed = OfficerActionSchema.safeParse({ ...Object.fromEntries(form), items: form.getAll("items") });
  if (!parsed.success) {
    const issue = parsed.error.issues.find((i) => i.message.startsWith("officer.")) ?? parsed.error.issues[0];
    const key = issue && issue.message.startsWith("officer.") ? issue.message : "officer.errors.bad_request";
    const field = issue?.path[0];
    return data<ActionError>(
      { error: key, fieldId: field === "newDate" ? "apology-date" : field === "message" ? "apology-message" : undefined },
      { status: 400 },
    );
  }
  const actor = { id: officer.id, role: "officer" as const, agencyPath: officer.agencyPath };
  const input = parsed.data;
  if (input.intent === "apology") {
    const outcome = await issueApology({ dossierId: dossier.id, actor, newDate: input.newDate, message: input.message, expectedVersion: input.version });
    if (!outcome.ok) {
      if (outcome.error === "not_found") notFound();
      return data<ActionError>(
        { error: `officer.errors.${outcome.error}`, fieldId: outcome.error === "conflict" || outcome.error === "not_running" ? undefined : "apology-date" },
        { status: outcome.error === "conflict" ? 409 : 400 },
      );
    }
    return redirect(`/officer/dossiers/${receiptCode}?done=apology`);
  }
  const action = input.action;
  // The result itself comes only from its own page (officer.dossiers.$receiptCode_.$move.tsx): here it is missing.
  const outcome = await applyTransition({
    dossierId: dossier.id,
    action,
    actor,
    reason: input.reason,
    expectedVersion: input.version,
    supplementItems: input.items,
  });
  if (!outcome.ok) {
    if (outcome.error === "not_found") notFound();
    const fieldId =
      outcome.error === "reason_required"
        ? `reason-${action}`
        : outcome.error === "items_required" || outcome.error === "items_unknown"
          ? "supplement-items"
          : undefined;
    return data<ActionError>({ error: `officer.errors.${outcome.error}`, fieldId }, { status: outcome.error === "conflict" ? 409 : 400 });
  }
  return redirect(`/officer/dossiers/${receiptCode}?done=${action}`);
}

export default function OfficerDossier() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const done = params.get("done");
  const fields = d.definition ? allFields(d.definition).filter((f) => !d.hidden.includes(f.name)) : [];
  const labelOf = (name: string) => {
    const f = fields.find((x) => x.name === name);
    if (name === AUTHORISATION_FIELD) return t("representation.officer.authorisation");
    return f ? localText(f.label, lang) : name;
  };
  const deadlineText = d.deadline.dueOn ? formatDate(d.deadline.dueOn, lang) : "—";
  return (
    <>
      <p>
        <Link to="/officer">{t("officer.back_to_queue")}</Link>
      </p>
      <h1>
        <TextWithCode text={t("officer.dossier_title", { code: d.receiptCode })} code={d.receiptCode} />
      </h1>
      {done === "intake" ? (
        <p className="notice" role="status">
          {t("intake.done")}
        </p>
      ) : null}
      {done === "refuse" || done === "stop" || done === "issueResult" || done === "returnResult" ? (
        <p className="notice" role="status">
          {t(`officer.done_${done}`)}
        </p>
      ) : null}
      <ErrorSummary errors={result?.error ? [{ message: t(result.error), fieldId: result.fieldId }] : []} />
      {d.deadline.state === "overdue" || d.deadline.state === "soon" ? (
        <p className={`deadline-badge deadline-badge--${d.deadline.state}`}>{t(`officer.due_${d.deadline.state}`)}</p>
      ) : null}
      <SummaryList
        rows={[
          { label: t("receipt.procedure"), value: pickLang(d.procedure.nameVi, d.procedure.nameEn, lang) },
          { label: t("receipt.agency"), value: pickLang(d.agency.nameVi, d.agency.nameEn, lang) },
          { label: t("receipt.applicant"), value: d.applicantName ?? "—" },
          ...(d.forWhom.onBehalf !== "self"
            ? [
                {
                  label: t("representation.officer.heading"),
                  value: `${t("representation.filed_by_for", {
                    filer: d.applicantName ?? "—",
                    subject: d.forWhom.subjectName ?? "",
                    capacity: t(`representation.capacity.${d.forWhom.onBehalf}`),
                  })}${d.forWhom.subjectId ? ` — ${d.forWhom.subjectId}` : ""}`,
                },
              ]
            : []),
          { label: t("officer.cccd"), value: d.contact.cccd ?? "—" },
          { label: t("officer.phone"), value: d.contact.phone ?? "—" },
          { label: t("officer.email"), value: d.contact.email ?? "—" },
          { label: t("officer.channel"), value: t(`officer.channel_${d.channel}`) },
          { label: t("receipt.submitted_at"), value: d.submittedAt ? formatDateTime(d.submittedAt, lang) : "—" },
          { label: t("receipt.appointment"), value: deadlineText },
          ...(d.deadline.rescheduledOn ? [{ label: t("officer.rescheduled_on"), value: formatDate(d.deadline.rescheduledOn, lang) }] : []),
          ...(d.deadline.pausedSince
            ? [{ label: t("officer.clock"), value: t("officer.clock_paused_since", { when: formatDateTime(d.deadline.pausedSince, lang) }) }]
            : []),
          ...(d.deadline.pausedDays > 0 ? [{ label: t("officer.paused_days"), value: String(d.deadline.pausedDays) }] : []),
          ...(d.deadline.timeliness ? [{ label: t("officer.timeliness"), value: t(`officer.timeliness_${d.deadline.timeliness}`) }] : []),
          { label: t("receipt.status"), value: t(`status.${statusName(d.status)}`) },
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

      {d.result ? (
        <section aria-labelledby="result-title">
          <h2 id="result-title">{t("officer.result_title")}</h2>
          <ResultSummary result={d.result} />
        </section>
      ) : null}

      <h2>{t("officer.dossier_content")}</h2>
      {d.full && d.answers ? (
        <>
          <SummaryList
            rows={fields
              .filter((f) => f.type !== "file")
              .map((f) => ({
                label: localText(f.label, lang),
                value: (
                  <>
                    <AnswerText field={f} value={d.answers?.[f.name]} />
                    {d.verified.includes(f.name) ? (
                      <>
                        {" "}
                        <VerifiedMark />
                      </>
                    ) : null}
                  </>
                ),
              }))}
          />
          <h3>{t("receipt.attachments")}</h3>
          {d.attachments.length === 0 ? (
            <p>{t("form.not_given")}</p>
          ) : (
            <ul>
              {d.attachments.map((a) => (
                <li key={a.id}>
                  {labelOf(a.fieldName)}: <a href={`/officer/attachments/${a.id}`}>{a.fileName}</a>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : (
        <Form method="get">
          <input type="hidden" name="view" value="full" />
          <p className="hint">{t("officer.full_view_notice")}</p>
          <button type="submit" className="button button--secondary">
            {t("officer.full_view")}
          </button>
        </Form>
      )}

      {d.supplements.length > 0 ? (
        <>
          <h2>{t("officer.supplements_title")}</h2>
          <ul className="supplement-history">
            {d.supplements.map((s) => (
              <li key={s.id}>
                <p>
                  {formatDateTime(s.requestedAt, lang)} — {s.message}
                </p>
                <p>{t("officer.supplement_items", { items: s.items.map(labelOf).join("; ") })}</p>
                <p>{s.answeredAt ? t("officer.supplement_answered", { when: formatDateTime(s.answeredAt, lang) }) : t("officer.supplement_waiting")}</p>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>{t("officer.actions_title")}</h2>
      {d.actions.length === 0 ? <p>{t("officer.no_actions")}</p> : null}
      {d.actions
        .filter((a) => a.confirmAt === null)
        .map((a) => (
          <Form method="post" key={a.name} className="officer-action">
            <input type="hidden" name="intent" value="transition" />
            <input type="hidden" name="action" value={a.name} />
            <input type="hidden" name="version" value={d.version} />
            {a.name === "requestSupplement" && fields.length > 0 ? (
              <fieldset className="form-group" id="supplement-items">
                <legend>{t("officer.supplement_choose")}</legend>
                {/* Grouped by the form's sections, where the same label ("Date of birth") can occur twice. */}
                {d.definition?.sections.map((section, i) => (
                  <fieldset key={i} className="checkbox-group">
                    <legend>{localText(section.title, lang)}</legend>
                    {section.fields.map((f) => (
                      <div className="checkbox" key={f.name}>
                        <input type="checkbox" id={`item-${f.name}`} name="items" value={f.name} />
                        <label htmlFor={`item-${f.name}`}>{localText(f.label, lang)}</label>
                      </div>
                    ))}
                  </fieldset>
                ))}
              </fieldset>
            ) : null}
            {a.reason ? (
              <div className="form-group">
                <label htmlFor={`reason-${a.name}`}>
                  {a.name === "requestSupplement" ? t("officer.supplement_message") : t("officer.reason_for", { action: t(`officer.action_${a.name}`) })}
                </label>
                <textarea id={`reason-${a.name}`} name="reason" rows={2} required />
              </div>
            ) : null}
            <button type="submit" className={a.reason ? "button button--warning" : "button"}>
              {t(`officer.action_${a.name}`)}
            </button>
          </Form>
        ))}

      {d.actions.some((a) => a.confirmAt !== null) ? (
        <ul className="officer-confirm-links">
          {d.actions.map((a) =>
            a.confirmAt === null ? null : (
              <li key={a.name}>
                <Link to={a.confirmAt} className={a.name === "issueResult" || a.name === "returnResult" ? "button" : "button button--warning"}>
                  {t(`officer.action_${a.name}`)}
                </Link>
              </li>
            ),
          )}
        </ul>
      ) : null}

      {d.deadline.canApologize ? (
        <Form method="post" className="officer-action">
          <h3>{t("officer.apology_title")}</h3>
          <p className="hint">{t("officer.apology_hint", { due: deadlineText })}</p>
          <input type="hidden" name="intent" value="apology" />
          <input type="hidden" name="version" value={d.version} />
          <DateField
            id="apology-date"
            name="newDate"
            label={t("officer.apology_new_date")}
            hint={t("form.hint_date")}
            value={d.deadline.earliestNewDate}
            required
          />
          <div className="form-group">
            <label htmlFor="apology-message">{t("officer.apology_message")}</label>
            <textarea id="apology-message" name="message" rows={3} required />
          </div>
          <button type="submit" className="button button--warning">
            {t("officer.apology_submit")}
          </button>
        </Form>
      ) : null}

      <h2>{t("officer.history_title")}</h2>
      <ol className="timeline">
        {d.history.map((h, i) => (
          <li key={i}>
            {formatDateTime(h.at, lang)} —{" "}
            {h.type === "apology_issued" ? t("officer.history_apology") : h.toStatus !== null ? t(`status.${statusName(h.toStatus)}`) : h.type}
            {h.actorName ? ` (${h.actorName})` : h.actorRole ? ` (${t(`officer.role_${h.actorRole}`, { defaultValue: h.actorRole })})` : ""}
          </li>
        ))}
      </ol>
    </>
  );
}
