import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { isLanguage } from "~/i18n";
import { languageCookie } from "~/server/platform/i18n.server";
import { safeRedirect } from "~/server/auth/session.server";
import { requireFormData } from "~/server/platform/upload.server";

/** The language switch: a plain form post (works without JavaScript), remembered in a cookie. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await requireFormData(request);
  const language = form.get("language");
  if (!isLanguage(language)) throw new Response("Unknown language", { status: 400 });
  return redirect(safeRedirect(form.get("redirectTo")), { headers: { "Set-Cookie": await languageCookie.serialize(language) } });
}

export const loader = () => redirect("/");
