import { eq } from "drizzle-orm";
import * as schema from "../../db/schema";
import { db } from "../../app/server/db.server";
import { signIn } from "../../app/server/session.server";

export type Account = { id: number; cookie: string; email: string };

/** A session for a seeded account (officers, administrators), made the way the login action makes one. */
export async function sessionOf(email: string): Promise<Account> {
  const user = db().select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, email)).get();
  if (!user) throw new Error(`no seeded account ${email}`);
  const response = await signIn(new Request("http://localhost"), user.id, "/");
  return { id: user.id, email, cookie: (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "" };
}
