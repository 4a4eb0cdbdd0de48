import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import * as schema from "../../db/schema";
import { db } from "./db.server";
import { getSessionUser, type SessionUser } from "./session.server";

/**
 * The one way to guard a loader or action: call one of these first. They throw
 * a Response — 302 to sign-in when nobody is signed in, 403 when the signed-in
 * user may not do this. "Not yours" is answered with 404 by the data functions,
 * which always filter by owner (see dossiers.server.ts).
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = request.method === "GET" ? `${url.pathname}${url.search}` : url.pathname;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

export async function requireCitizen(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "citizen") throw new Response("Forbidden", { status: 403 });
  return user;
}

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

export type OfficerUser = SessionUser & { agencyPath: string };

/**
 * Officers and agency administrators, scoped to their agency's subtree. The path is read here
 * once so every data function can filter `agency.path GLOB officer.path*`.
 */
export async function requireOfficer(request: Request): Promise<OfficerUser> {
  const user = await requireUser(request);
  if ((user.role !== "officer" && user.role !== "agency_admin") || user.agencyId === null) throw new Response("Forbidden", { status: 403 });
  const agency = db().select({ path: schema.agencies.path }).from(schema.agencies).where(eq(schema.agencies.id, user.agencyId)).get();
  if (!agency) throw new Response("Forbidden", { status: 403 });
  return { ...user, agencyPath: agency.path };
}
