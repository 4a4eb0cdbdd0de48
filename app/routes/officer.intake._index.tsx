import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireOfficer } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { listIntakeProcedures } from "~/server/dossiers/intake.server";
import { pickLang } from "~/utils/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** Step 1 of keying in a dossier for a citizen: which procedure, and how the citizen came. */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:intake");
  const t = await getT(request);
  return { title: t("intake.title"), procedures: await listIntakeProcedures(officer.agencyPath) };
}

export default function IntakeStart() {
  const { t, i18n } = useTranslation();
  const { procedures } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/officer">{t("officer.back_to_queue")}</Link>
      </p>
      <h1>{t("intake.title")}</h1>
      <p>{t("intake.intro")}</p>
      {procedures.length === 0 ? (
        <p>{t("intake.no_procedures")}</p>
      ) : (
        <Form method="get" action="/officer/intake/form">
          <fieldset className="form-group">
            <legend>{t("intake.channel")}</legend>
            <div className="radio">
              <input type="radio" id="channel-counter" name="channel" value="counter" defaultChecked />
              <label htmlFor="channel-counter">{t("intake.channel_counter")}</label>
            </div>
            <div className="radio">
              <input type="radio" id="channel-assisted" name="channel" value="assisted" />
              <label htmlFor="channel-assisted">{t("intake.channel_assisted")}</label>
            </div>
          </fieldset>
          <div className="form-group">
            <label htmlFor="procedure">{t("intake.procedure")}</label>
            <select id="procedure" name="procedure" required>
              {procedures.map((p) => (
                <option key={p.code} value={p.code}>
                  {pickLang(p.nameVi, p.nameEn, i18n.language)} ({t("intake.level", { level: p.level })})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button">
            {t("form.continue")}
          </button>
        </Form>
      )}
    </>
  );
}
