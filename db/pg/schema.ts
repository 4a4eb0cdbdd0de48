/**
 * The PostgreSQL twin of db/schema.ts (issue 15): the same tables, columns, keys, indexes and checks,
 * typed so that every table has the same select and insert types as its SQLite original and the same
 * store code runs on both (db/pg/schema.test.ts checks the parity). db/schema.ts holds the reasons.
 * Not here, as in SQLite: the procedure search index (FTS5 there; tsvector + GIN here) and the
 * append-only guards of dossier_events (triggers) come with the PostgreSQL migrations in a later step.
 */
import { sql } from "drizzle-orm";
import { bigint, boolean, check, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { AGENCY_KINDS } from "../schema";

export { AGENCY_KINDS, type AgencyKind } from "../schema";

/** Milliseconds, as in SQLite: precision 3 so a Date reads back exactly as written. */
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
const createdAt = () => instant("created_at").notNull().defaultNow();
const updatedAt = () => instant("updated_at").notNull().defaultNow();

/** SQLite's `blob({ mode: "buffer" })`: node-postgres reads and writes bytea as a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "bytea" });

/**
 * An amount in đồng. bigint (read as a JS number, exact to 2^53): 2^31 đồng is about 2.1 billion, which a
 * land-related financial obligation paid through a national portal can exceed; SQLite's integer is 64-bit.
 */
const vnd = (name: string) => bigint(name, { mode: "number" });

/** See db/schema.ts: a tree of agencies, `path` the materialised chain of ids. */
export const agencies = pgTable(
  "agencies",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    code: text("code").notNull().unique(),
    parentId: integer("parent_id"),
    kind: text("kind", { enum: AGENCY_KINDS }).notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en"),
    path: text("path").notNull(),
    depth: integer("depth").notNull(),
    dissolvedOn: text("dissolved_on"),
    successorId: integer("successor_id"),
    /** The one-stop shop (Bộ phận một cửa); see db/schema.ts. */
    oneStopAddress: text("one_stop_address"),
    oneStopHoursVi: text("one_stop_hours_vi"),
    oneStopHoursEn: text("one_stop_hours_en"),
    oneStopPhone: text("one_stop_phone"),
  },
  // SQLite serves the subtree filter `path GLOB '/12/*'` from a plain index; PostgreSQL's `path LIKE '/12/%'` needs text_pattern_ops.
  (t) => [index("agencies_parent_idx").on(t.parentId), index("agencies_path_idx").on(t.path.op("text_pattern_ops"))],
);

export const fields = pgTable("fields", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  code: text("code").notNull().unique(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en"),
});

export const procedures = pgTable(
  "procedures",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    code: text("code").notNull().unique(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en"),
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id),
    fieldId: integer("field_id")
      .notNull()
      .references(() => fields.id),
    level: integer("level").notNull(),
    processingDays: integer("processing_days").notNull(),
    feeVnd: vnd("fee_vnd").notNull().default(0),
    /** Everything else a citizen reads (summary, documents, legal basis, templates…), as validated JSON. */
    details: jsonb("details").notNull(),
    deliveryModes: jsonb("delivery_modes").$type<string[]>().notNull(),
    updatedAt: updatedAt(),
    /** What an officer fills to issue the result (core/results/result-fields.ts); null: the default fields. */
    resultFields: jsonb("result_fields"),
    /**
     * The facts the online level is derived from (core/catalog/derived-level.ts, decision 031), besides
     * the fee, the delivery modes and the templates: the published form version offered now (null: none,
     * the procedure cannot be applied for online), whether the fee can be paid online, and why a citizen
     * must still come in person (null: no such step). `level` and `online_service` are derived from them.
     */
    formVersion: integer("form_version"),
    paymentOnline: boolean("payment_online").notNull().default(false),
    inPersonStep: text("in_person_step"),
    /** Decree 42/2022 art. 11: "full" (every step online) or "partial" online service; null below level 3. */
    onlineService: text("online_service", { enum: ["full", "partial"] }),
  },
  (t) => [
    index("procedures_agency_idx").on(t.agencyId, t.level),
    index("procedures_field_idx").on(t.fieldId),
    index("procedures_level_idx").on(t.level, t.code),
    check("procedures_level_check", sql`${t.level} between 1 and 4`),
  ],
);

/** Form definitions are versioned: a dossier records the version it was filled on. */
export const procedureForms = pgTable(
  "procedure_forms",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    procedureId: integer("procedure_id")
      .notNull()
      .references(() => procedures.id),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("procedure_forms_version_idx").on(t.procedureId, t.version)],
);

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    email: text("email").notNull().unique(),
    fullName: text("full_name").notNull(),
    phone: text("phone"),
    passwordHash: text("password_hash").notNull(),
    role: text("role", { enum: ["citizen", "officer", "agency_admin", "system_admin"] })
      .notNull()
      .default("citizen"),
    agencyId: integer("agency_id").references(() => agencies.id),
    /** A disabled account cannot sign in and its sessions stop working (agency administrators manage officers). */
    disabledAt: instant("disabled_at"),
    /** Set at online registration until the e-mailed link is opened; see db/schema.ts (decision 005). */
    emailUnconfirmedSince: instant("email_unconfirmed_since"),
    /** When `phone` was confirmed by a code sent to it; SMS go only to a confirmed phone. */
    phoneConfirmedAt: instant("phone_confirmed_at"),
    createdAt: createdAt(),
  },
  (t) => [index("users_agency_idx").on(t.agencyId, t.role)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    /** Before the second factor: see db/schema.ts (docs/decisions/033). */
    pendingSecondFactor: boolean("pending_second_factor").notNull().default(false),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** A staff member's TOTP second factor, its secret encrypted: see db/schema.ts (docs/decisions/033). */
export const staffSecondFactors = pgTable("staff_second_factors", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  userId: integer("user_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  confirmedAt: instant("confirmed_at"),
  lastUsedStep: integer("last_used_step"),
  createdAt: createdAt(),
});

/** One-time recovery codes (argon2id hashes): see db/schema.ts. */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: createdAt(),
    usedAt: instant("used_at"),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/** A dossier (hồ sơ): status 0 is a draft, 1–10 the national portal's codes. See db/schema.ts. */
export const dossiers = pgTable(
  "dossiers",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    receiptCode: text("receipt_code").unique(),
    procedureId: integer("procedure_id")
      .notNull()
      .references(() => procedures.id),
    agencyId: integer("agency_id")
      .notNull()
      .references(() => agencies.id),
    formVersion: integer("form_version").notNull(),
    applicantId: integer("applicant_id").references(() => users.id),
    submittedBy: integer("submitted_by").references(() => users.id),
    channel: text("channel", { enum: ["online", "counter", "assisted"] }).notNull(),
    status: integer("status").notNull(),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    language: text("language", { enum: ["vi", "en"] }).notNull(),
    deliveryMode: text("delivery_mode", { enum: ["counter", "online", "post"] }),
    /** The fee in đồng fixed at submission from the form's fee rule (core/payments/fees.ts); null for dossiers submitted before it was kept: the procedure's fee. */
    feeVnd: integer("fee_vnd"),
    applicantName: text("applicant_name"),
    applicantNameFolded: text("applicant_name_folded"),
    applicantPhone: text("applicant_phone"),
    applicantCccd: text("applicant_cccd"),
    applicantEmail: text("applicant_email"),
    /**
     * For whom the dossier is filed (issue 17): the filer's own (self), their child as the population record
     * names them, another adult by an authorisation document the officer checks, or a business the filer
     * belongs to. The filer is applicant_id; the subject is named here when it is not the filer.
     */
    onBehalf: text("on_behalf", { enum: ["self", "child", "authorised", "business"] })
      .notNull()
      .default("self"),
    subjectName: text("subject_name"),
    subjectCccd: text("subject_cccd"),
    subjectTaxCode: text("subject_tax_code"),
    /** The answers that came verified from the population database through VNeID (core/forms/verified-prefill.ts), fixed at submission. */
    verifiedFields: jsonb("verified_fields").$type<string[]>().notNull().default([]),
    submittedAt: instant("submitted_at"),
    dueOn: text("due_on"),
    pausedAt: instant("paused_at"),
    pausedDays: integer("paused_days").notNull().default(0),
    rescheduledOn: text("rescheduled_on"),
    finishedAt: instant("finished_at"),
    timeliness: text("timeliness", { enum: ["early", "on_time", "late"] }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("dossiers_applicant_idx").on(t.applicantId, t.status),
    index("dossiers_agency_idx").on(t.agencyId, t.status, t.submittedAt),
    index("dossiers_procedure_idx").on(t.procedureId),
    index("dossiers_agency_due_idx").on(t.agencyId, t.dueOn),
    index("dossiers_cccd_idx").on(t.applicantCccd),
    index("dossiers_subject_cccd_idx").on(t.subjectCccd),
    index("dossiers_subject_tax_code_idx").on(t.subjectTaxCode),
    check("dossiers_status_check", sql`${t.status} between 0 and 10`),
  ],
);

/** Uploaded files live outside public/ under STORAGE_DIR, named by a random key. */
export const attachments = pgTable(
  "attachments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    fieldName: text("field_name").notNull(),
    fileName: text("file_name").notNull(),
    mimeType: text("mime_type").notNull(),
    sizeBytes: integer("size_bytes").notNull(),
    sha256: text("sha256").notNull(),
    // Not unique: a document reused from the citizen's data store is a second row on the same stored
    // file (no bytes copied); the file is removed only when no row refers to it any more.
    storageKey: text("storage_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("attachments_dossier_idx").on(t.dossierId, t.fieldName), index("attachments_storage_key_idx").on(t.storageKey)],
);

/** The append-only event log every statistic is computed from. See db/schema.ts. */
export const dossierEvents = pgTable(
  "dossier_events",
  {
    // bigint: one row per view, download, submission and step of every dossier in the country passes 2^31 in a few years.
    id: bigint("id", { mode: "number" }).primaryKey().generatedByDefaultAsIdentity(),
    type: text("type").notNull(),
    occurredAt: instant("occurred_at").notNull(),
    procedureId: integer("procedure_id"),
    agencyId: integer("agency_id"),
    dossierId: integer("dossier_id"),
    actorId: integer("actor_id"),
    actorRole: text("actor_role"),
    channel: text("channel"),
    fromStatus: integer("from_status"),
    toStatus: integer("to_status"),
    data: jsonb("data").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("dossier_events_dossier_idx").on(t.dossierId, t.id),
    index("dossier_events_type_time_idx").on(t.type, t.occurredAt),
    index("dossier_events_actor_idx").on(t.actorId, t.id),
    index("dossier_events_agency_idx").on(t.agencyId, t.id),
  ],
);

/** Online payments, merchant side; at most one pending and one paid attempt per dossier. See db/schema.ts. */
export const payments = pgTable(
  "payments",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    txnRef: text("txn_ref").notNull().unique(),
    feeVnd: vnd("fee_vnd").notNull(),
    postageVnd: vnd("postage_vnd").notNull().default(0),
    amountVnd: vnd("amount_vnd").notNull(),
    status: text("status", { enum: ["pending", "paid", "failed", "cancelled", "expired"] }).notNull(),
    responseCode: text("response_code"),
    gatewayTransactionNo: text("gateway_transaction_no"),
    bankCode: text("bank_code"),
    paidAt: instant("paid_at"),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    settledAt: instant("settled_at"),
    settledBy: text("settled_by", { enum: ["ipn", "querydr"] }),
  },
  (t) => [
    index("payments_dossier_idx").on(t.dossierId),
    uniqueIndex("payments_one_pending_idx")
      .on(t.dossierId)
      .where(sql`status = 'pending'`),
    uniqueIndex("payments_one_paid_idx")
      .on(t.dossierId)
      .where(sql`status = 'paid'`),
  ],
);

/** Every callback and status query as received, with what the portal answered: the audit of the money trail. */
export const paymentCallbacks = pgTable(
  "payment_callbacks",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    paymentId: integer("payment_id").references(() => payments.id),
    kind: text("kind", { enum: ["ipn", "return", "querydr"] }).notNull(),
    params: jsonb("params").$type<Record<string, string>>().notNull(),
    answer: text("answer").notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index("payment_callbacks_payment_idx").on(t.paymentId)],
);

/** Refused callbacks counted per GMT+7 day, kind and reason (issue 11). See db/schema.ts. */
export const paymentCallbackRefusals = pgTable(
  "payment_callback_refusals",
  {
    day: text("day").notNull(),
    kind: text("kind", { enum: ["ipn", "return"] }).notNull(),
    reason: text("reason").notNull(),
    count: integer("count").notNull().default(0),
    lastAt: instant("last_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.kind, t.reason] })],
);

/** Money the gateway took that the portal's books do not match (late_success, double_payment). See db/schema.ts. */
export const paymentAnomalies = pgTable(
  "payment_anomalies",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    paymentId: integer("payment_id")
      .notNull()
      .references(() => payments.id),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    kind: text("kind", { enum: ["late_success", "double_payment"] }).notNull(),
    /** The attempt's status in the portal's books when the success arrived. */
    statusWhenReceived: text("status_when_received", { enum: ["pending", "paid", "failed", "cancelled", "expired"] }).notNull(),
    amountVnd: vnd("amount_vnd").notNull(),
    gatewayTransactionNo: text("gateway_transaction_no").notNull(),
    bankCode: text("bank_code"),
    /** When the gateway says the customer paid (vnp_PayDate). */
    paidAt: instant("paid_at"),
    receivedBy: text("received_by", { enum: ["ipn", "querydr"] }).notNull(),
    receivedAt: instant("received_at").notNull().defaultNow(),
    resolvedAt: instant("resolved_at"),
    resolvedBy: integer("resolved_by").references(() => users.id),
    resolutionNote: text("resolution_note"),
  },
  (t) => [uniqueIndex("payment_anomalies_txn_idx").on(t.paymentId, t.gatewayTransactionNo), index("payment_anomalies_open_idx").on(t.resolvedAt)],
);

/** Issued results: the signed PDF (uploaded, or made from the result fields) and its verification code. See db/schema.ts. */
export const results = pgTable("results", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  dossierId: integer("dossier_id")
    .notNull()
    .unique()
    .references(() => dossiers.id),
  verificationCode: text("verification_code").notNull().unique(),
  sha256: text("sha256").notNull(),
  signature: text("signature").notNull(),
  storageKey: text("storage_key").notNull().unique(),
  issuedAt: createdAt(),
  source: text("source", { enum: ["fields", "upload"] })
    .notNull()
    .default("fields"),
  content: jsonb("content").$type<Record<string, unknown>>(),
  fileName: text("file_name"),
});

/** Postal delivery of a result (simulated public post): state advances through the post simulator. */
export const shipments = pgTable("shipments", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  dossierId: integer("dossier_id")
    .notNull()
    .unique()
    .references(() => dossiers.id),
  trackingNumber: text("tracking_number").notNull().unique(),
  status: text("status", { enum: ["created", "picked_up", "in_transit", "delivered", "returned_to_sender"] }).notNull(),
  address: text("address").notNull(),
  postageVnd: vnd("postage_vnd").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One satisfaction rating per returned dossier. */
export const ratings = pgTable("ratings", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  dossierId: integer("dossier_id")
    .notNull()
    .unique()
    .references(() => dossiers.id),
  rating: text("rating", { enum: ["very_satisfied", "satisfied", "not_satisfied"] }).notNull(),
  comment: text("comment"),
  createdAt: createdAt(),
});

/** The payment gateway simulator's own ledger (the bank's side; the portal never reads it directly). */
export const simGatewayTransactions = pgTable(
  "sim_gateway_transactions",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    tmnCode: text("tmn_code").notNull(),
    txnRef: text("txn_ref").notNull(),
    amount: text("amount").notNull(),
    orderInfo: text("order_info").notNull(),
    returnUrl: text("return_url").notNull(),
    createDate: text("create_date").notNull(),
    expireDate: text("expire_date").notNull(),
    locale: text("locale").notNull(),
    responseCode: text("response_code"),
    transactionNo: text("transaction_no").unique(),
    bankCode: text("bank_code"),
    payDate: text("pay_date"),
    ipnMode: text("ipn_mode", { enum: ["deliver", "drop", "delay"] })
      .notNull()
      .default("deliver"),
    ipnAnswer: text("ipn_answer"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("sim_gateway_txn_idx").on(t.tmnCode, t.txnRef)],
);

/** The post simulator's parcels: the portal only sees their states through the simulator's API. */
export const simPostParcels = pgTable("sim_post_parcels", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  trackingNumber: text("tracking_number").notNull().unique(),
  address: text("address").notNull(),
  status: text("status", { enum: ["created", "picked_up", "in_transit", "delivered", "returned_to_sender"] }).notNull(),
  history: jsonb("history").$type<{ status: string; at: string }[]>().notNull(),
  createdAt: createdAt(),
});

/** A supplement request (yêu cầu bổ sung): the fields and documents the citizen may change. See db/schema.ts. */
export const supplementRequests = pgTable(
  "supplement_requests",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    requestedBy: integer("requested_by")
      .notNull()
      .references(() => users.id),
    message: text("message").notNull(),
    /** Names of form fields (file fields included) the citizen may change. */
    items: jsonb("items").$type<string[]>().notNull(),
    requestedAt: instant("requested_at").notNull(),
    answeredAt: instant("answered_at"),
  },
  (t) => [
    index("supplement_requests_dossier_idx").on(t.dossierId, t.id),
    uniqueIndex("supplement_requests_one_open_idx")
      .on(t.dossierId)
      .where(sql`answered_at is null`),
  ],
);

/** The notification outbox, written in the transaction of the change it tells about. See db/schema.ts. */
export const notifications = pgTable(
  "notifications",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    dossierId: integer("dossier_id").references(() => dossiers.id),
    kind: text("kind", { enum: ["email", "sms"] }).notNull(),
    recipient: text("recipient").notNull(),
    language: text("language", { enum: ["vi", "en"] }).notNull(),
    template: text("template").notNull(),
    subject: text("subject"),
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "sent", "failed"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: createdAt(),
    sentAt: instant("sent_at"),
  },
  (t) => [index("notifications_status_idx").on(t.status, t.id), index("notifications_dossier_idx").on(t.dossierId)],
);

/**
 * Daily rollups of the event log, one row per (metric, Vietnam day, agency, procedure, channel). See db/schema.ts.
 * `count` stays integer: one cell is one agency, procedure, channel and day, far below 2^31.
 */
export const dailyCounts = pgTable(
  "daily_counts",
  {
    metric: text("metric").notNull(),
    day: text("day").notNull(),
    agencyId: integer("agency_id").notNull(),
    procedureId: integer("procedure_id").notNull(),
    channel: text("channel").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.metric, t.day, t.agencyId, t.procedureId, t.channel] }),
    index("daily_counts_agency_idx").on(t.agencyId, t.metric, t.day),
    // A procedure's cells, read when its level changes (moveProcedure in the counters store).
    index("daily_counts_procedure_idx").on(t.procedureId),
  ],
);

// The subtree tables are WITHOUT ROWID in SQLite (migration 0005). PostgreSQL has no such table kind: a
// heap plus its primary-key index; the PostgreSQL migration may add INCLUDE (count) for index-only reads.

/**
 * The daily counters summed per agency subtree, agency 0 the whole country. See db/schema.ts.
 * `count` is bigint: a national, per-metric sum (a month of page views in subtree_monthly) may pass 2^31.
 */
export const subtreeDaily = pgTable(
  "subtree_daily",
  {
    day: text("day").notNull(),
    agencyId: integer("agency_id").notNull(),
    metric: text("metric").notNull(),
    channel: text("channel").notNull(),
    level: integer("level").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.day, t.metric, t.channel, t.level] })],
);

/** Every event count of a subtree on a day or in a month, one column each; see db/schema.ts. bigint: subtree sums, as `count` above. */
const count = (name: string) => bigint(name, { mode: "number" });
const subtreeTotalColumns = () => ({
  viewed: count("viewed").notNull(),
  template_downloaded: count("template_downloaded").notNull(),
  form_started: count("form_started").notNull(),
  submitted: count("submitted").notNull(),
  submitted_fee: count("submitted_fee").notNull(),
  received: count("received").notNull(),
  not_received: count("not_received").notNull(),
  supplement_requested: count("supplement_requested").notNull(),
  payment_requested: count("payment_requested").notNull(),
  withdrawn: count("withdrawn").notNull(),
  stopped: count("stopped").notNull(),
  result_ready: count("result_ready").notNull(),
  returned: count("returned").notNull(),
  finished_early: count("finished_early").notNull(),
  finished_on_time: count("finished_on_time").notNull(),
  finished_late: count("finished_late").notNull(),
  paid_online: count("paid_online").notNull(),
  rated_very_satisfied: count("rated_very_satisfied").notNull(),
  rated_satisfied: count("rated_satisfied").notNull(),
  rated_not_satisfied: count("rated_not_satisfied").notNull(),
  result_downloaded: count("result_downloaded").notNull(),
  submitted_online: count("submitted_online").notNull(),
  submitted_assisted: count("submitted_assisted").notNull(),
  submitted_counter: count("submitted_counter").notNull(),
  submitted_level34: count("submitted_level34").notNull(),
  submitted_level34_portal: count("submitted_level34_portal").notNull(),
  // Added after the others (migration 0007): a default, so the rows already there take 0 until the rebuild.
  online_exit: count("online_exit").notNull().default(0),
  // Likewise added later (migration 0011): documents reused from the citizen's data store.
  document_reused: count("document_reused").notNull().default(0),
});

/** `subtree_daily` per agency and day, its counts spread over columns; kept by the counters store. */
export const subtreeTotalsDaily = pgTable(
  "subtree_totals_daily",
  { agencyId: integer("agency_id").notNull(), day: text("day").notNull(), ...subtreeTotalColumns() },
  (t) => [primaryKey({ columns: [t.agencyId, t.day] })],
);

/** `subtree_monthly` per agency and month, likewise. */
export const subtreeTotalsMonthly = pgTable(
  "subtree_totals_monthly",
  { agencyId: integer("agency_id").notNull(), month: text("month").notNull(), ...subtreeTotalColumns() },
  (t) => [primaryKey({ columns: [t.agencyId, t.month] })],
);

/** For each procedure with a portal dossier, the last Vietnam day it had one. See db/schema.ts. */
export const procedurePortalUse = pgTable(
  "procedure_portal_use",
  {
    // No identity: in SQLite an INTEGER PRIMARY KEY is the rowid (so optional on insert), here the procedure's id must be given.
    procedureId: integer("procedure_id").primaryKey(),
    agencyId: integer("agency_id").notNull(),
    level: integer("level").notNull(),
    lastDay: text("last_day").notNull(),
  },
  (t) => [index("procedure_portal_use_agency_idx").on(t.agencyId, t.level, t.lastDay), index("procedure_portal_use_last_day_idx").on(t.lastDay)],
);

/** The catalog's size per agency and level (procedures as they are now), kept by the counters store (docs/decisions/021). */
export const catalogCounts = pgTable(
  "catalog_counts",
  {
    agencyId: integer("agency_id").notNull(),
    level: integer("level").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.level] })],
);

/** `subtree_daily` by Vietnam month ("YYYY-MM"): whole months of a long period are read from here. bigint `count` as there. */
export const subtreeMonthly = pgTable(
  "subtree_monthly",
  {
    month: text("month").notNull(),
    agencyId: integer("agency_id").notNull(),
    metric: text("metric").notNull(),
    channel: text("channel").notNull(),
    level: integer("level").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.month, t.metric, t.channel, t.level] })],
);

/** Personal API tokens for the statistics API (administrators only); only a SHA-256 of the token is kept. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);

/** Failure counters of the attempt limits, one row per key and fixed window (docs/decisions/014-attempt-limits.md). */
export const attemptCounters = pgTable(
  "attempt_counters",
  {
    key: text("key").primaryKey(),
    windowStart: instant("window_start").notNull(),
    count: integer("count").notNull(),
    /** window_start + the rule's window: a row past it counts nothing and may be removed. */
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [index("attempt_counters_expires_idx").on(t.expiresAt)],
);

/** Proofs that an account holder controls a contact (e-mailed link, SMS code); only an HMAC of the secret is kept. */
export const contactChallenges = pgTable(
  "contact_challenges",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ["email", "phone"] }).notNull(),
    /** The address or number being confirmed. */
    target: text("target").notNull(),
    secretHash: text("secret_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
  },
  (t) => [index("contact_challenges_user_idx").on(t.userId, t.kind), index("contact_challenges_secret_idx").on(t.secretHash)],
);

/** Files of reported figures checked on the "reported vs measured" page, each kept (issue 12). See db/schema.ts. */
export const reportedImports = pgTable("reported_imports", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  /** An uploaded file, or the 2019 appendix bundled with the portal. */
  source: text("source", { enum: ["file", "appendix"] }).notNull(),
  fileName: text("file_name").notNull(),
  /** Lower-case hex, so anyone holding the file can check it is the one imported. */
  fileSha256: text("file_sha256").notNull(),
  content: bytea("content").notNull(),
  /** The level-4 target in hundredths of a percent (30 % = 3000): exact, like the comparison. */
  targetHundredths: integer("target_hundredths").notNull(),
  /** ReportedImportSummarySchema, parsed when read. */
  summary: jsonb("summary").notNull(),
});

/** How many times each shared cache's source has changed (db/schema.ts). */
export const cacheGenerations = pgTable("cache_generations", {
  name: text("name").primaryKey(),
  generation: integer("generation").notNull(),
});

/** Uploaded files kept in the database, when STORAGE_BACKEND=database (db/schema.ts). */
export const storedFiles = pgTable("stored_files", {
  key: text("key").primaryKey(),
  content: bytea("content").notNull(),
  size: integer("size").notNull(),
  createdAt: createdAt(),
});

/** See db/schema.ts: the form builder's draft of a procedure's form, one per procedure. */
export const formDrafts = pgTable("form_drafts", {
  id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
  procedureId: integer("procedure_id")
    .notNull()
    .unique()
    .references(() => procedures.id),
  definition: jsonb("definition").notNull(),
  basedOnVersion: integer("based_on_version"),
  updatedAt: updatedAt(),
  updatedBy: integer("updated_by").references(() => users.id),
});

/** See db/schema.ts: identities an account signs in with besides its password (VNeID: subject = CCCD). */
export const userIdentities = pgTable(
  "user_identities",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    provider: text("provider", { enum: ["vneid"] }).notNull(),
    subject: text("subject").notNull(),
    level: integer("level").notNull(),
    fullName: text("full_name").notNull(),
    birthDate: text("birth_date"),
    createdAt: createdAt(),
    lastSignInAt: instant("last_sign_in_at").notNull(),
  },
  (t) => [
    uniqueIndex("user_identities_subject_idx").on(t.provider, t.subject),
    uniqueIndex("user_identities_user_idx").on(t.userId, t.provider),
    check("user_identities_level_check", sql`${t.level} in (1, 2)`),
  ],
);

/** As db/schema.ts businessMembers. */
export const businessMembers = pgTable(
  "business_members",
  {
    id: integer("id").primaryKey().generatedByDefaultAsIdentity(),
    taxCode: text("tax_code").notNull(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    addedBy: integer("added_by")
      .notNull()
      .references(() => users.id),
    addedAt: instant("added_at").notNull(),
    removedAt: instant("removed_at"),
  },
  (t) => [index("business_members_tax_code_idx").on(t.taxCode, t.removedAt), index("business_members_user_idx").on(t.userId, t.removedAt)],
);
