import argon2 from "argon2";
import { eq } from "drizzle-orm";
import * as z from "zod";
import * as schema from "../../db/schema";
import { normalizePhone } from "../core/validation/vn";
import { db } from "./db.server";

// A hash to verify against when the e-mail is unknown, so timing does not tell which accounts exist.
const DUMMY_HASH = "$argon2id$v=19$m=65536,p=4,t=3$pUbag0oawl3Rwmg//hXYXw$aRVhv2PQoMgQxacbDgQ0xtEWucs7Ma8KVZCNSnN/nCc";

export async function verifyLogin(email: string, password: string) {
  const user = db().select().from(schema.users).where(eq(schema.users.email, email.toLowerCase())).get();
  const ok = await argon2.verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
  // A disabled account is refused like a wrong password: the form says nothing more.
  return user && ok && user.disabledAt === null ? user : null;
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

/** The sign-in form. Messages are i18n keys. */
export const LoginSchema = z.object({
  email: z.string().trim().min(1, "auth.errors.email_required").max(254, "auth.errors.email_invalid").pipe(z.email({ error: "auth.errors.email_invalid" })),
  password: z.string().min(1, "auth.errors.password_required").max(200, "auth.errors.password_required"),
  redirectTo: z.string().optional(),
});

/** The citizen registration form. */
export const RegisterSchema = z
  .object({
    fullName: z.string().trim().min(2, "auth.errors.name_required").max(100, "auth.errors.name_required"),
    email: z.string().trim().min(1, "auth.errors.email_required").max(254, "auth.errors.email_invalid").pipe(z.email({ error: "auth.errors.email_invalid" })),
    phone: z
      .string()
      .trim()
      .max(20, "form.errors.phone")
      .transform((v, ctx) => {
        if (v === "") return null;
        const phone = normalizePhone(v);
        if (!phone) ctx.addIssue({ code: "custom", message: "form.errors.phone" });
        return phone;
      }),
    password: z.string().min(10, "auth.errors.password_short").max(200, "auth.errors.password_long"),
    confirm: z.string(),
    redirectTo: z.string().optional(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "auth.errors.password_mismatch" });
