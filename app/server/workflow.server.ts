import { and, eq, sql } from "drizzle-orm";
import * as schema from "../../db/schema";
import { appointmentDate, createCalendar } from "../core/calendar/working-days";
import { STATUS, transition, type ActorRole, type TransitionName } from "../core/dossiers/status";
import { db, type Tx } from "./db.server";
import { recordEvent } from "./events.server";
import { queueNotifications } from "./notifications.server";
import { isUnpaid } from "./payments.server";

const calendar = createCalendar();

export type Actor = { id: number | null; role: ActorRole; agencyPath?: string | null };
export type Dossier = typeof schema.dossiers.$inferSelect;

export type TransitionOutcome =
  | { ok: true; dossier: Dossier }
  | { ok: false; error: "not_found" | "conflict" | "not_allowed_from_status" | "not_allowed_for_role" | "reason_required" | "payment_required" };

/** A dossier an officer may act on: its agency is the officer's or below it (the path GLOB is the scope). */
export function inScope(tx: Tx, dossier: Dossier, actor: Actor): boolean {
  if (actor.role !== "officer") return true;
  if (!actor.agencyPath) return false;
  const row = tx
    .select({ id: schema.agencies.id })
    .from(schema.agencies)
    .where(and(eq(schema.agencies.id, dossier.agencyId), sql`${schema.agencies.path} glob ${`${actor.agencyPath}*`}`))
    .get();
  return row !== undefined;
}

/**
 * The one way a dossier changes status after submission: the state machine decides, the
 * version check makes two officers acting at once have one winner, and the new status and its
 * event (actor, role, reason, from → to) are written in one immediate transaction.
 * `extra` runs inside the same transaction for what the move brings with it (a result row…).
 */
export function applyTransition(input: {
  dossierId: number;
  action: TransitionName;
  actor: Actor;
  reason?: string | null;
  expectedVersion?: number;
  now?: Date;
  extra?: (tx: Tx, dossier: Dossier) => void;
}): TransitionOutcome {
  const now = input.now ?? new Date();
  return db().transaction(
    (tx): TransitionOutcome => {
      const dossier = tx.select().from(schema.dossiers).where(eq(schema.dossiers.id, input.dossierId)).get();
      if (!dossier || dossier.status === STATUS.draft || !inScope(tx, dossier, input.actor)) return { ok: false, error: "not_found" };
      if (input.actor.role === "citizen" && dossier.applicantId !== input.actor.id) return { ok: false, error: "not_found" };
      if (input.expectedVersion !== undefined && input.expectedVersion !== dossier.version) return { ok: false, error: "conflict" };
      const move = transition({ action: input.action, from: dossier.status, role: input.actor.role, reason: input.reason, unpaid: isUnpaid(tx, dossier) });
      if (!move.ok) return move;
      const procedure = tx.select().from(schema.procedures).where(eq(schema.procedures.id, dossier.procedureId)).get();
      // The appointment is counted from receipt, not from submission (Decree 61/2018, art. 19).
      const dueOn = input.action === "receive" && procedure ? appointmentDate(calendar, now, procedure.processingDays) : dossier.dueOn;
      const updated = tx
        .update(schema.dossiers)
        .set({ status: move.to, dueOn, version: dossier.version + 1, updatedAt: now })
        .where(and(eq(schema.dossiers.id, dossier.id), eq(schema.dossiers.version, dossier.version)))
        .returning()
        .get();
      if (!updated) return { ok: false, error: "conflict" };
      recordEvent(tx, {
        type: "status_changed",
        occurredAt: now,
        dossierId: dossier.id,
        procedureId: dossier.procedureId,
        agencyId: dossier.agencyId,
        actorId: input.actor.id,
        actorRole: input.actor.role,
        channel: dossier.channel,
        fromStatus: move.from,
        toStatus: move.to,
        data: { action: input.action, ...(input.reason ? { reason: input.reason.trim().slice(0, 1000) } : {}), ...(dueOn !== dossier.dueOn ? { dueOn } : {}) },
      });
      queueNotifications(tx, { dossier: updated, reason: input.reason });
      input.extra?.(tx, updated);
      return { ok: true, dossier: updated };
    },
    { behavior: "immediate" },
  );
}
