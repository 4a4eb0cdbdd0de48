import argon2 from "argon2";
import { eq } from "drizzle-orm";
import * as schema from "../../db/schema";
import { db } from "./db.server";

// A hash to verify against when the e-mail is unknown, so timing does not tell which accounts exist.
const DUMMY_HASH = "$argon2id$v=19$m=65536,p=4,t=3$pUbag0oawl3Rwmg//hXYXw$aRVhv2PQoMgQxacbDgQ0xtEWucs7Ma8KVZCNSnN/nCc";

export async function verifyLogin(email: string, password: string) {
  const user = db().select().from(schema.users).where(eq(schema.users.email, email.toLowerCase())).get();
  const ok = await argon2.verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
  return user && ok ? user : null;
}

export type NewCitizen = { email: string; fullName: string; phone: string | null; password: string };

/** Creates a citizen account; null when the e-mail is taken. */
export async function createCitizen(input: NewCitizen) {
  const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
  const created = db()
    .insert(schema.users)
    .values({ email: input.email.toLowerCase(), fullName: input.fullName, phone: input.phone, passwordHash, role: "citizen" })
    .onConflictDoNothing()
    .returning({ id: schema.users.id })
    .get();
  return created ?? null;
}
