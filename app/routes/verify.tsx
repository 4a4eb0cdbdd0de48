import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { TextField } from "~/components/text-field";
import { verifyResult, type Verification } from "~/server/results/results.server";
import { getT } from "~/server/platform/i18n.server";
import { readForm } from "~/server/platform/upload.server";
import { formatDateTime, pickLang } from "~/utils/format";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/verify");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

type Shown =
  | {
      status: "authentic";
      code: string;
      procedure: { vi: string; en: string | null };
      agency: { vi: string; en: string | null };
      issuedAt: string;
      holder: string;
    }
  | { status: "altered"; code: string }
  | { status: "unknown" }
  | null;

function show(v: Verification): Shown {
  return v.status === "authentic"
    ? {
        status: "authentic",
        code: v.code,
        procedure: { vi: v.procedureVi, en: v.procedureEn },
        agency: { vi: v.agencyVi, en: v.agencyEn },
        issuedAt: v.issuedAt.toISOString(),
        holder: v.holder,
      }
    : v;
}

/** Public verification of an electronic result: by its code (the QR code opens this page) or by uploading the PDF. */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  const code = new URL(request.url).searchParams.get("code");
  return { title: t("result.verify_title"), code: code?.slice(0, 20) ?? "", verdict: code ? show(await verifyResult({ code })) : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = await readForm(request);
  if ("error" in parsed) return data({ verdict: null, error: `form.errors.${parsed.error}` }, { status: parsed.error === "too_large" ? 413 : 400 });
  const file = parsed.form.get("document");
  const code = parsed.form.get("code");
  const bytes = file instanceof File && file.size > 0 ? new Uint8Array(await file.arrayBuffer()) : null;
  if (!bytes && (typeof code !== "string" || code.trim() === "")) return data({ verdict: null, error: "result.errors.nothing_to_check" }, { status: 400 });
  const verdict = show(await verifyResult({ code: typeof code === "string" ? code : null, file: bytes }));
  return data({ verdict, error: null }, { status: verdict?.status === "authentic" ? 200 : 422 });
}

export default function Verify() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const loaded = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const verdict = posted ? posted.verdict : loaded.verdict;
  return (
    <>
      <h1>{t("result.verify_title")}</h1>
      <p>{t("result.verify_intro")}</p>
      <ErrorSummary errors={posted?.error ? [{ message: t(posted.error) }] : []} />
      {verdict ? (
        <section aria-live="polite" className={verdict.status === "authentic" ? "panel" : "notice"}>
          <h2>{t(`result.verdict_${verdict.status}`)}</h2>
          {verdict.status === "authentic" ? (
            <SummaryList
              rows={[
                { label: t("result.code"), value: verdict.code },
                { label: t("receipt.procedure"), value: pickLang(verdict.procedure.vi, verdict.procedure.en, lang) },
                { label: t("receipt.agency"), value: pickLang(verdict.agency.vi, verdict.agency.en, lang) },
                { label: t("result.issued_at"), value: formatDateTime(verdict.issuedAt, lang) },
                { label: t("result.holder"), value: verdict.holder },
              ]}
            />
          ) : (
            <p>{t(`result.verdict_${verdict.status}_body`)}</p>
          )}
        </section>
      ) : null}
      <Form method="post" encType="multipart/form-data" reloadDocument>
        <TextField id="code" name="code" label={t("result.code")} hint={t("result.code_hint")} defaultValue={loaded.code} autoComplete="off" />
        <div className="form-group">
          <label htmlFor="document">{t("result.document")}</label>
          <span className="hint" id="document-hint">
            {t("result.document_hint")}
          </span>
          <input id="document" name="document" type="file" accept="application/pdf" aria-describedby="document-hint" />
        </div>
        <button type="submit" className="button">
          {t("result.verify_button")}
        </button>
      </Form>
    </>
  );
}
