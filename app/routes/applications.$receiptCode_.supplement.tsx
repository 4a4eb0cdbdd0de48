import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ApplicationForm } from "~/components/application-form";
import { ErrorSummary } from "~/components/error-summary";
import { todayInVietnam } from "~/server/dossiers/application.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { answerSupplement, openSupplement } from "~/server/dossiers/supplement.server";
import { readForm } from "~/server/platform/upload.server";
import { pickLang } from "~/utils/format";
import { TextWithCode } from "~/components/receipt-code";
import { pageStringsLoader } from "~/utils/page-strings-loader";
import { found } from "~/server/platform/http.server";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/applications.$receiptCode_.supplement");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** The citizen answers a supplement request: only the items the officer ticked are shown and taken. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const open = found(await openSupplement(user, params.receiptCode));
  const t = await getT(request);
  return {
    title: t("supplement.title", { code: open.receiptCode }),
    receiptCode: open.receiptCode,
    procedure: { nameVi: open.procedure.nameVi, nameEn: open.procedure.nameEn },
    message: open.request.message,
    items: open.request.items,
    definition: open.definition,
    values: open.values,
    attachments: open.attachments,
    today: todayInVietnam(),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  // Checked before the body is read: a dossier that is not waiting on this citizen is 404.
  found(await openSupplement(user, params.receiptCode));
  const parsed = await readForm(request);
  if ("error" in parsed) return data({ errors: { _form: `form.errors.${parsed.error}` }, values: null }, { status: parsed.error === "too_large" ? 413 : 400 });
  const outcome = found(await answerSupplement({ user, receiptCode: params.receiptCode, form: parsed.form, oversized: parsed.oversized }));
  switch (outcome.kind) {
    case "done":
      return redirect(`/applications/${params.receiptCode}?supplement=sent`);
    case "conflict":
      return data({ errors: { _form: "supplement.errors.conflict" }, values: null }, { status: 409 });
    case "invalid":
      return data({ errors: outcome.errors, values: outcome.values }, { status: 400 });
    case "rows":
      return data({ errors: {}, values: outcome.values });
  }
}

export default function Supplement() {
  const { t, i18n } = useTranslation();
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <p className="caption">{pickLang(d.procedure.nameVi, d.procedure.nameEn, i18n.language)}</p>
      <h1>{t("supplement.heading")}</h1>
      {errors._form ? <ErrorSummary errors={[{ message: t(errors._form) }]} /> : null}
      <p>{t("supplement.intro")}</p>
      <div className="panel panel--notice">
        <h2>{t("supplement.message")}</h2>
        <p>{d.message}</p>
      </div>
      <ApplicationForm
        definition={d.definition}
        today={d.today}
        values={result?.values ?? d.values}
        serverErrors={errors}
        attachments={d.attachments}
        only={d.items}
        submitLabel={t("supplement.submit")}
        allowSave={false}
      />
      <p>
        <Link to={`/applications/${d.receiptCode}`}>
          <TextWithCode text={t("receipt.title", { code: d.receiptCode })} code={d.receiptCode} />
        </Link>
      </p>
    </>
  );
}
