import * as schema from "../../db/schema";
import type { Tx } from "./db.server";

/** Every kind of thing the log records. docs/metrics.md defines the figures computed from them. */
export const EVENT_TYPES = [
  "procedure_viewed",
  "template_downloaded",
  "form_started",
  "draft_saved",
  "attachment_added",
  "attachment_removed",
  "submitted",
  "status_changed",
  "tracking_viewed",
  "payment_started",
  "payment_confirmed",
  "payment_failed",
  "payment_expired",
  "result_issued",
  "result_downloaded",
  "shipment_created",
  "shipment_updated",
  "rated",
  // The officer workspace and administration: who looked at or changed what (the audit trail).
  "personal_data_viewed",
  "attachment_viewed",
  "supplement_answered",
  "apology_issued",
  "notification_sent",
  "notification_failed",
  "user_created",
  "user_disabled",
  "user_enabled",
  "api_token_created",
  "api_token_revoked",
  // The catalog: an administrator changed a procedure's level, time, fee or delivery (data.changes: field → {from, to}).
  "procedure_updated",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type NewEvent = Omit<typeof schema.dossierEvents.$inferInsert, "id" | "type" | "occurredAt"> & { type: EventType; occurredAt?: Date };

/** The one way to append to the log; call it inside the transaction that makes the change it records. */
export function recordEvent(tx: Tx, event: NewEvent): void {
  tx.insert(schema.dossierEvents).values({ ...event, occurredAt: event.occurredAt ?? new Date() }).run();
}
