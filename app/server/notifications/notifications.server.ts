import { subjectAccountId } from "../dossiers/representation.server";
import { and, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { appendFile, mkdir } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import { schema } from "../platform/schema.server";
import { parseReceiptCode } from "../../core/dossiers/receipt-code";
import { maskRecipient } from "../../core/notifications/mask";
import { composeMessages, templateForStatus, type TemplateKey } from "../../core/notifications/messages";
import { db, inTransaction, onPostgres, placeholders, placeholderValues, preparedPerConnection, type Tx } from "../platform/db.server";
import { env, publicUrl, type Env } from "../platform/env.server";
import { recordEvent } from "../statistics/events.server";

/**
 * The notification outbox. A change the citizen must hear about writes its e-mail and SMS rows
 * in its own transaction (`queueNotifications`), so a rolled-back change tells nobody; a
 * background job sends them afterwards through one adapter (`deliverPendingNotifications`), so
 * a provider that is down delays messages instead of losing them or failing the officer's action.
 */

type Dossier = typeof schema.dossiers.$inferSelect;
type Notification = typeof schema.notifications.$inferSelect;

export type QueueInput = {
  /** The dossier told about; its current state is read again with `tx`, so the row from before the update will do. */
  dossier: Dossier;
  /** Which message; by default the one for the dossier's (new) status, if the citizen is told of it. */
  template?: TemplateKey;
  /** The officer's reason or supplement message. */
  reason?: string | null;
  /** An apology's new appointment date (YYYY-MM-DD). */
  newDate?: string | null;
};

const p = sql.placeholder;
const NOTIFICATION_COLUMNS = ["dossierId", "language", "template", "kind", "recipient", "subject", "body"] as const;
/** The reads and the insert of every queued message (each submission and status change queues some), prepared once per connection. */
const statements = preparedPerConnection((tx) => ({
  dossier: tx
    .select()
    .from(schema.dossiers)
    .where(eq(schema.dossiers.id, p("id")))
    .prepare(),
  account: tx
    .select({
      email: schema.users.email,
      emailUnconfirmedSince: schema.users.emailUnconfirmedSince,
      phone: schema.users.phone,
      phoneConfirmedAt: schema.users.phoneConfirmedAt,
    })
    .from(schema.users)
    .where(eq(schema.users.id, p("id")))
    .prepare(),
  procedureName: tx
    .select({ nameVi: schema.procedures.nameVi, nameEn: schema.procedures.nameEn })
    .from(schema.procedures)
    .where(eq(schema.procedures.id, p("id")))
    .prepare(),
  insert: tx.insert(schema.notifications).values(placeholders(NOTIFICATION_COLUMNS)).prepare(),
}));

/**
 * Where a dossier's messages may go (problem 6 of issue 11: the portal must not relay to whatever a
 * form says). An online dossier: the account's e-mail once confirmed by its registration link, and
 * the account's phone once confirmed by a code; the form's applicant_email/applicant_phone stay on
 * the dossier (tracking, the officer's view) but are never messaged. A counter dossier (no account):
 * the contacts the officer took from the applicant in person at intake, which the intake event
 * records as confirmed by that officer.
 */
export async function verifiedContacts(
  tx: Tx,
  dossier: Pick<Dossier, "applicantId" | "applicantEmail" | "applicantPhone">,
): Promise<{ email: string | null; phone: string | null }> {
  if (dossier.applicantId === null) return { email: dossier.applicantEmail, phone: dossier.applicantPhone };
  const [account] = await statements(tx).account.execute({ id: dossier.applicantId });
  if (!account) return { email: null, phone: null };
  return { email: account.emailUnconfirmedSince === null ? account.email : null, phone: account.phoneConfirmedAt !== null ? account.phone : null };
}

/**
 * Writes one e-mail row and one SMS row, to the dossier's verified contacts (`verifiedContacts`),
 * in the dossier's language. Call it inside the
 * transaction of the change. Returns how many rows were queued.
 */
export async function queueNotifications(tx: Tx, input: QueueInput): Promise<number> {
  const [dossier] = await statements(tx).dossier.execute({ id: input.dossier.id });
  const template = input.template ?? (dossier ? templateForStatus(dossier.status) : null);
  if (!dossier?.receiptCode || !template) return 0;
  const filer = await verifiedContacts(tx, dossier);
  // A dossier filed for someone with an account of their own reaches them too (decision 036), at their verified contacts.
  const subjectId = await subjectAccountId(tx, dossier);
  const subject =
    subjectId === null ? { email: null, phone: null } : await verifiedContacts(tx, { applicantId: subjectId, applicantEmail: null, applicantPhone: null });
  const emails = [...new Set([filer.email, subject.email].filter((v): v is string => v !== null))];
  const phones = [...new Set([filer.phone, subject.phone].filter((v): v is string => v !== null))];
  if (emails.length === 0 && phones.length === 0) return 0;
  const [procedure] = await statements(tx).procedureName.execute({ id: dossier.procedureId });
  const base = publicUrl(env());
  // An account holder opens the dossier after signing in; a counter applicant tracks it with a second factor.
  const trackingUrl = dossier.applicantId === null ? `${base}/track?code=${dossier.receiptCode}` : `${base}/applications/${dossier.receiptCode}`;
  const messages = composeMessages({
    template,
    language: dossier.language,
    receiptCode: dossier.receiptCode,
    procedureName: (dossier.language === "en" ? procedure?.nameEn : null) ?? procedure?.nameVi ?? "",
    trackingUrl,
    dueOn: dossier.dueOn,
    applicantName: dossier.applicantName,
    reason: input.reason,
    newDate: input.newDate,
  });
  const common = { dossierId: dossier.id, language: dossier.language, template };
  const rows: (typeof schema.notifications.$inferInsert)[] = [
    ...emails.map((email) => ({ ...common, kind: "email" as const, recipient: email, subject: messages.email.subject, body: messages.email.body })),
    ...phones.map((phone) => ({ ...common, kind: "sms" as const, recipient: phone, subject: null, body: messages.sms })),
  ];
  for (const row of rows) await statements(tx).insert.execute(placeholderValues(NOTIFICATION_COLUMNS, row));
  return rows.length;
}

export type OutgoingMessage = Pick<Notification, "kind" | "recipient" | "language" | "subject" | "body"> & { notificationId: number };
export type SendResult = { ok: true; providerMessageId: string } | { ok: false; error: string; retryable: boolean };

/** One way out (an e-mail or SMS provider). A thrown error counts as a retryable failure. */
export interface NotificationSender {
  name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
}

/** Development: accepts everything and sends nothing; the messages stay readable at /admin/outbox. */
export const sinkSender: NotificationSender = {
  name: "sink",
  async send() {
    return { ok: true, providerMessageId: `sink-${randomUUID()}` };
  },
};

/**
 * Appends each message as one JSON line to a file (NOTIFY_FILE): what was sent, by which process,
 * readable with `tail -f`. Lines of a few KB appended with O_APPEND do not interleave, so several
 * processes may share one file (tests/integration/two-processes.test.ts counts the sends in it).
 */
export function fileSender(file: string): NotificationSender {
  return {
    name: "file",
    async send(message) {
      await mkdir(path.dirname(file), { recursive: true });
      const providerMessageId = `file-${randomUUID()}`;
      await appendFile(file, `${JSON.stringify({ ...message, providerMessageId, pid: process.pid, sentAt: new Date().toISOString() })}\n`);
      return { ok: true, providerMessageId };
    },
  };
}

// A new provider: its name in NOTIFY_ADAPTERS (env.server.ts) and its sender here.
const SENDERS: Record<Env["NOTIFY_ADAPTER"], () => NotificationSender> = {
  sink: () => sinkSender,
  file: () => fileSender(env().NOTIFY_FILE),
};

export function senderFromEnv(): NotificationSender {
  return SENDERS[env().NOTIFY_ADAPTER]();
}

/** After this many failed attempts a message is given up (status failed). */
export const MAX_ATTEMPTS = 5;
/** Attempt n (0-based) is made no earlier than (2^n − 1) × this after the message was queued: 0, 30 s, 1.5, 3.5, 7.5 min. */
export const RETRY_BASE_MS = 30_000;

export type DeliverySummary = { sent: number; retrying: number; failed: number };

/**
 * Sends pending messages that are due, oldest first. Each outcome is its own small transaction
 * with its event; events carry ids and the kind only, never the recipient or the text.
 */
export async function deliverPendingNotifications(input: { limit?: number; sender?: NotificationSender; now?: Date } = {}): Promise<DeliverySummary> {
  const sender = input.sender ?? senderFromEnv();
  const now = input.now ?? new Date();
  const due = await db()
    .select()
    .from(schema.notifications)
    .where(and(eq(schema.notifications.status, "pending"), dueBy(now)))
    .orderBy(schema.notifications.id)
    .limit(input.limit ?? 50);
  const summary: DeliverySummary = { sent: 0, retrying: 0, failed: 0 };
  for (const row of due) {
    // Claim the attempt before sending, so two deliverers (the server's job and
    // `npm run notifications:deliver`) never send the same message twice. A crash after the claim
    // leaves it pending for a later retry: at least once, never twice at the same time.
    const claimed = await inTransaction(async (tx) =>
      tx
        .update(schema.notifications)
        .set({ attempts: row.attempts + 1 })
        .where(and(eq(schema.notifications.id, row.id), eq(schema.notifications.status, "pending"), eq(schema.notifications.attempts, row.attempts)))
        .returning({ id: schema.notifications.id }),
    );
    if (claimed.length !== 1) continue;
    let result: SendResult;
    try {
      result = await sender.send({
        notificationId: row.id,
        kind: row.kind,
        recipient: row.recipient,
        language: row.language,
        subject: row.subject,
        body: row.body,
      });
    } catch (error) {
      result = { ok: false, error: error instanceof Error ? error.message : String(error), retryable: true };
    }
    const outcome = await recordOutcome(row, result, new Date());
    if (outcome) summary[outcome] += 1;
  }
  return summary;
}

/**
 * A pending message is due once (2^attempts − 1) × RETRY_BASE_MS have passed since it was queued:
 * SQLite stores the instant as milliseconds, PostgreSQL as a timestamp (plus an interval).
 */
function dueBy(now: Date): SQL {
  const { createdAt, attempts } = schema.notifications;
  return onPostgres(db())
    ? sql`${createdAt} + ((1 << ${attempts}) - 1) * ${RETRY_BASE_MS} * interval '1 millisecond' <= ${now}`
    : sql`${createdAt} + ((1 << ${attempts}) - 1) * ${RETRY_BASE_MS} <= ${now.getTime()}`;
}

async function recordOutcome(row: Notification, result: SendResult, at: Date): Promise<keyof DeliverySummary | null> {
  return inTransaction(async (tx) => {
    const attempts = row.attempts + 1;
    const giveUp = !result.ok && (!result.retryable || attempts >= MAX_ATTEMPTS);
    const status = result.ok ? "sent" : giveUp ? "failed" : "pending";
    // Only from the state this deliverer claimed.
    const changed = await tx
      .update(schema.notifications)
      .set(
        result.ok
          ? { status, attempts, sentAt: at, providerMessageId: result.providerMessageId, lastError: null }
          : { status, attempts, lastError: oneLine(result.error).slice(0, 500) },
      )
      .where(and(eq(schema.notifications.id, row.id), eq(schema.notifications.status, "pending"), eq(schema.notifications.attempts, attempts)))
      .returning({ id: schema.notifications.id });
    if (changed.length !== 1) return null;
    if (status === "pending") return "retrying";
    const [dossier] = row.dossierId === null ? [] : await tx.select().from(schema.dossiers).where(eq(schema.dossiers.id, row.dossierId)).limit(1);
    await recordEvent(tx, {
      type: status === "sent" ? "notification_sent" : "notification_failed",
      occurredAt: at,
      dossierId: row.dossierId,
      procedureId: dossier?.procedureId,
      agencyId: dossier?.agencyId,
      channel: dossier?.channel,
      actorRole: "system",
      data: { notificationId: row.id, kind: row.kind },
    });
    return status;
  });
}

/** A provider's error text, kept short and on one line for the outbox page. */
function oneLine(error: string): string {
  return error.replace(/\s+/g, " ").trim() || "unknown error";
}

/** The outbox page's filters; a value that is not one of the choices is ignored, a malformed receipt code is an error. */
export const OutboxQuerySchema = z.object({
  status: z.enum(["pending", "sent", "failed"]).optional().catch(undefined),
  kind: z.enum(["email", "sms"]).optional().catch(undefined),
  code: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined),
    z
      .string()
      .max(40, "notify.outbox.errors.code_invalid")
      .transform((v, ctx) => {
        const code = parseReceiptCode(v);
        if (code) return code;
        ctx.addIssue({ code: "custom", message: "notify.outbox.errors.code_invalid" });
        return z.NEVER;
      })
      .optional(),
  ),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
});
export type OutboxQuery = z.infer<typeof OutboxQuerySchema>;

export const OUTBOX_PAGE_SIZE = 25;

/** Notifications newest first, recipients masked here so no page or log gets the full address. */
export async function listOutbox(query: OutboxQuery) {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(eq(schema.notifications.status, query.status));
  if (query.kind) conditions.push(eq(schema.notifications.kind, query.kind));
  if (query.code) conditions.push(eq(schema.dossiers.receiptCode, query.code));
  const where = conditions.length > 0 ? and(...conditions) : undefined;
  const [counted] = await db()
    .select({ n: count() })
    .from(schema.notifications)
    .leftJoin(schema.dossiers, eq(schema.dossiers.id, schema.notifications.dossierId))
    .where(where);
  const total = counted?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE));
  const page = Math.min(query.page, pageCount);
  const rows = await db()
    .select({ notification: schema.notifications, receiptCode: schema.dossiers.receiptCode })
    .from(schema.notifications)
    .leftJoin(schema.dossiers, eq(schema.dossiers.id, schema.notifications.dossierId))
    .where(where)
    .orderBy(desc(schema.notifications.id))
    .limit(OUTBOX_PAGE_SIZE)
    .offset((page - 1) * OUTBOX_PAGE_SIZE);
  const items = rows.map(({ notification: n, receiptCode }) => ({
    id: n.id,
    receiptCode,
    kind: n.kind,
    recipient: maskRecipient(n.kind, n.recipient),
    language: n.language,
    template: n.template,
    subject: n.subject,
    body: n.body,
    status: n.status,
    attempts: n.attempts,
    lastError: n.lastError,
    createdAt: n.createdAt,
    sentAt: n.sentAt,
  }));
  return { items, total, page, pageCount };
}
