import argon2 from "argon2";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { accountExistsMessage, confirmEmailMessage, phoneCodeMessage } from "../../core/notifications/account-messages";
import { passwordProblem } from "../../core/security/password-policy";
import { normalizePhone } from "../../core/validation/vn";
import type { Language } from "../../i18n";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { env, publicUrl } from "../platform/env.server";
import { recordEvent } from "../statistics/events.server";

// A hash to verify against when the e-mail is unknown, so timing does not tell which accounts exist.
const DUMMY_HASH = "$argon2id$v=19$m=65536,p=4,t=3$pUbag0oawl3Rwmg//hXYXw$aRVhv2PQoMgQxacbDgQ0xtEWucs7Ma8KVZCNSnN/nCc";

/**
 * The account for a correct e-mail and password, or null (a disabled account included). An account
 * still waiting for its registration link is returned too: the sign-in action refuses it with its
 * own message, which only someone who knows the password sees (decision 005).
 */
export async function verifyLogin(email: string, password: string) {
  const [user] = await db().select().from(schema.users).where(eq(schema.users.email, email.toLowerCase())).limit(1);
  const ok = await argon2.verify(user?.passwordHash ?? DUMMY_HASH, password).catch(() => false);
  // A disabled account is refused like a wrong password: the form says nothing more.
  return user && ok && user.disabledAt === null ? user : null;
}

export type NewCitizen = { email: string; fullName: string; phone: string | null; password: string };

/** How long a registration link works. */
export const CONFIRM_LINK_HOURS = 24;
/** How long a phone code works, and how many wrong codes it allows. */
export const PHONE_CODE_MINUTES = 10;
export const PHONE_CODE_TRIES = 5;

/** Only a keyed hash of a link token or code is stored: a copy of the database confirms nothing. */
function secretHash(secret: string): string {
  return createHmac("sha256", env().SESSION_SECRET).update(secret).digest("hex");
}

async function queueAccountMail(tx: Tx, input: { recipient: string; language: Language; template: string; subject: string; body: string }): Promise<void> {
  await tx.insert(schema.notifications).values({ dossierId: null, kind: "email", ...input });
}

/**
 * A registration. Whether the e-mail is new or taken (staff included), the work (one argon2 hash, one
 * transaction, one e-mail) and the answer are the same; only the e-mail differs. A new address gets
 * an unconfirmed account and a confirmation link; an address waiting for its link gets this
 * registration's details and a fresh link (earlier links stop working, so whoever controls the
 * mailbox decides the password); a confirmed address's owner is told someone tried.
 * `sendMail: false` (too many registrations named this address) writes nothing at all.
 */
export async function registerCitizen(input: NewCitizen & { language: Language; sendMail: boolean; now?: Date }): Promise<void> {
  const passwordHash = await argon2.hash(input.password, { type: argon2.argon2id });
  if (!input.sendMail) return;
  const now = input.now ?? new Date();
  const email = input.email.toLowerCase();
  const base = publicUrl(env());
  await inTransaction(async (tx) => {
    const [existing] = await tx.select().from(schema.users).where(eq(schema.users.email, email)).limit(1);
    if (existing && existing.emailUnconfirmedSince === null) {
      await queueAccountMail(tx, {
        recipient: email,
        language: input.language,
        template: "account_exists",
        ...accountExistsMessage({ language: input.language, name: existing.fullName, url: `${base}/login` }),
      });
      return;
    }
    const details = { fullName: input.fullName, phone: input.phone, phoneConfirmedAt: null, passwordHash, emailUnconfirmedSince: now };
    let userId: number;
    if (existing) {
      await tx.update(schema.users).set(details).where(eq(schema.users.id, existing.id));
      userId = existing.id;
    } else {
      const [created] = await tx
        .insert(schema.users)
        .values({ email, role: "citizen", ...details })
        .returning({ id: schema.users.id });
      if (!created) throw new Error("the new account's row was not returned");
      userId = created.id;
    }
    await tx.delete(schema.contactChallenges).where(and(eq(schema.contactChallenges.userId, userId), eq(schema.contactChallenges.kind, "email")));
    const token = randomBytes(32).toString("base64url");
    await tx.insert(schema.contactChallenges).values({
      userId,
      kind: "email",
      target: email,
      secretHash: secretHash(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CONFIRM_LINK_HOURS * 3_600_000),
    });
    const url = `${base}/account/confirm?${new URLSearchParams({ token })}`;
    await queueAccountMail(tx, {
      recipient: email,
      language: input.language,
      template: "account_confirm",
      ...confirmEmailMessage({ language: input.language, name: input.fullName, url, hours: CONFIRM_LINK_HOURS }),
    });
    await recordEvent(tx, { type: "account_registered", occurredAt: now, actorId: userId, actorRole: "citizen", data: { userId } });
  });
}

/** Opens a registration link: the account it names is confirmed, once. Its id, or null for a wrong, used or expired link. */
export async function confirmEmail(input: { token: string; now?: Date }): Promise<number | null> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx) => {
    const [challenge] = await tx
      .select()
      .from(schema.contactChallenges)
      .where(
        and(
          eq(schema.contactChallenges.secretHash, secretHash(input.token)),
          eq(schema.contactChallenges.kind, "email"),
          isNull(schema.contactChallenges.usedAt),
          gt(schema.contactChallenges.expiresAt, now),
        ),
      )
      .limit(1);
    if (!challenge) return null;
    const [user] = await tx.select().from(schema.users).where(eq(schema.users.id, challenge.userId)).limit(1);
    if (!user || user.email !== challenge.target || user.disabledAt !== null) return null;
    await tx.update(schema.contactChallenges).set({ usedAt: now }).where(eq(schema.contactChallenges.id, challenge.id));
    await tx.update(schema.users).set({ emailUnconfirmedSince: null }).where(eq(schema.users.id, user.id));
    await recordEvent(tx, { type: "account_confirmed", occurredAt: now, actorId: user.id, actorRole: "citizen", data: { userId: user.id } });
    return user.id;
  });
}

/** The account page's view of the citizen's contacts. */
export async function accountContacts(userId: number) {
  const [user] = await db().select().from(schema.users).where(eq(schema.users.id, userId)).limit(1);
  if (!user) return null;
  const [pending] = await db()
    .select({ target: schema.contactChallenges.target })
    .from(schema.contactChallenges)
    .where(
      and(
        eq(schema.contactChallenges.userId, userId),
        eq(schema.contactChallenges.kind, "phone"),
        isNull(schema.contactChallenges.usedAt),
        gt(schema.contactChallenges.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(schema.contactChallenges.id))
    .limit(1);
  return { email: user.email, phone: user.phone, phoneConfirmed: user.phone !== null && user.phoneConfirmedAt !== null, pendingPhone: pending?.target ?? null };
}

/** Sends a confirmation code by SMS (through the outbox) to the number the citizen wants to use; earlier codes stop working. */
export async function startPhoneConfirmation(input: { userId: number; phone: string; language: Language; now?: Date }): Promise<void> {
  const now = input.now ?? new Date();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  await inTransaction(async (tx) => {
    await tx
      .update(schema.contactChallenges)
      .set({ usedAt: now })
      .where(and(eq(schema.contactChallenges.userId, input.userId), eq(schema.contactChallenges.kind, "phone"), isNull(schema.contactChallenges.usedAt)));
    await tx.insert(schema.contactChallenges).values({
      userId: input.userId,
      kind: "phone",
      target: input.phone,
      secretHash: secretHash(`${input.userId}:${input.phone}:${code}`),
      createdAt: now,
      expiresAt: new Date(now.getTime() + PHONE_CODE_MINUTES * 60_000),
    });
    await tx.insert(schema.notifications).values({
      dossierId: null,
      kind: "sms",
      recipient: input.phone,
      language: input.language,
      template: "phone_code",
      subject: null,
      body: phoneCodeMessage({ language: input.language, code, minutes: PHONE_CODE_MINUTES }),
    });
  });
}

export type PhoneCodeOutcome = "confirmed" | "wrong" | "expired";

/** Checks a code against the account's live phone challenge; the right one makes that number the account's confirmed phone. */
export async function confirmPhone(input: { userId: number; code: string; now?: Date }): Promise<PhoneCodeOutcome> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<PhoneCodeOutcome> => {
    const [challenge] = await tx
      .select()
      .from(schema.contactChallenges)
      .where(
        and(
          eq(schema.contactChallenges.userId, input.userId),
          eq(schema.contactChallenges.kind, "phone"),
          isNull(schema.contactChallenges.usedAt),
          gt(schema.contactChallenges.expiresAt, now),
        ),
      )
      .orderBy(desc(schema.contactChallenges.id))
      .limit(1);
    if (!challenge || challenge.attempts >= PHONE_CODE_TRIES) return "expired";
    const expected = Buffer.from(challenge.secretHash, "hex");
    const given = Buffer.from(secretHash(`${input.userId}:${challenge.target}:${input.code}`), "hex");
    if (!timingSafeEqual(expected, given)) {
      const attempts = challenge.attempts + 1;
      await tx
        .update(schema.contactChallenges)
        .set(attempts >= PHONE_CODE_TRIES ? { attempts, usedAt: now } : { attempts })
        .where(eq(schema.contactChallenges.id, challenge.id));
      return attempts >= PHONE_CODE_TRIES ? "expired" : "wrong";
    }
    await tx.update(schema.contactChallenges).set({ usedAt: now }).where(eq(schema.contactChallenges.id, challenge.id));
    await tx.update(schema.users).set({ phone: challenge.target, phoneConfirmedAt: now }).where(eq(schema.users.id, input.userId));
    await recordEvent(tx, { type: "phone_confirmed", occurredAt: now, actorId: input.userId, actorRole: "citizen", data: { userId: input.userId } });
    return "confirmed";
  });
}

/** An e-mail address as the sign-in and registration forms take it (254: the longest address SMTP carries). */
const EmailSchema = z
  .string()
  .trim()
  .min(1, "auth.errors.email_required")
  .max(254, "auth.errors.email_invalid")
  .pipe(z.email({ error: "auth.errors.email_invalid" }));

/** The sign-in form. Messages are i18n keys. */
export const LoginSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1, "auth.errors.password_required").max(200, "auth.errors.password_required"),
  redirectTo: z.string().optional(),
});

/** The citizen registration form. */
export const RegisterSchema = z
  .object({
    fullName: z.string().trim().min(2, "auth.errors.name_required").max(100, "auth.errors.name_required"),
    email: EmailSchema,
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
    password: z
      .string()
      .min(10, "auth.errors.password_short")
      .max(200, "auth.errors.password_long")
      .superRefine((v, ctx) => {
        const problem = passwordProblem(v);
        if (problem) ctx.addIssue({ code: "custom", message: `accounts.errors.password_${problem}` });
      }),
    confirm: z.string(),
    redirectTo: z.string().optional(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "auth.errors.password_mismatch" });

/** The account page's two forms: a number to send a code to, and the code. */
export const PhoneSchema = z.object({
  phone: z
    .string()
    .trim()
    .min(1, "accounts.errors.phone_required")
    .max(20, "form.errors.phone")
    .transform((v, ctx) => {
      const phone = normalizePhone(v);
      if (!phone) {
        ctx.addIssue({ code: "custom", message: "form.errors.phone" });
        return z.NEVER;
      }
      return phone;
    }),
});

export const PhoneCodeSchema = z.object({
  code: z
    .string()
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(
      z
        .string()
        .min(1, "accounts.errors.code_required")
        .regex(/^\d{6}$/, "accounts.errors.code_invalid"),
    ),
});
