import { eq } from "drizzle-orm";
import * as schema from "../../db/schema";
import { db } from "../../app/server/platform/db.server";
import { signIn } from "../../app/server/auth/session.server";

export type Account = { id: number; cookie: string; email: string };

/** A session for a seeded account (officers, administrators), made the way the login action makes one. */
export async function sessionOf(email: string): Promise<Account> {
  const user = db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email)).get();
  if (!user) throw new Error(`no seeded account ${email}`);
  const response = await signIn(new Request("http://localhost"), user.id, "/");
  return { id: user.id, email, cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}

let officers = 0;

/** A further officer of a seeded agency (the seed has one per agency), signed in. Cannot sign in by password. */
export async function newOfficer(agencyCode: string): Promise<Account> {
  const agency = db().select({ id: schema.agencies.id }).from(schema.agencies).where(eq(schema.agencies.code, agencyCode)).get();
  if (!agency) throw new Error(`no agency ${agencyCode}`);
  officers += 1;
  const email = `can.bo.${officers}.${Date.now()}@example.vn`;
  db().insert(schema.users).values({ email, fullName: "Cán bộ thử nghiệm", passwordHash: "!", role: "officer", agencyId: agency.id }).run();
  return sessionOf(email);
}
