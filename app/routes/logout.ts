import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { signOut } from "~/server/auth/session.server";

export async function action({ request }: ActionFunctionArgs) {
  return await signOut(request);
}

export const loader = () => redirect("/");
