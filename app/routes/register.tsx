import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "~/core/forms/field-errors";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { getLanguage, getT } from "~/server/platform/i18n.server";
import { getSessionUser } from "~/server/auth/session.server";
import { env } from "~/server/platform/env.server";
import { RegisterSchema, registerCitizen, CONFIRM_LINK_HOURS } from "~/server/auth/users.server";
import { countAttempts, LIMITS, refusedFor, retryAfterSeconds } from "~/server/auth/attempt-limits.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/register");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

/** CITIZEN_PASSWORD_SIGNIN=off: citizens sign in with VNeID, so no password account is made here. */
function requirePasswordAccounts() {
  if (env().CITIZEN_PASSWORD_SIGNIN === "off") throw redirect("/login");
}

export async function loader({ request }: LoaderFunctionArgs) {
  requirePasswordAccounts();
  if (await getSessionUser(request)) throw redirect("/");
  const t = await getT(request);
  return { title: t("auth.register_title") };
}

/**
 * A new and a taken e-mail get the same answer ("we sent a link"), after the same argon2 work; only
 * the e-mail sent differs (users.server.ts registerCitizen). Limited per address, since each attempt
 * costs a 64 MiB hash and an e-mail (docs/decisions/014-attempt-limits.md).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  requirePasswordAccounts();
  const form = Object.fromEntries(await requireFormData(request));
  const values = {
    fullName: String(form.fullName ?? "").slice(0, 100),
    email: String(form.email ?? "").slice(0, 254),
    phone: String(form.phone ?? "").slice(0, 20),
  };
  const parsed = RegisterSchema.safeParse({ ...form, phone: form.phone ?? "", confirm: form.confirm ?? "", password: form.password ?? "" });
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return data({ errors, values, sent: null }, { status: 400 });
  }
  const perAddress = { key: `register:addr:${context.clientIp ?? "unknown"}`, rule: LIMITS.registerAddress };
  const refused = await refusedFor([perAddress]);
  if (refused) {
    const retryAfter = retryAfterSeconds(refused.retryAfterMs);
    return data({ errors: { email: "accounts.errors.register_limited" }, values, sent: null }, { status: 429, headers: { "Retry-After": String(retryAfter) } });
  }
  const email = parsed.data.email.toLowerCase();
  const perEmail = { key: `register:email:${email}`, rule: LIMITS.registerEmail };
  // Past a few registrations naming one address, nothing more is mailed to it (the answer stays the same).
  const sendMail = (await refusedFor([perEmail])) === null;
  await countAttempts([perAddress, perEmail]);
  await registerCitizen({
    email,
    fullName: parsed.data.fullName,
    phone: parsed.data.phone,
    password: parsed.data.password,
    language: await getLanguage(request),
    sendMail,
  });
  return data({ errors: {}, values: { fullName: "", email: "", phone: "" }, sent: { email, hours: CONFIRM_LINK_HOURS } }, { status: 200 });
}

export default function Register() {
  const { t } = useTranslation();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = result?.errors ?? {};
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  if (result?.sent) {
    return (
      <>
        <h1>{t("accounts.sent_title")}</h1>
        <div className="notice" role="status">
          <p>{t("accounts.sent_body", { email: result.sent.email })}</p>
        </div>
        <p>{t("accounts.sent_hours", { hours: result.sent.hours })}</p>
        <p>{t("accounts.sent_not_received")}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t("auth.register_title")}</h1>
      <ErrorSummary errors={Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key) }))} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField
          id="fullName"
          name="fullName"
          autoComplete="name"
          label={t("auth.full_name")}
          defaultValue={result?.values.fullName}
          error={err("fullName")}
        />
        <TextField id="email" name="email" type="email" autoComplete="email" label={t("auth.email")} defaultValue={result?.values.email} error={err("email")} />
        <TextField
          id="phone"
          name="phone"
          type="tel"
          autoComplete="tel"
          label={`${t("auth.phone")} ${t("form.optional")}`}
          hint={t("auth.phone_hint")}
          defaultValue={result?.values.phone}
          error={err("phone")}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          label={t("auth.password")}
          hint={t("auth.password_hint")}
          error={err("password")}
        />
        <TextField id="confirm" name="confirm" type="password" autoComplete="new-password" label={t("auth.confirm_password")} error={err("confirm")} />
        <button type="submit" className="button">
          {t("auth.register")}
        </button>
      </Form>
    </>
  );
}
