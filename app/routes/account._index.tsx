import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary } from "~/components/error-summary";
import { SummaryList } from "~/components/summary-list";
import { TextField } from "~/components/text-field";
import { fieldErrors } from "~/core/forms/field-errors";
import { countAttempts, LIMITS, refusedFor } from "~/server/auth/attempt-limits.server";
import { requireCitizen } from "~/server/auth/guards.server";
import { vneidIdentityOf } from "~/server/auth/identities.server";
import { env, vneidIssuer } from "~/server/platform/env.server";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { accountContacts, confirmPhone, PhoneCodeSchema, PhoneSchema, startPhoneConfirmation } from "~/server/auth/users.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/account._index");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/**
 * The citizen's contact details. Messages go to the confirmed e-mail and, once confirmed by a code
 * sent to it, the phone; what a form's contact fields say is kept on the dossier but never messaged.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCitizen(request);
  const t = await getT(request);
  const contacts = await accountContacts(user.id);
  if (!contacts) throw redirect("/login");
  const identity = await vneidIdentityOf(user.id);
  return {
    title: t("accounts.title"),
    contacts,
    // Only the last four digits of the CCCD are shown (the page may be on a shared screen).
    vneid: identity ? { level: identity.level, masked: `••••••••${identity.subject.slice(-4)}` } : null,
    vneidOffered: vneidIssuer(env()) !== null,
  };
}

type Errors = Record<string, string>;

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCitizen(request);
  const form = Object.fromEntries(await requireFormData(request));
  if (form.intent === "send-code") {
    const parsed = PhoneSchema.safeParse(form);
    if (!parsed.success) return data({ errors: fieldErrors(parsed.error) satisfies Errors, phone: String(form.phone ?? "").slice(0, 20) }, { status: 400 });
    const limit = { key: `phone-code:user:${user.id}`, rule: LIMITS.phoneCodes };
    if (await refusedFor([limit]))
      return data({ errors: { phone: "accounts.errors.codes_limited" } satisfies Errors, phone: parsed.data.phone }, { status: 429 });
    await countAttempts([limit]);
    await startPhoneConfirmation({ userId: user.id, phone: parsed.data.phone, language: await getLanguage(request) });
    throw redirect("/account?sent=1");
  }
  if (form.intent === "confirm-code") {
    const parsed = PhoneCodeSchema.safeParse(form);
    if (!parsed.success) return data({ errors: fieldErrors(parsed.error) satisfies Errors, phone: "" }, { status: 400 });
    const outcome = await confirmPhone({ userId: user.id, code: parsed.data.code });
    if (outcome === "confirmed") throw redirect("/account?phone=confirmed");
    return data(
      { errors: { code: outcome === "wrong" ? "accounts.errors.code_wrong" : "accounts.errors.code_expired" } satisfies Errors, phone: "" },
      { status: 400 },
    );
  }
  return data({ errors: { phone: "accounts.errors.form_unknown" } satisfies Errors, phone: "" }, { status: 400 });
}

export default function Account() {
  const { t } = useTranslation();
  const { contacts, vneid, vneidOffered } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Errors = result?.errors ?? {};
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  return (
    <>
      <h1>{t("accounts.title")}</h1>
      {params.get("confirmed") ? (
        <p className="notice" role="status">
          {t("accounts.confirmed_notice")}
        </p>
      ) : null}
      {params.get("phone") === "confirmed" ? (
        <p className="notice" role="status">
          {t("accounts.phone_confirmed_notice")}
        </p>
      ) : null}
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }))} />
      <p>{t("accounts.intro")}</p>
      <p>
        <a href="/account/documents">{t("data_store.link")}</a>
      </p>
      <SummaryList
        rows={[
          { label: t("auth.email"), value: `${contacts.email} (${t("accounts.confirmed")})` },
          {
            label: t("auth.phone"),
            value: contacts.phone
              ? `${contacts.phone} (${t(contacts.phoneConfirmed ? "accounts.confirmed" : "accounts.not_confirmed")})`
              : t("accounts.no_phone"),
          },
          { label: t("auth.vneid_row"), value: vneid ? t("auth.vneid_linked", vneid) : t("auth.vneid_not_linked") },
        ]}
      />
      {!vneid && vneidOffered ? (
        <p>
          {/* Linking proves both: this signed-in account and the VNeID (docs/decisions/034). A plain link: no script needed. */}
          <a href="/auth/vneid?link=1">{t("auth.vneid_link")}</a>
        </p>
      ) : null}
      {/* Businesses the account owns or belongs to (decision 036): their members are managed there. */}
      <p>
        <Link to="/account/businesses">{t("representation.businesses.title")}</Link>
      </p>
      {contacts.pendingPhone ? (
        <Form method="post" noValidate>
          <h2>{t("accounts.code_title")}</h2>
          {params.get("sent") ? (
            <p className="notice" role="status">
              {t("accounts.code_sent", { phone: contacts.pendingPhone })}
            </p>
          ) : null}
          <input type="hidden" name="intent" value="confirm-code" />
          <TextField
            id="code"
            name="code"
            label={t("accounts.code")}
            hint={t("accounts.code_hint", { phone: contacts.pendingPhone })}
            inputMode="numeric"
            autoComplete="one-time-code"
            spellCheck={false}
            error={err("code")}
          />
          <button type="submit" className="button">
            {t("accounts.code_submit")}
          </button>
        </Form>
      ) : null}
      <Form method="post" noValidate>
        <h2>{t(contacts.phoneConfirmed ? "accounts.change_phone_title" : "accounts.add_phone_title")}</h2>
        <input type="hidden" name="intent" value="send-code" />
        <TextField
          id="phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          label={t("auth.phone")}
          hint={t("auth.phone_hint")}
          defaultValue={result?.phone ?? (contacts.phoneConfirmed ? "" : (contacts.phone ?? ""))}
          error={err("phone")}
        />
        <button type="submit" className="button button--secondary">
          {t("accounts.send_code")}
        </button>
      </Form>
    </>
  );
}
