import { schema } from "../platform/schema.server";
import { rollupRows } from "../../core/statistics/rollup";
import { addToCounters } from "./counters.server";
import { inTransaction, placeholders, placeholderValues, preparedPerConnection, type Tx } from "../platform/db.server";

/** Every kind of thing the log records. docs/metrics.md defines the figures computed from them. */
export const EVENT_TYPES = [
  "procedure_viewed",
  "template_downloaded",
  "form_started",
  "draft_saved",
  // An answer meant the procedure cannot be done online (the form's exits): demand the portal could not serve.
  "online_exit",
  "attachment_added",
  "attachment_removed",
  // A document of the citizen's data store (an earlier upload or a result) attached to a draft's field, no bytes copied.
  "document_reused",
  "submitted",
  "status_changed",
  "tracking_viewed",
  "payment_started",
  "payment_confirmed",
  "payment_failed",
  "payment_expired",
  // A verified gateway success the books could not take (late or double): flagged for an operator (payment_anomalies).
  "payment_late_success",
  "payment_anomaly_resolved",
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
  // Staff sign-in's second factor (decision 033): enrolled, a wrong/replayed/spent code, a recovery code
  // used, reset by an administrator (data: userId, role; a failure's reason, the codes remaining).
  "second_factor_enrolled",
  "second_factor_failed",
  "recovery_code_used",
  "second_factor_reset",
  // Citizen accounts: registered online (unconfirmed), e-mail confirmed by its link, phone confirmed by its code.
  "account_registered",
  "account_confirmed",
  "phone_confirmed",
  // A VNeID identity joined to an account (data: userId, provider, level, created — a new account made by the sign-in, or linked by its signed-in owner).
  "identity_linked",
  // The catalog: an administrator changed a procedure's time, fee, payment, delivery or in-person step (older logs: its level too) (data.changes: field → {from, to}).
  "procedure_updated",
  // A procedure's derived level or online-service class changed (data: code, from, to, serviceFrom, serviceTo,
  // reason): its cause — a settings change, a form published or withdrawn — is in the same transaction (decision 031).
  "procedure_level_changed",
  // A form version was published (data: code, version) or the published one withdrawn (data: code, version).
  "form_published",
  "form_unpublished",
  // The form builder: an administrator started or saved a procedure's form draft (form_drafts), or
  // discarded it (data: code, basedOnVersion; the published version is untouched).
  "form_draft_saved",
  "form_draft_discarded",
  // The reported-vs-measured page: an administrator imported a file of reported figures (reported_imports).
  "reported_imported",
  // Acting for someone else (decision 036): a draft's subject chosen or changed (data: onBehalf); a business's
  // owner added or removed a member (data: taxCode, userId); the officer's check of an authorisation document at
  // receipt (data: outcome accepted | refused).
  "subject_chosen",
  "business_member_added",
  "business_member_removed",
  "authorisation_checked",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export type NewEvent = Omit<typeof schema.dossierEvents.$inferInsert, "id" | "type" | "occurredAt"> & { type: EventType; occurredAt?: Date };

/** The fields that place an event on a dossier: the dossier, its procedure, its agency and the channel it came by. */
export function ofDossier(d: Pick<typeof schema.dossiers.$inferSelect, "id" | "procedureId" | "agencyId" | "channel">) {
  return { dossierId: d.id, procedureId: d.procedureId, agencyId: d.agencyId, channel: d.channel };
}

/** The log's columns an event may set; the insert below has a placeholder for each (an absent one is null). */
const EVENT_COLUMNS = [
  "type",
  "occurredAt",
  "procedureId",
  "agencyId",
  "dossierId",
  "actorId",
  "actorRole",
  "channel",
  "fromStatus",
  "toStatus",
  "data",
] as const;
/** The log's one insert, prepared once per connection. */
const insertEvent = preparedPerConnection((tx) => tx.insert(schema.dossierEvents).values(placeholders(EVENT_COLUMNS)).prepare());

/**
 * The one way to append to the log; call it inside the transaction that makes the change it records.
 * It also adds one to the event's daily counters (app/core/statistics/rollup.ts) and to the tables
 * kept from them (the counters store, docs/decisions/021). Both writes are wrapped in
 * `inTransaction`: a savepoint inside the caller's transaction (rolled back with it), or a
 * transaction of their own when the caller is in none — so an event is never without its
 * counters, nor counted without being logged.
 */
export async function recordEvent(tx: Tx, event: NewEvent): Promise<void> {
  const row = { ...event, occurredAt: event.occurredAt ?? new Date() };
  await inTransaction(async (inner) => {
    await insertEvent(inner).execute(placeholderValues(EVENT_COLUMNS, row));
    await addToCounters(
      inner,
      rollupRows(row).map((key) => ({ ...key, count: 1 })),
    );
  }, tx);
}
