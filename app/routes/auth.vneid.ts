import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { landingPage } from "~/server/auth/guards.server";
import { getSessionUser, safeRedirect } from "~/server/auth/session.server";
import { beginSignIn } from "~/server/auth/vneid.server";
import { env, publicUrl } from "~/server/platform/env.server";

/**
 * "Sign in with VNeID" (a plain link: no JavaScript needed): remembers this attempt's state, nonce and
 * PKCE verifier in a short-lived cookie and sends the browser to VNeID. `?link=1` from a signed-in
 * citizen's account page links VNeID to that account instead (docs/decisions/034).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // The cookie must be on the host VNeID sends the browser back to (PUBLIC_URL's).
  const home = new URL(publicUrl(env()));
  if (url.host !== home.host) throw redirect(`${home.origin}${url.pathname}${url.search}`);
  const user = await getSessionUser(request);
  const linking = url.searchParams.get("link") === "1";
  if (user && !linking) throw redirect(landingPage(user.role));
  if (user && user.role !== "citizen") throw redirect(`/login?${new URLSearchParams({ vneid: "staff" })}`);
  const redirectTo = safeRedirect(url.searchParams.get("redirectTo"), linking ? "/account" : landingPage("citizen"));
  let started: Awaited<ReturnType<typeof beginSignIn>> = null;
  try {
    started = await beginSignIn({ redirectTo, linkTo: linking && user ? user.id : null });
  } catch (error) {
    // VNeID unreachable (discovery failed): the person is told, and may use a password account.
    console.warn(`VNeID discovery failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!started) throw redirect(`/login?${new URLSearchParams({ vneid: "unavailable" })}`);
  return redirect(started.url, { headers: { "Set-Cookie": started.setCookie, "Cache-Control": "no-store" } });
}
