import argon2 from "argon2";
import QRCode from "qrcode";
import { and, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import {
  checkTotp,
  formatSecret,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  openSecret,
  requiresSecondFactor,
  sealSecret,
  totpUri,
} from "../../core/auth/second-factor";
import type { Manager } from "../../core/staff/staff";
import { managedStaffMember } from "../staff/staff.server";
import type { Role } from "../../core/auth/permissions";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { env } from "../platform/env.server";
import { recordEvent } from "../statistics/events.server";

/**
 * Staff members' second factor (docs/decisions/033): the TOTP secret (sealed with TWO_FACTOR_KEY), the
 * last time step accepted, and one-time recovery codes (argon2id hashes). Each change is one
 * transaction with its event; the rules (window, replay, code formats) are app/core/auth/second-factor.ts.
 */

/** The name authenticator apps show above the code. */
const ISSUER = "Cổng DVC";

/**
 * Recovery codes carry ~49 random bits, so they need no password-grade cost; the OWASP minimum for
 * argon2id (19 MiB, 2 passes) keeps checking ten of them quick.
 */
const RECOVERY_HASH = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

type Account = { id: number; role: Role; agencyId: number | null };

const seal = (userId: number, secret: string) => sealSecret({ secret, key: env().TWO_FACTOR_KEY, userId });
const open = (userId: number, box: string) => openSecret({ box, key: env().TWO_FACTOR_KEY, userId });

async function factorRow(userId: number, client: Tx = db()) {
  const [row] = await client.select().from(schema.staffSecondFactors).where(eq(schema.staffSecondFactors.userId, userId)).limit(1);
  return row ?? null;
}

/** Whether the account has a confirmed second factor (the second step asks a code) or must enrol. */
export async function secondFactorEnrolled(userId: number): Promise<boolean> {
  const row = await factorRow(userId);
  // A secret the key no longer opens (TWO_FACTOR_KEY changed) counts as none: the member enrols again.
  return row !== null && row.confirmedAt !== null && open(userId, row.secret) !== null;
}

/**
 * The secret a member enrolling is shown (QR code and text). Made at the first sign-in without a
 * confirmed factor (staff only) and kept until confirmed, so a reload or a second try shows the same one the app
 * may already hold. Called by the password step (a POST), so the page that shows it only reads.
 */
export async function prepareEnrolment(account: { id: number; role: Role }): Promise<void> {
  if (!requiresSecondFactor(account.role)) return;
  const userId = account.id;
  await inTransaction(async (tx) => {
    const row = await factorRow(userId, tx);
    // Enrolled, or enrolling with a secret still readable: nothing to make.
    if (row && open(userId, row.secret) !== null) return;
    const secret = seal(userId, newTotpSecret());
    await tx
      .insert(schema.staffSecondFactors)
      .values({ userId, secret, confirmedAt: null, lastUsedStep: null })
      .onConflictDoUpdate({ target: schema.staffSecondFactors.userId, set: { secret, confirmedAt: null, lastUsedStep: null } });
  });
}

/**
 * What the enrolment page shows: the otpauth address as a QR code (an SVG data URI, as the receipt's)
 * and the secret as text in groups of four. Null when there is nothing to enrol.
 */
export async function enrolmentQr(input: { userId: number; email: string }): Promise<{ qr: string; key: string } | null> {
  const row = await factorRow(input.userId);
  if (!row || row.confirmedAt !== null) return null;
  const secret = open(input.userId, row.secret);
  if (!secret) return null;
  const svg = await QRCode.toString(totpUri({ secret, account: input.email, issuer: ISSUER }), { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return { qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`, key: formatSecret(secret) };
}

export type EnrolOutcome = { ok: true; recoveryCodes: string[] } | { ok: false; error: "wrong" | "not_enrolling" };

/**
 * Confirms an enrolment with a code from the app: the factor is then the account's, its step used,
 * and ten fresh recovery codes (any earlier ones dropped) are returned, to be shown once.
 */
export async function confirmEnrolment(input: { account: Account; code: string; now?: Date }): Promise<EnrolOutcome> {
  const { account } = input;
  const now = input.now ?? new Date();
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map((c) => argon2.hash(normalizeRecoveryCode(c), RECOVERY_HASH)));
  return inTransaction(async (tx): Promise<EnrolOutcome> => {
    const row = await factorRow(account.id, tx);
    const secret = row && row.confirmedAt === null ? open(account.id, row.secret) : null;
    if (!secret) return { ok: false, error: "not_enrolling" };
    const check = await checkTotp({ secret, code: input.code, now, lastUsedStep: row?.lastUsedStep ?? null });
    if (!check.ok) {
      await recordFailure(tx, account, now, "enrol_wrong_code");
      return { ok: false, error: "wrong" };
    }
    await tx.update(schema.staffSecondFactors).set({ confirmedAt: now, lastUsedStep: check.step }).where(eq(schema.staffSecondFactors.userId, account.id));
    await tx.delete(schema.recoveryCodes).where(eq(schema.recoveryCodes.userId, account.id));
    await tx.insert(schema.recoveryCodes).values(hashes.map((codeHash) => ({ userId: account.id, codeHash, createdAt: now })));
    await recordEvent(tx, { type: "second_factor_enrolled", occurredAt: now, ...actorOf(account), data: { userId: account.id, role: account.role } });
    return { ok: true, recoveryCodes: codes };
  });
}

export type VerifyOutcome = { ok: true } | { ok: false; error: "wrong" | "replayed" | "not_enrolled" };

/** Checks a sign-in's TOTP code; the right one's step becomes the last used, so it works once. */
export async function verifyTotp(input: { account: Account; code: string; now?: Date }): Promise<VerifyOutcome> {
  const { account } = input;
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<VerifyOutcome> => {
    const row = await factorRow(account.id, tx);
    const secret = row && row.confirmedAt !== null ? open(account.id, row.secret) : null;
    if (!row || !secret) return { ok: false, error: "not_enrolled" };
    const check = await checkTotp({ secret, code: input.code, now, lastUsedStep: row.lastUsedStep });
    if (!check.ok) {
      await recordFailure(tx, account, now, check.reason === "replayed" ? "replayed_code" : "wrong_code");
      return { ok: false, error: check.reason };
    }
    await tx.update(schema.staffSecondFactors).set({ lastUsedStep: check.step }).where(eq(schema.staffSecondFactors.userId, account.id));
    return { ok: true };
  });
}

export type RecoveryOutcome = { ok: true; remaining: number } | { ok: false; error: "wrong" | "not_enrolled" };

/** Signs in with a recovery code instead of the app: each code works once. */
export async function useRecoveryCode(input: { account: Account; recoveryCode: string; now?: Date }): Promise<RecoveryOutcome> {
  const { account } = input;
  const now = input.now ?? new Date();
  if (!(await secondFactorEnrolled(account.id))) return { ok: false, error: "not_enrolled" };
  const unused = await db()
    .select({ id: schema.recoveryCodes.id, codeHash: schema.recoveryCodes.codeHash })
    .from(schema.recoveryCodes)
    .where(and(eq(schema.recoveryCodes.userId, account.id), isNull(schema.recoveryCodes.usedAt)));
  // The hashes are checked outside the transaction (tens of milliseconds each), the use inside it.
  const given = normalizeRecoveryCode(input.recoveryCode);
  const matches = await Promise.all(unused.map((c) => argon2.verify(c.codeHash, given).catch(() => false)));
  const match = unused.find((_, i) => matches[i]);
  return inTransaction(async (tx): Promise<RecoveryOutcome> => {
    // Spent by a request that got here first: as wrong as any other used code.
    const spent = match
      ? await tx
          .update(schema.recoveryCodes)
          .set({ usedAt: now })
          .where(and(eq(schema.recoveryCodes.id, match.id), isNull(schema.recoveryCodes.usedAt)))
          .returning({ id: schema.recoveryCodes.id })
      : [];
    if (spent.length === 0) {
      await recordFailure(tx, account, now, "wrong_recovery_code");
      return { ok: false, error: "wrong" };
    }
    const remaining = unused.length - 1;
    await recordEvent(tx, { type: "recovery_code_used", occurredAt: now, ...actorOf(account), data: { userId: account.id, role: account.role, remaining } });
    return { ok: true, remaining };
  });
}

export type ResetOutcome = { ok: true } | { ok: false; error: "not_found" | "forbidden" | "self" };

/**
 * An administrator resets a staff member's second factor (a lost phone): the secret and recovery codes
 * go, the member's sessions end, and their next sign-in enrols again. Within the administrator's
 * agencies only, as disabling is; not their own (another administrator does that).
 */
export async function resetSecondFactor(input: { manager: Manager; userId: number; now?: Date }): Promise<ResetOutcome> {
  const { manager } = input;
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<ResetOutcome> => {
    const found = await managedStaffMember(tx, manager, input.userId);
    if (!found.ok) return found;
    const { target } = found;
    await tx.delete(schema.staffSecondFactors).where(eq(schema.staffSecondFactors.userId, target.id));
    await tx.delete(schema.recoveryCodes).where(eq(schema.recoveryCodes.userId, target.id));
    await tx.delete(schema.sessions).where(eq(schema.sessions.userId, target.id));
    await recordEvent(tx, {
      type: "second_factor_reset",
      occurredAt: now,
      agencyId: target.agencyId,
      actorId: manager.id,
      actorRole: manager.role,
      data: { userId: target.id, role: target.role },
    });
    return { ok: true };
  });
}

/** The members of a list who have a confirmed second factor (the staff list shows it). */
export async function enrolledAmong(userIds: readonly number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await db()
    .select({ userId: schema.staffSecondFactors.userId })
    .from(schema.staffSecondFactors)
    .where(and(inArray(schema.staffSecondFactors.userId, [...userIds]), isNotNull(schema.staffSecondFactors.confirmedAt)));
  return new Set(rows.map((r) => r.userId));
}

function actorOf(account: Account) {
  return { agencyId: account.agencyId, actorId: account.id, actorRole: account.role };
}

/** A wrong, replayed or spent code: in the audit trail of the member's agency, with why. */
async function recordFailure(tx: Tx, account: Account, now: Date, reason: string): Promise<void> {
  await recordEvent(tx, { type: "second_factor_failed", occurredAt: now, ...actorOf(account), data: { userId: account.id, role: account.role, reason } });
}
