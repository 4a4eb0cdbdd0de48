import { createCookieSessionStorage, redirect } from "@remix-run/node";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { schema } from "../platform/schema.server";
import { inTransaction, perDatabase } from "../platform/db.server";
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
    .where(and(eq(schema.sessions.id, sql.placeholder("sessionId")), gt(schema.sessions.expiresAt, sql.placeholder("nowMs")), isNull(schema.users.disabledAt)))
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

/** Starts a fresh session (dropping the one the browser had) and redirects. */
export async function signIn(request: Request, userId: number, redirectTo: string, options: { via?: "password" | "vneid" } = {}): Promise<Response> {
  const via = options.via ?? "password";
  const session = await storage.getSession(request.headers.get("Cookie"));
  const old = session.get("sessionId");
  const id = randomBytes(32).toString("base64url");
  await inTransaction(async (tx) => {
    if (old) await tx.delete(schema.sessions).where(eq(schema.sessions.id, old));
    await tx.insert(schema.sessions).values({ id, userId, expiresAt: new Date(Date.now() + SESSION_TTL_MS) });
  });
  session.set("sessionId", id);
  session.set("via", via);
  return redirect(redirectTo, { headers: { "Set-Cookie": await storage.commitSession(session) } });
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
