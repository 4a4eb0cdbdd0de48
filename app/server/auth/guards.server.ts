import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { can, isAgencyScoped, type Permission } from "../../core/auth/permissions";
import { db } from "../platform/db.server";
import { userForBearer } from "./api-tokens.server";
import { getPendingSession, getSessionUser, secondStepUrl, type SessionUser } from "./session.server";

/**
 * Where sign-in lands a role and which workspace links its header shows: presentation, decided from
 * the same permissions as the guards below. Taken from here (a .server module) by root.tsx and
 * login.tsx, so the permission tables never reach the browser's JavaScript.
 */
export { landingPage, workspaceLinks } from "../../core/auth/workspace";

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
    // A staff member between password and second factor is sent to finish it, never let through.
    if (await getPendingSession(request)) throw redirect(secondStepUrl(back));
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

export async function requireCitizen(request: Request): Promise<SessionUser> {
  const user = await requireUser(request);
  if (user.role !== "citizen") throw new Response("Forbidden", { status: 403 });
  return user;
}

/**
 * A signed-in user allowed `permission`, with the scope it applies to: `agencyPath` is the agency
 * subtree every data function filters by (`agency.path GLOB agencyPath*`); "/" (every agency) for a
 * system administrator.
 */
export type ScopedUser = SessionUser & { agencyPath: string };
export type OfficerUser = ScopedUser;

export async function requirePermission(request: Request, permission: Permission): Promise<ScopedUser> {
  const user = await requireUser(request);
  if (!can(user.role, permission)) throw new Response("Forbidden", { status: 403 });
  return await withScope(user);
}

/**
 * The statistics API: a bearer token (`Authorization: Bearer dvc_…`) or a signed-in session, either
 * belonging to someone with statistics:read. An API answers 401 instead of redirecting to sign-in,
 * a session still waiting for its second factor included (it is nobody's yet).
 */
export async function requireStatisticsReader(request: Request): Promise<ScopedUser> {
  const unauthorized = () =>
    new Response(JSON.stringify({ error: "unauthorized" }), {
      status: 401,
      headers: { "Content-Type": "application/json", "WWW-Authenticate": 'Bearer realm="statistics"' },
    });
  const user = request.headers.has("Authorization") ? await userForBearer(request) : await getSessionUser(request);
  if (!user) throw unauthorized();
  if (!can(user.role, "statistics:read"))
    throw new Response(JSON.stringify({ error: "forbidden" }), { status: 403, headers: { "Content-Type": "application/json" } });
  return await withScope(user);
}

async function withScope(user: SessionUser): Promise<ScopedUser> {
  if (!isAgencyScoped(user.role)) return { ...user, agencyPath: "/" };
  const [agency] =
    user.agencyId === null ? [] : await db().select({ path: schema.agencies.path }).from(schema.agencies).where(eq(schema.agencies.id, user.agencyId)).limit(1);
  if (!agency) throw new Response("Forbidden", { status: 403 });
  return { ...user, agencyPath: agency.path };
}

/** Officers and agency administrators working on their agency's dossiers. */
export async function requireOfficer(request: Request, permission: Permission = "dossier:process"): Promise<ScopedUser> {
  return await requirePermission(request, permission);
}

/**
 * A signed-in user allowed at least one of `permissions`: for a section's layout (the administration
 * area), whose pages each still guard their own permission.
 */
export async function requireAnyPermission(request: Request, permissions: readonly Permission[]): Promise<ScopedUser> {
  const user = await requireUser(request);
  const allowed = permissions.find((p) => can(user.role, p));
  if (!allowed) throw new Response("Forbidden", { status: 403 });
  return await requirePermission(request, allowed);
}
