import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signedInVia, signOut } from "~/server/auth/session.server";
import { endSessionUrl } from "~/server/auth/vneid.server";

export async function action({ request }: ActionFunctionArgs) {
  // After a VNeID sign-in the browser goes on to VNeID's own sign-out (RP-initiated logout), which returns it home.
  const to = (await signedInVia(request)) === "vneid" ? ((await endSessionUrl()) ?? "/") : "/";
  return await signOut(request, to);
}

export const loader = () => redirect("/");
