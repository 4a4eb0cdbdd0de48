import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { TextWithCode } from "~/components/receipt-code";
import { SummaryList } from "~/components/summary-list";
import { FiledByFor } from "~/components/filed-by-for";
import { fieldErrors } from "~/core/forms/field-errors";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { countAttempts, delayFor, LIMITS, refusedFor, retryAfterSeconds, sleep } from "~/server/auth/attempt-limits.server";
import { parseReceiptCode } from "~/core/dossiers/receipt-code";
import { statusName } from "~/core/dossiers/status";
import { TrackSchema, trackDossier } from "~/server/dossiers/dossiers.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { citizenNotices } from "~/server/dossiers/supplement.server";
import { DossierNotices } from "~/components/dossier-notices";
import { formatDate, formatDateTime, pickLang } from "~/utils/format";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/track");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  return { title: t("track.title") };
}

/**
 * The second factor can be four digits, so guesses are limited (docs/decisions/014-attempt-limits.md):
 * refused per (code, address) and per address; per code only slowed, so the owner still gets in.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await requireFormData(request));
  const code = typeof form.code === "string" ? form.code.slice(0, 40) : "";
  const parsed = TrackSchema.safeParse(form);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return data({ errors, code, found: null }, { status: 400 });
  }
  const receiptCode = parseReceiptCode(parsed.data.code);
  if (!receiptCode) return data({ errors: { code: "track.errors.code_invalid" }, code, found: null }, { status: 400 });
  const address = context.clientIp ?? "unknown";
  const pair = { key: `track:pair:${receiptCode}|${address}`, rule: LIMITS.trackPair };
  const perAddress = { key: `track:addr:${address}`, rule: LIMITS.trackAddress };
  const perCode = { key: `track:code:${receiptCode}`, rule: LIMITS.trackCode };
  const refused = await refusedFor([pair, perAddress]);
  if (refused) {
    const retryAfter = retryAfterSeconds(refused.retryAfterMs);
    return data({ errors: { code: "track.errors.too_many" }, code, found: null }, { status: 429, headers: { "Retry-After": String(retryAfter) } });
  }
  await sleep(await delayFor(perCode.key, perCode.rule));
  const found = await trackDossier({ receiptCode, factor: parsed.data.factor });
  if (!found) {
    await countAttempts([pair, perAddress, perCode]);
    // Unknown code and wrong second factor get the same answer.
    return data({ errors: { code: "track.errors.no_match" }, code, found: null }, { status: 404 });
  }
  const { dossier, procedure, agency, timeline, shipment } = found;
  return {
    errors: {},
    code: receiptCode,
    found: {
      receiptCode,
      status: dossier.status,
      dueOn: dossier.dueOn,
      procedure: { nameVi: procedure.nameVi, nameEn: procedure.nameEn },
      agency: { nameVi: agency.nameVi, nameEn: agency.nameEn },
      timeline: timeline.map((e) => ({ status: e.status, at: e.at.toISOString() })),
      shipment: shipment ? { trackingNumber: shipment.trackingNumber, status: shipment.status, history: shipment.history } : null,
      notices: await citizenNotices(dossier, await getLanguage(request)),
      // A dossier with an account is supplemented online after signing in; a counter one at the counter.
      canAnswerOnline: dossier.applicantId !== null,
      filer: dossier.applicantName ?? "",
      forWhom: { onBehalf: dossier.onBehalf, subjectName: dossier.subjectName },
    },
  };
}

export default function Track() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = result?.errors ?? {};
  const found = result?.found;
  return (
    <>
      <h1>{t("track.title")}</h1>
      <p>{t("track.intro")}</p>
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }))} />
      <Form method="post" noValidate>
        <TextField
          id="code"
          name="code"
          label={t("track.code")}
          hint={t("track.code_hint")}
          autoComplete="off"
          spellCheck={false}
          defaultValue={result?.code ?? params.get("code") ?? ""}
          error={errors.code ? t(errors.code) : undefined}
        />
        <TextField
          id="factor"
          name="factor"
          label={t("track.factor")}
          hint={t("track.factor_hint")}
          autoComplete="off"
          inputMode="numeric"
          error={errors.factor ? t(errors.factor) : undefined}
        />
        <button type="submit" className="button">
          {t("track.submit")}
        </button>
      </Form>
      {found ? (
        <section aria-labelledby="track-result">
          <h2 id="track-result">
            <TextWithCode text={t("track.result_title", { code: found.receiptCode })} code={found.receiptCode} />
          </h2>
          <FiledByFor filer={found.filer} forWhom={found.forWhom} />
          <DossierNotices notices={found.notices} answerHref={found.canAnswerOnline ? `/applications/${found.receiptCode}/supplement` : undefined} />
          <SummaryList
            rows={[
              { label: t("track.procedure"), value: pickLang(found.procedure.nameVi, found.procedure.nameEn, lang) },
              { label: t("track.agency"), value: pickLang(found.agency.nameVi, found.agency.nameEn, lang) },
              { label: t("track.status"), value: t(`status.${statusName(found.status)}`) },
              { label: t("track.due"), value: found.dueOn ? formatDate(found.notices.apology?.newDate ?? found.dueOn, lang) : "—" },
            ]}
          />
          {found.shipment ? (
            <>
              <h3>{t("shipment.title")}</h3>
              <p>
                {t("shipment.tracking_number")}: <strong>{found.shipment.trackingNumber}</strong> — {t(`shipment.${found.shipment.status}`)}
              </p>
              <ol className="timeline" aria-label={t("shipment.title")}>
                {found.shipment.history.map((h, i) => (
                  <li key={i}>
                    {t(`shipment.${h.status}`)} — {formatDateTime(h.at, lang)}
                  </li>
                ))}
              </ol>
            </>
          ) : null}
          <h3>{t("track.timeline")}</h3>
          <ol className="timeline">
            {found.timeline.map((e, i) => (
              <li key={i}>
                <strong>{e.status === null ? "" : t(`status.${statusName(e.status)}`)}</strong> — {formatDateTime(e.at, lang)}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}
