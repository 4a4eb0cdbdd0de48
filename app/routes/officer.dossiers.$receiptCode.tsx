import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import * as z from "zod";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { parseReceiptCode } from "~/core/dossiers/receipt-code";
import { availableActions, isTransitionName, statusName, TRANSITIONS } from "~/core/dossiers/status";
import { issueResult } from "~/server/delivery.server";
import { notFound, requireOfficer } from "~/server/guards.server";
import { getT } from "~/server/i18n.server";
import { getAgencyDossier } from "~/server/officer.server";
import { paymentState } from "~/server/payments.server";
import { applyTransition } from "~/server/workflow.server";
import { formatDate, formatDateTime, formatVnd, pickLang } from "~/utils/format";

const ActionSchema = z.object({
  action: z.string().refine(isTransitionName),
  version: z.coerce.number().int().positive(),
  reason: z.string().trim().max(1000).optional(),
});

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

function load(receiptCodeParam: string | undefined, agencyPath: string) {
  const receiptCode = parseReceiptCode(receiptCodeParam ?? "");
  const found = receiptCode ? getAgencyDossier({ receiptCode, agencyPath }) : undefined;
  if (!found || !receiptCode) notFound();
  return { ...found, receiptCode };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request);
  const { dossier, procedure, agency, receiptCode } = load(params.receiptCode, officer.agencyPath);
  const t = await getT(request);
  const payment = paymentState(dossier.id);
  const actions = availableActions("officer", dossier.status).map((name) => ({ name, reason: TRANSITIONS[name].reason }));
  return {
    title: t("officer.dossier_title", { code: receiptCode }),
    receiptCode,
    status: dossier.status,
    version: dossier.version,
    channel: dossier.channel,
    deliveryMode: dossier.deliveryMode,
    applicantName: dossier.applicantName,
    submittedAt: dossier.submittedAt?.toISOString() ?? null,
    dueOn: dossier.dueOn,
    procedure: { nameVi: procedure.nameVi, nameEn: procedure.nameEn },
    agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
    payment: payment ? { totalVnd: payment.due.totalVnd, required: payment.required, paid: payment.paid !== null } : null,
    actions,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const officer = await requireOfficer(request);
  const { dossier, receiptCode } = load(params.receiptCode, officer.agencyPath);
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "officer.errors.bad_request" }, { status: 400 });
  const action = parsed.data.action;
  if (!isTransitionName(action)) return data({ error: "officer.errors.bad_request" }, { status: 400 });
  const actor = { id: officer.id, role: "officer" as const, agencyPath: officer.agencyPath };
  const outcome =
    action === "issueResult"
      ? await issueResult({ dossierId: dossier.id, actor, expectedVersion: parsed.data.version, origin: new URL(request.url).origin })
      : applyTransition({ dossierId: dossier.id, action, actor, reason: parsed.data.reason, expectedVersion: parsed.data.version });
  if (!outcome.ok) {
    if (outcome.error === "not_found") notFound();
    return data({ error: `officer.errors.${outcome.error}` }, { status: outcome.error === "conflict" ? 409 : 400 });
  }
  return redirect(`/officer/dossiers/${receiptCode}`);
}

export default function OfficerDossier() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <p>
        <Link to="/officer">{t("officer.back_to_queue")}</Link>
      </p>
      <h1>{t("officer.dossier_title", { code: d.receiptCode })}</h1>
      <ErrorSummary errors={result?.error ? [{ message: t(result.error) }] : []} />
      <SummaryList
        rows={[
          { label: t("receipt.procedure"), value: pickLang(d.procedure.nameVi, d.procedure.nameEn, lang) },
          { label: t("receipt.agency"), value: pickLang(d.agency.nameVi, d.agency.nameEn, lang) },
          { label: t("receipt.applicant"), value: d.applicantName ?? "—" },
          { label: t("officer.channel"), value: t(`officer.channel_${d.channel}`) },
          { label: t("receipt.submitted_at"), value: d.submittedAt ? formatDateTime(d.submittedAt, lang) : "—" },
          { label: t("receipt.appointment"), value: d.dueOn ? formatDate(d.dueOn, lang) : "—" },
          { label: t("receipt.status"), value: t(`status.${statusName(d.status)}`) },
          { label: t("receipt.delivery"), value: d.deliveryMode ? t(`delivery.${d.deliveryMode}`) : "—" },
          {
            label: t("pay.section_title"),
            value: !d.payment || !d.payment.required ? t("officer.no_payment_needed") : d.payment.paid ? t("officer.paid", { amount: formatVnd(d.payment.totalVnd, lang) }) : t("officer.unpaid", { amount: formatVnd(d.payment.totalVnd, lang) }),
          },
        ]}
      />
      <h2>{t("officer.actions_title")}</h2>
      {d.actions.length === 0 ? <p>{t("officer.no_actions")}</p> : null}
      {d.actions.map((a) => (
        <Form method="post" key={a.name} className="officer-action">
          <input type="hidden" name="action" value={a.name} />
          <input type="hidden" name="version" value={d.version} />
          {a.reason ? (
            <div className="form-group">
              <label htmlFor={`reason-${a.name}`}>{t("officer.reason_for", { action: t(`officer.action_${a.name}`) })}</label>
              <textarea id={`reason-${a.name}`} name="reason" rows={2} required />
            </div>
          ) : null}
          <button type="submit" className={a.reason ? "button button--warning" : "button"}>
            {t(`officer.action_${a.name}`)}
          </button>
        </Form>
      ))}
    </>
  );
}
