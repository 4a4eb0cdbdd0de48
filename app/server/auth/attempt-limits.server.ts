import { eq, inArray, lt } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { checkWindow, countAttempt, slowDownMs, type Counter, type SlowRule, type WindowRule } from "../../core/security/attempt-window";
import { db, inTransaction } from "../platform/db.server";

/**
 * The attempt limits' counters, in the database (docs/decisions/014-attempt-limits.md): every
 * server process on the file sees the same counts, and a restart forgets nothing. The window logic
 * is pure (app/core/security/attempt-window.ts); here are the reads and the one atomic write.
 */

const MINUTE = 60_000;

/** Each limit the portal keeps: a hard limit refuses (429) until its window ends; a slow one delays. */
export const LIMITS = {
  /** A password guesser on one account from one address. */
  signInPair: { limit: 5, windowMs: 15 * MINUTE },
  /** One address guessing across accounts (set wide: many citizens share a mobile carrier's address). */
  signInAddress: { limit: 30, windowMs: 15 * MINUTE },
  /** Many addresses on one account: the owner waits a little longer each time, never shut out. */
  signInAccount: { limit: 10, windowMs: 15 * MINUTE, baseMs: 500, maxMs: 10_000 },
  /** Second factors for one receipt code from one address. */
  trackPair: { limit: 10, windowMs: 60 * MINUTE },
  /** One address guessing across receipt codes. */
  trackAddress: { limit: 30, windowMs: 60 * MINUTE },
  /** Many addresses on one receipt code: slows, so its owner still gets in from a fresh address. */
  trackCode: { limit: 10, windowMs: 60 * MINUTE, baseMs: 500, maxMs: 10_000 },
  /** Registrations (each costs an argon2 hash and an e-mail) from one address. */
  registerAddress: { limit: 10, windowMs: 60 * MINUTE },
  /** Registrations naming one e-mail: past this no further mail goes to that address (no mail-bombing). */
  registerEmail: { limit: 3, windowMs: 60 * MINUTE },
  /** Confirmation codes sent to phones by one account. */
  phoneCodes: { limit: 5, windowMs: 60 * MINUTE },
  /**
   * Wrong second-factor codes (TOTP or recovery) for one staff account, from anywhere: whoever types
   * them already knows the password, and a million codes must not be guessable (decision 033).
   */
  secondFactorAccount: { limit: 5, windowMs: 15 * MINUTE },
  /** Wrong second-factor codes from one address, across accounts. */
  secondFactorAddress: { limit: 20, windowMs: 15 * MINUTE },
} as const satisfies Record<string, WindowRule | SlowRule>;

export type Limited = { key: string; rule: WindowRule };

async function readCounters(keys: readonly string[]): Promise<Map<string, Counter>> {
  if (keys.length === 0) return new Map();
  const rows = await db()
    .select()
    .from(schema.attemptCounters)
    .where(inArray(schema.attemptCounters.key, [...keys]));
  return new Map(rows.map((r) => [r.key, { windowStart: r.windowStart.getTime(), count: r.count }]));
}

/** The longest wait among the hard limits that are spent, or null when all still allow an attempt. */
export async function refusedFor(limits: readonly Limited[], now = Date.now()): Promise<{ retryAfterMs: number } | null> {
  const counters = await readCounters(limits.map((l) => l.key));
  let retryAfterMs = -1;
  for (const { key, rule } of limits) {
    const verdict = checkWindow(counters.get(key), rule, now);
    if (!verdict.allowed) retryAfterMs = Math.max(retryAfterMs, verdict.retryAfterMs);
  }
  return retryAfterMs < 0 ? null : { retryAfterMs };
}

/** How long to hold an attempt under a slowing limit (0 below its free failures). */
export async function delayFor(key: string, rule: SlowRule, now = Date.now()): Promise<number> {
  return slowDownMs((await readCounters([key])).get(key), rule, now);
}

/**
 * Counts one attempt against each key. One immediate transaction: two processes counting the same
 * key at once both land (the second waits for the first's lock, then reads its count).
 */
export async function countAttempts(limits: readonly Limited[], now = Date.now()): Promise<void> {
  await inTransaction(async (tx) => {
    for (const { key, rule } of limits) {
      const [row] = await tx.select().from(schema.attemptCounters).where(eq(schema.attemptCounters.key, key)).limit(1);
      const next = countAttempt(row ? { windowStart: row.windowStart.getTime(), count: row.count } : undefined, rule, now);
      const values = { windowStart: new Date(next.windowStart), count: next.count, expiresAt: new Date(next.windowStart + rule.windowMs) };
      await tx
        .insert(schema.attemptCounters)
        .values({ key, ...values })
        .onConflictDoUpdate({ target: schema.attemptCounters.key, set: values });
    }
    // Rows past their window count nothing; clearing a few on each write keeps the table small.
    const stale = await tx
      .select({ key: schema.attemptCounters.key })
      .from(schema.attemptCounters)
      .where(lt(schema.attemptCounters.expiresAt, new Date(now)))
      .limit(20);
    if (stale.length > 0)
      await tx.delete(schema.attemptCounters).where(
        inArray(
          schema.attemptCounters.key,
          stale.map((s) => s.key),
        ),
      );
  });
}

/** Forgets a key (a correct answer from that account and address). */
export async function clearAttempts(keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await inTransaction(async (tx) => {
    await tx.delete(schema.attemptCounters).where(inArray(schema.attemptCounters.key, [...keys]));
  });
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds for a Retry-After header and the "try again in" message (at least one). */
export const retryAfterSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
