import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { fieldErrors } from "~/core/forms/field-errors";
import { ErrorSummary } from "~/components/error-summary";
import { TextField } from "~/components/text-field";
import { landingPage } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { getSessionUser, safeRedirect, signIn } from "~/server/auth/session.server";
import { env, vneidIssuer } from "~/server/platform/env.server";
import { LoginSchema, verifyLogin } from "~/server/auth/users.server";
import { prepareEnrolment } from "~/server/auth/second-factor.server";
import { clearAttempts, countAttempts, delayFor, LIMITS, refusedFor, retryAfterSeconds, sleep } from "~/server/auth/attempt-limits.server";
import { requireFormData } from "~/server/platform/upload.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/login");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(request);
  if (user) throw redirect(safeRedirect(new URL(request.url).searchParams.get("redirectTo"), landingPage(user.role)));
  const t = await getT(request);
  const config = env();
  const refused = new URL(request.url).searchParams.get("vneid");
  return {
    title: t("auth.sign_in_title"),
    vneid: vneidIssuer(config) !== null,
    citizenPasswords: config.CITIZEN_PASSWORD_SIGNIN === "on",
    // A VNeID sign-in that could not start comes back here with its reason.
    vneidError: refused === "unavailable" || refused === "staff" ? refused : null,
  };
}

/**
 * Guessing passwords (docs/decisions/014-attempt-limits.md): refused per (account, address) and per
 * address; per account only slowed, so failures from many addresses never shut the owner out.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = Object.fromEntries(await requireFormData(request));
  const parsed = LoginSchema.safeParse(form);
  const email = typeof form.email === "string" ? form.email.slice(0, 254) : "";
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    return data({ errors, email, retryAfter: null }, { status: 400 });
  }
  const account = parsed.data.email.toLowerCase();
  const address = context.clientIp ?? "unknown";
  const pair = { key: `signin:pair:${account}|${address}`, rule: LIMITS.signInPair };
  const perAddress = { key: `signin:addr:${address}`, rule: LIMITS.signInAddress };
  const perAccount = { key: `signin:acct:${account}`, rule: LIMITS.signInAccount };
  const refused = await refusedFor([pair, perAddress]);
  if (refused) {
    const retryAfter = retryAfterSeconds(refused.retryAfterMs);
    return data(
      { errors: { email: "auth.errors.too_many_attempts" }, email, retryAfter: Math.ceil(retryAfter / 60) },
      { status: 429, headers: { "Retry-After": String(retryAfter) } },
    );
  }
  await sleep(await delayFor(perAccount.key, perAccount.rule));
  const user = await verifyLogin(parsed.data.email, parsed.data.password);
  if (!user) {
    await countAttempts([pair, perAddress, perAccount]);
    return data({ errors: { email: "auth.errors.wrong_credentials" }, email, retryAfter: null }, { status: 400 });
  }
  await clearAttempts([pair.key]);
  // Only someone who knows the password learns the account waits for its confirmation link.
  if (user.emailUnconfirmedSince !== null) return data({ errors: { email: "accounts.errors.unconfirmed" }, email, retryAfter: null }, { status: 400 });
  // CITIZEN_PASSWORD_SIGNIN=off: citizens sign in with VNeID only (told so only once the password is known to be right).
  if (user.role === "citizen" && env().CITIZEN_PASSWORD_SIGNIN === "off")
    return data({ errors: { email: "auth.password_off_citizens" }, email, retryAfter: null }, { status: 403 });
  // Staff go on to the second step (decision 033); one who never enrolled gets a secret to enrol with.
  await prepareEnrolment(user);
  // A page that sent the user here wins; otherwise staff land in their workspace.
  return await signIn(request, user.id, safeRedirect(parsed.data.redirectTo, landingPage(user.role)));
}

export default function Login() {
  const { t } = useTranslation();
  const { vneid, citizenPasswords, vneidError } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "";
  const errors: Record<string, string> = result?.errors ?? {};
  const summary = Object.entries(errors).map(([name, key]) => ({ fieldId: name, message: t(key, { minutes: result?.retryAfter ?? 15 }) }));
  if (vneidError) summary.unshift({ fieldId: "vneid", message: t(`auth.vneid_errors.${vneidError}`) });
  return (
    <>
      <h1>{t("auth.sign_in_title")}</h1>
      <ErrorSummary errors={summary} />
      {vneid ? (
        <section className="vneid-sign-in" aria-labelledby="vneid-heading">
          <h2 id="vneid-heading">{t("auth.vneid_sign_in")}</h2>
          <p className="hint" id="vneid-hint">
            {t("auth.vneid_hint")}
          </p>
          {/* A plain link: the browser leaves the portal for VNeID, with or without JavaScript. */}
          <a id="vneid" className="button" href={`/auth/vneid?${new URLSearchParams({ redirectTo })}`} aria-describedby="vneid-hint">
            {t("auth.vneid_sign_in")}
          </a>
        </section>
      ) : null}
      {vneid ? <h2>{t("auth.password_heading")}</h2> : null}
      {citizenPasswords ? null : <p className="notice">{t("auth.password_off_citizens")}</p>}
      {/* A new document after sign-in: staff pages need the staff strings script in <head>. */}
      <Form method="post" noValidate reloadDocument>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <TextField
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          label={t("auth.email")}
          defaultValue={result?.email}
          error={errors.email ? t(errors.email, { minutes: result?.retryAfter ?? 15 }) : undefined}
          required
        />
        <TextField
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          label={t("auth.password")}
          error={errors.password ? t(errors.password) : undefined}
          required
        />
        <button type="submit" className="button">
          {t("auth.sign_in")}
        </button>
      </Form>
      {citizenPasswords ? (
        <p>
          {t("auth.no_account")} <Link to={`/register?${new URLSearchParams({ redirectTo })}`}>{t("auth.register_link")}</Link>
        </p>
      ) : null}
    </>
  );
}
