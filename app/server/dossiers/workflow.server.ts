import { accessTo } from "./representation.server";
import { and, desc, eq, sql } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { appointmentDate, createCalendar, vnDate } from "../../core/calendar/working-days";
import { checkApology, classifyTimeliness, clockRuns, resumeClock, type ApologyError } from "../../core/dossiers/deadline";
import { allFields } from "../../core/forms/definition";
import { formIn } from "../catalog/catalog.server";
import type { Dossier } from "./dossiers.server";
import { STATUS, transition, type ActorRole, type TransitionName } from "../../core/dossiers/status";
import { signResult } from "../../core/results/verification";
import { db, inTransaction, preparedPerConnection, type Tx } from "../platform/db.server";
import { env } from "../platform/env.server";
import { recordEvent, ofDossier } from "../statistics/events.server";
import { queueNotifications } from "../notifications/notifications.server";
import { isUnpaid } from "../payments/payments.server";
import { subtreePattern } from "../staff/agency-scope.server";
import { startsWith } from "../platform/dialect.server";

const calendar = createCalendar();

export type Actor = { id: number | null; role: ActorRole; agencyPath?: string | null };

export type TransitionError =
  | "not_found"
  | "conflict"
  | "not_allowed_from_status"
  | "not_allowed_for_role"
  | "reason_required"
  | "payment_required"
  | "items_required"
  | "items_unknown"
  | "result_required";
export type TransitionOutcome = { ok: true; dossier: Dossier } | { ok: false; error: TransitionError };

/** The fields and documents of the dossier's own form version: what a supplement request may name. */
async function formItemNames(tx: Tx, dossier: Dossier): Promise<Set<string>> {
  const form = await formIn(tx, dossier.procedureId, dossier.formVersion);
  return new Set(form ? allFields(form.definition).map((f) => f.name) : []);
}

/** Every move's reads, prepared once per connection (platform/db.server.ts). */
const statements = preparedPerConnection((tx) => ({
  dossier: tx
    .select()
    .from(schema.dossiers)
    .where(eq(schema.dossiers.id, sql.placeholder("id")))
    .prepare(),
  agencyInSubtree: tx
    .select({ id: schema.agencies.id })
    .from(schema.agencies)
    .where(and(eq(schema.agencies.id, sql.placeholder("agencyId")), startsWith(schema.agencies.path, sql.placeholder("pattern"))))
    .limit(1)
    .prepare(),
  processingDays: tx
    .select({ days: schema.procedures.processingDays })
    .from(schema.procedures)
    .where(eq(schema.procedures.id, sql.placeholder("id")))
    .prepare(),
}));

/** A dossier an officer may act on: its agency is the officer's or below it (the path GLOB is the scope). */
export async function inScope(tx: Tx, dossier: Dossier, actor: Actor): Promise<boolean> {
  if (actor.role !== "officer") return true;
  if (!actor.agencyPath) return false;
  const [found] = await statements(tx).agencyInSubtree.execute({ agencyId: dossier.agencyId, pattern: subtreePattern(actor.agencyPath) });
  return found !== undefined;
}

/**
 * What a move does to the deadline clock: receipt starts it (the appointment is counted from
 * receipt, not submission — Decree 61/2018 art. 19), a supplement request stops it, leaving the
 * supplement status starts it again with the deadline moved by the waiting days, and the end of
 * the agency's handling fixes the finishing time and, for a result or a stop, early/on time/late.
 */
function nextClock(dossier: Dossier, action: TransitionName, to: number, now: Date, processingDays: number | undefined) {
  const set: Partial<Pick<Dossier, "dueOn" | "pausedAt" | "pausedDays" | "finishedAt" | "timeliness">> = {};
  const data: Record<string, unknown> = {};
  let dueOn = dossier.dueOn;
  if (action === "receive" && processingDays !== undefined) {
    dueOn = appointmentDate(calendar, now, processingDays);
    set.dueOn = dueOn;
    data.dueOn = dueOn;
  }
  if (to === STATUS.supplementRequested) set.pausedAt = now;
  if (dossier.status === STATUS.supplementRequested && dossier.pausedAt) {
    const resumed = resumeClock(calendar, { dueOn, pausedAt: dossier.pausedAt, resumedAt: now });
    dueOn = resumed.dueOn;
    Object.assign(set, { dueOn, pausedAt: null, pausedDays: dossier.pausedDays + resumed.pausedDays });
    Object.assign(data, { pausedDays: resumed.pausedDays, dueOn });
  }
  if (FINISHING.has(to)) {
    set.finishedAt = now;
    if ((to === STATUS.resultReady || to === STATUS.stopped) && dueOn) {
      set.timeliness = classifyTimeliness(vnDate(now), dueOn);
      data.timeliness = set.timeliness;
    }
  }
  return { set, data };
}

/** Where the agency's handling ends (a result ready, a stop, a refusal at the counter, a withdrawal). */
const FINISHING: ReadonlySet<number> = new Set([STATUS.notReceived, STATUS.withdrawn, STATUS.stopped, STATUS.resultReady]);

/**
 * The one way a dossier changes status after submission: the state machine decides, the
 * version check makes two officers acting at once have one winner, and the new status and its
 * event (actor, role, reason, from → to) are written in one immediate transaction.
 * `extra` runs inside the same transaction for what the move brings with it (a result row…).
 */
export async function applyTransition(input: {
  dossierId: number;
  action: TransitionName;
  actor: Actor;
  reason?: string | null;
  expectedVersion?: number;
  now?: Date;
  /** requestSupplement: the exact form fields and documents the citizen is asked to fix. */
  supplementItems?: readonly string[];
  /** More to say in the status_changed event (what a supplement changed…). */
  eventData?: Record<string, unknown>;
  /** issueResult: the result itself, already stored (delivery.server.ts issueResult); written with the move. */
  result?: IssuedResult;
  extra?: (tx: Tx, dossier: Dossier) => Promise<void>;
}): Promise<TransitionOutcome> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<TransitionOutcome> => {
    const [dossier] = await statements(tx).dossier.execute({ id: input.dossierId });
    if (!dossier || dossier.status === STATUS.draft || !(await inScope(tx, dossier, input.actor))) return { ok: false, error: "not_found" };
    if (input.actor.role === "citizen" && (input.actor.id === null || (await accessTo(input.actor.id, dossier)) === null))
      return { ok: false, error: "not_found" };
    if (input.expectedVersion !== undefined && input.expectedVersion !== dossier.version) return { ok: false, error: "conflict" };
    const move = transition({
      action: input.action,
      from: dossier.status,
      role: input.actor.role,
      reason: input.reason,
      unpaid: await isUnpaid(tx, dossier),
      hasResult: input.result !== undefined,
    });
    if (!move.ok) return move;
    const items = [...new Set(input.supplementItems ?? [])];
    if (input.action === "requestSupplement") {
      if (items.length === 0) return { ok: false, error: "items_required" };
      const known = await formItemNames(tx, dossier);
      if (items.some((name) => !known.has(name))) return { ok: false, error: "items_unknown" };
    }
    const [procedure] = await statements(tx).processingDays.execute({ id: dossier.procedureId });
    const clock = nextClock(dossier, input.action, move.to, now, procedure?.days);
    const [updated] = await tx
      .update(schema.dossiers)
      .set({ status: move.to, ...clock.set, version: dossier.version + 1, updatedAt: now })
      .where(and(eq(schema.dossiers.id, dossier.id), eq(schema.dossiers.version, dossier.version)))
      .returning();
    if (!updated) return { ok: false, error: "conflict" };
    if (input.action === "requestSupplement" && input.actor.id !== null) {
      await tx
        .insert(schema.supplementRequests)
        .values({ dossierId: dossier.id, requestedBy: input.actor.id, message: (input.reason ?? "").trim().slice(0, 2000), items, requestedAt: now });
    }
    // Who did it, when, to which dossier: the same on every event of this move.
    const byActor = { occurredAt: now, ...ofDossier(dossier), actorId: input.actor.id, actorRole: input.actor.role };
    await recordEvent(tx, {
      type: "status_changed",
      ...byActor,
      fromStatus: move.from,
      toStatus: move.to,
      data: {
        action: input.action,
        ...(input.reason ? { reason: input.reason.trim().slice(0, 1000) } : {}),
        ...(input.action === "requestSupplement" ? { items } : {}),
        ...clock.data,
        ...input.eventData,
      },
    });
    // An authorised adult's dossier: receiving it accepts the authorisation document, refusing on it refuses it (decision 036).
    if (dossier.onBehalf === "authorised" && (input.action === "receive" || (input.action === "refuse" && input.eventData?.ground === "authorisation")))
      await recordEvent(tx, {
        type: "authorisation_checked",
        ...byActor,
        data: { outcome: input.action === "receive" ? "accepted" : "refused" },
      });
    if (input.result && input.action === "issueResult") await writeResult(tx, updated, input.result, input.actor, now);
    await queueNotifications(tx, { dossier: updated, reason: input.reason });
    if (input.extra) await input.extra(tx, updated);
    return { ok: true, dossier: updated };
  });
}

/** A result's signed PDF, stored before the move (no file write inside a transaction: it would hold the write lock). */
export type IssuedResult = {
  verificationCode: string;
  sha256: string;
  storageKey: string;
  source: "fields" | "upload";
  /** The filled result fields (source "fields"). */
  content: Record<string, unknown> | null;
  /** The uploaded document's display name (source "upload"). */
  fileName: string | null;
};

/** The result row, signed over its exact bytes (core/results/verification.ts), and its event. */
async function writeResult(tx: Tx, dossier: Dossier, result: IssuedResult, actor: Actor, now: Date): Promise<void> {
  const signature = signResult({ code: result.verificationCode, sha256: result.sha256, secret: env().RESULT_SIGNING_SECRET });
  await tx.insert(schema.results).values({
    dossierId: dossier.id,
    verificationCode: result.verificationCode,
    sha256: result.sha256,
    signature,
    storageKey: result.storageKey,
    issuedAt: now,
    source: result.source,
    content: result.content,
    fileName: result.fileName,
  });
  await recordEvent(tx, {
    type: "result_issued",
    occurredAt: now,
    ...ofDossier(dossier),
    actorId: actor.id,
    actorRole: actor.role,
    data: { delivery: dossier.deliveryMode, source: result.source },
  });
}

export type ApologyOutcome = { ok: true; dossier: Dossier } | { ok: false; error: "not_found" | "conflict" | "not_running" | ApologyError };

/**
 * An apology with a new appointment date for a dossier that is or will be late: the citizen is
 * shown the new date and the letter, and notified. The legal deadline (`due_on`) stays, so the
 * dossier is still counted late if it finishes after it. One transaction with its event.
 */
export async function issueApology(input: {
  dossierId: number;
  actor: Actor;
  newDate: string;
  message: string;
  expectedVersion?: number;
  now?: Date;
}): Promise<ApologyOutcome> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx): Promise<ApologyOutcome> => {
    const [dossier] = await statements(tx).dossier.execute({ id: input.dossierId });
    if (!dossier || dossier.status === STATUS.draft || input.actor.role !== "officer" || !(await inScope(tx, dossier, input.actor)))
      return { ok: false, error: "not_found" };
    if (input.expectedVersion !== undefined && input.expectedVersion !== dossier.version) return { ok: false, error: "conflict" };
    if (!clockRuns(dossier) || !dossier.dueOn) return { ok: false, error: "not_running" };
    const checked = checkApology(calendar, { today: vnDate(now), dueOn: dossier.dueOn, newDate: input.newDate });
    if (!checked.ok) return checked;
    const [updated] = await tx
      .update(schema.dossiers)
      .set({ rescheduledOn: input.newDate, version: dossier.version + 1, updatedAt: now })
      .where(and(eq(schema.dossiers.id, dossier.id), eq(schema.dossiers.version, dossier.version)))
      .returning();
    if (!updated) return { ok: false, error: "conflict" };
    await recordEvent(tx, {
      type: "apology_issued",
      occurredAt: now,
      ...ofDossier(dossier),
      actorId: input.actor.id,
      actorRole: input.actor.role,
      data: { dueOn: dossier.dueOn, newDate: input.newDate, message: input.message.trim().slice(0, 2000) },
    });
    await queueNotifications(tx, { dossier: updated, template: "apology", newDate: input.newDate, reason: input.message.trim() });
    return { ok: true, dossier: updated };
  });
}

/** The latest apology on a dossier (what the citizen is shown), read from the log. */
export async function latestApology(dossierId: number): Promise<{ newDate: string; message: string; at: Date } | null> {
  const [row] = await db()
    .select({ data: schema.dossierEvents.data, at: schema.dossierEvents.occurredAt })
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "apology_issued")))
    .orderBy(desc(schema.dossierEvents.id))
    .limit(1);
  const data = ApologyDataSchema.safeParse(row?.data);
  return row && data.success ? { ...data.data, at: row.at } : null;
}

const ApologyDataSchema = z.object({ newDate: z.string(), message: z.string() });
