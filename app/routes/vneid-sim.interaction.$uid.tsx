import { data, redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { fieldErrors } from "~/core/forms/field-errors";
import { getT } from "~/server/platform/i18n.server";
import { requireFormData } from "~/server/platform/upload.server";
import { requireSimulators } from "~/simulators/enabled.server";
import { candidateOptions, finishInteraction, openInteraction, VneidSignInFormSchema } from "~/simulators/vneid/interaction.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/vneid-sim.interaction.$uid");

/**
 * The VNeID simulator's sign-in page (it stands for VNeID's, not the portal's): the provider sent the
 * browser here with an interaction id; the person picks a resident of the simulated population and
 * an identity level, and the browser goes back to the provider (/vneid-sim/auth/:uid), which checks
 * its own cookie for this interaction before it answers the portal. No JavaScript needed.
 */
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireSimulators();
  const t = await getT(request);
  const interaction = await openInteraction(params.uid ?? "");
  const headers = { "Cache-Control": "no-store" };
  if (!interaction)
    return data({ title: t("vneidsim.expired_title"), error: "vneidsim.expired_body", interaction: null, residents: [] }, { status: 404, headers });
  return data({ title: t("vneidsim.title"), error: null, interaction, residents: candidateOptions() }, { headers });
}

export async function action({ request, params }: ActionFunctionArgs) {
  requireSimulators();
  const form = await requireFormData(request);
  const values = { cccd: form.get("cccd"), level: form.get("level"), intent: form.get("intent") === "cancel" ? "cancel" : "sign_in" };
  const parsed = VneidSignInFormSchema.safeParse(values);
  const kept = {
    cccd: typeof values.cccd === "string" ? values.cccd.slice(0, 12) : "",
    level: typeof values.level === "string" ? values.level.slice(0, 1) : "",
  };
  if (!parsed.success) return data({ errors: fieldErrors(parsed.error), values: kept }, { status: 400 });
  const returnTo = await finishInteraction(params.uid ?? "", parsed.data);
  if (!returnTo) return data({ errors: { cccd: "vneidsim.expired_body" }, values: kept }, { status: 404 });
  // The provider's resume address is not a Remix page: the browser loads it as a document.
  return redirectDocument(returnTo, 303);
}

export default function VneidSimSignIn() {
  const { t } = useTranslation();
  const { interaction, residents } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!interaction) {
    return (
      <div className="gateway">
        <p className="gateway__brand">{t("vneidsim.brand")}</p>
        <h1>{t("vneidsim.expired_title")}</h1>
        <p>{t("vneidsim.expired_body")}</p>
        <p>
          <a href="/login">{t("vneidsim.back_to_portal")}</a>
        </p>
      </div>
    );
  }
  const errors: Record<string, string> = result?.errors ?? {};
  const chosen = result?.values ?? { cccd: "", level: "2" };
  const errorLine = (name: string) =>
    errors[name] ? (
      <span id={`${name}-error`} className="error-message">
        <span className="visually-hidden">{t("form.error_prefix")} </span>
        {t(errors[name] ?? "")}
      </span>
    ) : null;
  return (
    <div className="gateway">
      <p className="gateway__brand">{t("vneidsim.brand")}</p>
      <h1>{t("vneidsim.title")}</h1>
      <p className="notice">{t("vneidsim.simulated_notice")}</p>
      <p>{t("vneidsim.client", { name: interaction.clientName })}</p>
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }))} />
      <Form method="post" noValidate reloadDocument>
        <div className={`form-group${errors.cccd ? " form-group--error" : ""}`}>
          <label htmlFor="cccd">{t("vneidsim.resident_label")}</label>
          <p id="cccd-hint" className="hint">
            {t("vneidsim.resident_hint")}
          </p>
          {errorLine("cccd")}
          <select id="cccd" name="cccd" defaultValue={chosen.cccd} aria-describedby={errors.cccd ? "cccd-hint cccd-error" : "cccd-hint"}>
            <option value="">{t("form.choose")}</option>
            {residents.map((r) => (
              <option key={r.cccd} value={r.cccd}>
                {r.label}
              </option>
            ))}
          </select>
        </div>
        <div className={`form-group${errors.level ? " form-group--error" : ""}`}>
          <fieldset aria-describedby={errors.level ? "level-error" : undefined}>
            <legend>{t("vneidsim.level_legend")}</legend>
            {errorLine("level")}
            {(["2", "1"] as const).map((level, i) => {
              const id = i === 0 ? "level" : `level-${level}`;
              return (
                <div className="choice" key={level}>
                  <input id={id} type="radio" name="level" value={level} defaultChecked={chosen.level === level} />
                  <label htmlFor={id}>{t(`vneidsim.level_${level}`)}</label>
                </div>
              );
            })}
          </fieldset>
        </div>
        <div className="button-group">
          <button type="submit" name="intent" value="sign_in" className="button">
            {t("vneidsim.sign_in")}
          </button>
          <button type="submit" name="intent" value="cancel" className="button button--secondary">
            {t("vneidsim.cancel")}
          </button>
        </div>
      </Form>
    </div>
  );
}
