import { and, eq } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { db, inTransaction } from "../platform/db.server";
import { recordEvent } from "../statistics/events.server";
import type { VneidPerson } from "./vneid.server";

/**
 * Which account a verified VNeID sign-in opens (docs/decisions/034-vneid-sign-in.md):
 * 1. the account this VNeID (its CCCD) is already linked to;
 * 2. else, when the sign-in began from a signed-in citizen's account page, that account (linked now:
 *    the person proved both the password and the VNeID);
 * 3. else a new citizen account, with the e-mail VNeID verified — but never an existing account found
 *    by that e-mail: an e-mail alone does not prove the VNeID holder owns the account, so its owner
 *    links it themselves (2).
 * Staff accounts are never opened by VNeID (their sign-in has its own second factor).
 */
export type VneidAccountOutcome =
  { ok: true; userId: number; created: boolean; linked: boolean } | { ok: false; reason: "email_taken" | "already_linked" | "staff" | "no_email" | "disabled" };

/** An unusable password hash: argon2 cannot verify against it, so the account has no password sign-in until one is set. */
export const NO_PASSWORD = "!vneid-only";

export async function accountForVneid(person: VneidPerson, linkTo: number | null, now = new Date()): Promise<VneidAccountOutcome> {
  return inTransaction(async (tx): Promise<VneidAccountOutcome> => {
    const verified = { level: person.level, fullName: person.fullName, birthDate: person.birthDate, lastSignInAt: now };
    const [known] = await tx
      .select({ identityId: schema.userIdentities.id, userId: schema.userIdentities.userId, role: schema.users.role, disabledAt: schema.users.disabledAt })
      .from(schema.userIdentities)
      .innerJoin(schema.users, eq(schema.users.id, schema.userIdentities.userId))
      .where(and(eq(schema.userIdentities.provider, "vneid"), eq(schema.userIdentities.subject, person.subject)))
      .limit(1);
    if (known) {
      if (linkTo !== null && known.userId !== linkTo) return { ok: false, reason: "already_linked" };
      if (known.disabledAt !== null) return { ok: false, reason: "disabled" };
      if (known.role !== "citizen") return { ok: false, reason: "staff" };
      await tx.update(schema.userIdentities).set(verified).where(eq(schema.userIdentities.id, known.identityId));
      return { ok: true, userId: known.userId, created: false, linked: false };
    }
    if (linkTo !== null) {
      const [owner] = await tx.select().from(schema.users).where(eq(schema.users.id, linkTo)).limit(1);
      if (!owner || owner.disabledAt !== null) return { ok: false, reason: "disabled" };
      if (owner.role !== "citizen") return { ok: false, reason: "staff" };
      const [other] = await tx
        .select({ id: schema.userIdentities.id })
        .from(schema.userIdentities)
        .where(and(eq(schema.userIdentities.userId, linkTo), eq(schema.userIdentities.provider, "vneid")))
        .limit(1);
      // One VNeID per account: a second, different CCCD is not silently swapped in.
      if (other) return { ok: false, reason: "already_linked" };
      await tx.insert(schema.userIdentities).values({ userId: linkTo, provider: "vneid", subject: person.subject, ...verified });
      await recordEvent(tx, {
        type: "identity_linked",
        occurredAt: now,
        actorId: linkTo,
        actorRole: "citizen",
        data: { userId: linkTo, provider: "vneid", level: person.level, created: false },
      });
      return { ok: true, userId: linkTo, created: false, linked: true };
    }
    if (!person.email || !person.emailVerified) return { ok: false, reason: "no_email" };
    const [taken] = await tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.email, person.email)).limit(1);
    if (taken) return { ok: false, reason: "email_taken" };
    const [created] = await tx
      .insert(schema.users)
      .values({ email: person.email, fullName: person.fullName, role: "citizen", passwordHash: NO_PASSWORD, emailUnconfirmedSince: null })
      .returning({ id: schema.users.id });
    if (!created) throw new Error("the new account's row was not returned");
    await tx.insert(schema.userIdentities).values({ userId: created.id, provider: "vneid", subject: person.subject, ...verified });
    await recordEvent(tx, {
      type: "identity_linked",
      occurredAt: now,
      actorId: created.id,
      actorRole: "citizen",
      data: { userId: created.id, provider: "vneid", level: person.level, created: true },
    });
    return { ok: true, userId: created.id, created: true, linked: true };
  });
}

/** The VNeID identity linked to an account (shown on /account; later the prefill's source), or null. */
export async function vneidIdentityOf(userId: number) {
  const [row] = await db()
    .select({
      subject: schema.userIdentities.subject,
      level: schema.userIdentities.level,
      fullName: schema.userIdentities.fullName,
      birthDate: schema.userIdentities.birthDate,
      lastSignInAt: schema.userIdentities.lastSignInAt,
    })
    .from(schema.userIdentities)
    .where(and(eq(schema.userIdentities.userId, userId), eq(schema.userIdentities.provider, "vneid")))
    .limit(1);
  return row ?? null;
}
