import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { landingPage } from "~/server/auth/guards.server";
import { accountForVneid } from "~/server/auth/identities.server";
import { getSessionUser, safeRedirect, signIn } from "~/server/auth/session.server";
import { finishSignIn, pendingCookie } from "~/server/auth/vneid.server";
import { getT } from "~/server/platform/i18n.server";
import { pageStringsLoader } from "~/utils/page-strings-loader";

/** Reached by a link, the page first loads its string groups (decision 019). */
export const clientLoader = pageStringsLoader("routes/auth.vneid_.callback");

export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const STATUS = { failed: 400, cancelled: 400, no_email: 400, email_taken: 409, already_linked: 409, staff: 403, disabled: 403 } as const;
type Reason = keyof typeof STATUS;

/**
 * Where VNeID sends the browser back. A verified answer signs the person in (or links VNeID to the
 * signed-in account); anything else — a wrong state, a tampered or replayed answer, a nonce that is
 * not ours — is answered 4xx with a message, and no session is opened. The attempt's cookie is
 * cleared either way: an answer is used once.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await getT(request);
  const clear = await pendingCookie.clear();
  const refuse = (reason: Reason) =>
    data({ title: t("auth.sign_in_title"), error: reason }, { status: STATUS[reason], headers: { "Set-Cookie": clear, "Cache-Control": "no-store" } });
  const outcome = await finishSignIn(request);
  if (!outcome.ok) {
    // The reason, not the token: no personal data in the log.
    if (outcome.reason === "failed") console.warn(`VNeID sign-in refused: ${outcome.detail}`);
    return refuse(outcome.reason);
  }
  const linkTo = outcome.pending.linkTo;
  // Linking is for the account still signed in in this browser, no other.
  if (linkTo !== null && (await getSessionUser(request))?.id !== linkTo) return refuse("failed");
  const account = await accountForVneid(outcome.person, linkTo);
  if (!account.ok) return refuse(account.reason);
  const response = await signIn(request, account.userId, safeRedirect(outcome.pending.redirectTo, landingPage("citizen")), { via: "vneid" });
  response.headers.append("Set-Cookie", clear);
  return response;
}

export default function VneidCallback() {
  const { t } = useTranslation();
  const { error } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{t("auth.sign_in_title")}</h1>
      <div className="error-summary" role="alert" aria-labelledby="vneid-error-title" tabIndex={-1}>
        <h2 id="vneid-error-title">{t("auth.vneid_sign_in")}</h2>
        <p>{t(`auth.vneid_errors.${error}`)}</p>
      </div>
      <p>
        <a href="/login">{t("auth.sign_in_title")}</a>
      </p>
    </>
  );
}
