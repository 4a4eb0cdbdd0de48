import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { schema } from "../platform/schema.server";
import { requiresSecondFactor } from "../../core/auth/second-factor";
import { db, inTransaction, perDatabase } from "../platform/db.server";
import { env } from "../platform/env.server";
import { instantParam } from "../platform/dialect.server";

/**
 * Sessions live in the database; the signed cookie carries only a random id.
 * A new id is issued at every sign-in (rotation) and the row is deleted at
 * sign-out, so a stolen cookie stops working when the citizen signs out.
 */
const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** `via`: how the session was opened ("vneid": sign-out also ends the VNeID session). */
const storage = createCookieSessionStorage<{ sessionId: string; via: "password" | "vneid" }>({
  cookie: {
    name: "__session",
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env().NODE_ENV === "production",
    secrets: [env().SESSION_SECRET],
    maxAge: SESSION_TTL_MS / 1000,
  },
});

export type SessionUser = Pick<typeof schema.users.$inferSelect, "id" | "email" | "fullName" | "phone" | "role" | "agencyId">;

export async function getSessionUser(request: Request): Promise<SessionUser | null> {
  // The root loader and the route's own guard both ask: one cookie check and one lookup per request.
  let user = sessionUsers.get(request);
  if (!user) sessionUsers.set(request, (user = lookUpSessionUser(request)));
  return user;
}
const sessionUsers = new WeakMap<Request, Promise<SessionUser | null>>();

/** The columns a signed-in user is read with, by a session cookie or an API token. */
export const sessionUserColumns = {
  id: schema.users.id,
  email: schema.users.email,
  fullName: schema.users.fullName,
  phone: schema.users.phone,
  role: schema.users.role,
  agencyId: schema.users.agencyId,
};

// Prepared once per database client: this runs on every request.
const sessionUserQuery = perDatabase((client) =>
  client
    .select(sessionUserColumns)
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    // A disabled account's sessions stop working at once, not when they expire.
    // A session waiting for its second factor is nobody's yet (docs/decisions/033).
    .where(
      and(
        eq(schema.sessions.id, sql.placeholder("sessionId")),
        gt(schema.sessions.expiresAt, sql.placeholder("nowMs")),
        isNull(schema.users.disabledAt),
        eq(schema.sessions.pendingSecondFactor, false),
      ),
    )
    .prepare(),
);

async function lookUpSessionUser(request: Request): Promise<SessionUser | null> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sessionId");
  if (typeof sessionId !== "string") return null;
  // A placeholder is bound as given, not through the column's mapping: milliseconds on SQLite, a timestamp on PostgreSQL.
  const [user] = await sessionUserQuery().execute({ sessionId, nowMs: instantParam(new Date()) });
  return user ?? null;
}

/** How long a staff member has between the password and the second factor (enrolment included). */
const PENDING_TTL_MS = 15 * 60 * 1000;

/** The second step's address, keeping where the person was going. */
export function secondStepUrl(redirectTo: string): string {
  return `/login/two-factor?${new URLSearchParams({ redirectTo })}`;
}

/**
 * Starts a fresh session (dropping the one the browser had) and redirects. For staff the session is
 * only "half signed in" (docs/decisions/033) — it opens nothing but the second step, where this
 * redirects instead — unless `secondFactorVerified` says the second factor was just passed. Decided
 * here from the account's role, so no way of signing in can skip it by forgetting to ask.
 */
export async function signIn(
  request: Request,
  userId: number,
  redirectTo: string,
  options: { secondFactorVerified?: boolean; via?: "password" | "vneid" } = {},
): Promise<Response> {
  const { pending, cookie } = await startSession(request, userId, options);
  return redirect(pending ? secondStepUrl(redirectTo) : redirectTo, { headers: { "Set-Cookie": cookie } });
}

/** signIn without the redirect: the session's Set-Cookie value, for a page that answers with content. */
export async function startSession(request: Request, userId: number, options: { secondFactorVerified?: boolean; via?: "password" | "vneid" } = {}) {
  const [user] = await db().select({ role: schema.users.role }).from(schema.users).where(eq(schema.users.id, userId)).limit(1);
  if (!user) throw new Error(`no account ${userId}`);
  const pending = requiresSecondFactor(user.role) && options.secondFactorVerified !== true;
  const session = await storage.getSession(request.headers.get("Cookie"));
  const old = session.get("sessionId");
  const id = randomBytes(32).toString("base64url");
  await inTransaction(async (tx) => {
    if (old) await tx.delete(schema.sessions).where(eq(schema.sessions.id, old));
    await tx
      .insert(schema.sessions)
      .values({ id, userId, expiresAt: new Date(Date.now() + (pending ? PENDING_TTL_MS : SESSION_TTL_MS)), pendingSecondFactor: pending });
  });
  session.set("sessionId", id);
  session.set("via", options.via ?? "password");
  return { pending, cookie: await storage.commitSession(session, pending ? { maxAge: PENDING_TTL_MS / 1000 } : undefined) };
}

export type PendingSession = Pick<typeof schema.users.$inferSelect, "id" | "email" | "fullName" | "role" | "agencyId">;

/** The staff member whose password was right and whose second factor is still to come, or null. */
export async function getPendingSession(request: Request): Promise<PendingSession | null> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const sessionId = session.get("sessionId");
  if (typeof sessionId !== "string") return null;
  const [user] = await db()
    .select({ id: schema.users.id, email: schema.users.email, fullName: schema.users.fullName, role: schema.users.role, agencyId: schema.users.agencyId })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(
      and(
        eq(schema.sessions.id, sessionId),
        gt(schema.sessions.expiresAt, new Date()),
        isNull(schema.users.disabledAt),
        eq(schema.sessions.pendingSecondFactor, true),
      ),
    )
    .limit(1);
  return user ?? null;
}

/** How the browser's session was opened: "vneid" when by VNeID, else "password". */
export async function signedInVia(request: Request): Promise<"password" | "vneid"> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  return session.get("via") === "vneid" ? "vneid" : "password";
}

/** Ends the session and redirects home — or to `to` (the identity provider's sign-out, after a VNeID sign-in). */
export async function signOut(request: Request, to = "/"): Promise<Response> {
  const session = await storage.getSession(request.headers.get("Cookie"));
  const id = session.get("sessionId");
  if (id)
    await inTransaction(async (tx) => {
      await tx.delete(schema.sessions).where(eq(schema.sessions.id, id));
    });
  return redirect(to, { headers: { "Set-Cookie": await storage.destroySession(session) } });
}

// The rule lives in core (pure, unit-tested); the routes import it from here with the session helpers.
export { safeRedirect } from "../../core/security/safe-redirect";
