import { sql } from "drizzle-orm";
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Milliseconds since the epoch; SQLite has no date type and integers sort and compare cheaply. */
export const AGENCY_KINDS = ["ministry", "province", "department", "district", "commune"] as const;
export type AgencyKind = (typeof AGENCY_KINDS)[number];

const instant = (name: string) => integer(name, { mode: "timestamp_ms" });
const createdAt = () =>
  instant("created_at")
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);
const updatedAt = () =>
  instant("updated_at")
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

/**
 * Agencies form a tree (ministry or province → department → commune). `path`
 * is the materialised chain of ids ("/12/40/"), so a subtree is one LIKE on an
 * index. Agencies dissolved in the 2025 reorganisation stay, for history and
 * for the reported figures, with their successor.
 */
export const agencies = sqliteTable(
  "agencies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    code: text("code").notNull().unique(),
    parentId: integer("parent_id"),
    kind: text("kind", { enum: AGENCY_KINDS }).notNull(),
    nameVi: text("name_vi").notNull(),
    nameEn: text("name_en"),
    path: text("path").notNull(),
    depth: integer("depth").notNull(),
    dissolvedOn: text("dissolved_on"),
    successorId: integer("successor_id"),
    /**
     * Where a citizen goes in person: the agency's one-stop shop (Bộ phận một cửa). The address is
     * written as it is posted (Vietnamese); the hours in both languages. Null when not recorded: pages
     * then use the nearest ancestor agency that has them (core/catalog/one-stop.ts).
     */
    oneStopAddress: text("one_stop_address"),
    oneStopHoursVi: text("one_stop_hours_vi"),
    oneStopHoursEn: text("one_stop_hours_en"),
    oneStopPhone: text("one_stop_phone"),
  },
  (t) => [index("agencies_parent_idx").on(t.parentId), index("agencies_path_idx").on(t.path)],
);

export const fields = sqliteTable("fields", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  code: text("code").notNull().unique(),
  nameVi: text("name_vi").notNull(),
  nameEn: text("name_en"),
});

export const procedures = sqliteTable(
  "procedures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    feeVnd: integer("fee_vnd").notNull().default(0),
    /** Everything else a citizen reads (summary, documents, legal basis, templates…), as validated JSON. */
    details: text("details", { mode: "json" }).notNull(),
    deliveryModes: text("delivery_modes", { mode: "json" }).$type<string[]>().notNull(),
    updatedAt: updatedAt(),
    /** What an officer fills to issue the result (core/results/result-fields.ts); null: the default fields. */
    resultFields: text("result_fields", { mode: "json" }),
    /**
     * The facts the online level is derived from (core/catalog/derived-level.ts, decision 031), besides
     * the fee, the delivery modes and the templates: the published form version offered now (null: none,
     * the procedure cannot be applied for online), whether the fee can be paid online, and why a citizen
     * must still come in person (null: no such step). `level` and `online_service` are derived from them.
     */
    formVersion: integer("form_version"),
    paymentOnline: integer("payment_online", { mode: "boolean" }).notNull().default(false),
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
export const procedureForms = sqliteTable(
  "procedure_forms",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    procedureId: integer("procedure_id")
      .notNull()
      .references(() => procedures.id),
    version: integer("version").notNull(),
    definition: text("definition", { mode: "json" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("procedure_forms_version_idx").on(t.procedureId, t.version)],
);

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    /**
     * Set when a citizen registers online, cleared when they open the confirmation link e-mailed to
     * them: until then the account cannot sign in and nothing is sent to the address but that link.
     * Null (confirmed) for accounts made by the seed or an administrator, and for those that existed
     * before confirmation (decision 005).
     */
    emailUnconfirmedSince: instant("email_unconfirmed_since"),
    /** When `phone` was confirmed by a code sent to it; SMS go only to a confirmed phone. */
    phoneConfirmedAt: instant("phone_confirmed_at"),
    createdAt: createdAt(),
  },
  (t) => [index("users_agency_idx").on(t.agencyId, t.role)],
);

export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    /**
     * A staff member's session after a correct password, before the second factor (docs/decisions/033):
     * it opens only the second step's page; every guard treats it as signed out. Short-lived.
     */
    pendingSecondFactor: integer("pending_second_factor", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/**
 * A staff member's TOTP second factor (docs/decisions/033). The secret is encrypted at rest
 * (AES-256-GCM with TWO_FACTOR_KEY, bound to the account); `confirmed_at` is null while the member
 * enrols (the secret shown, no code typed yet). `last_used_step` is the last accepted time step: a
 * code of that step or an earlier one is refused (no replay).
 */
export const staffSecondFactors = sqliteTable("staff_second_factors", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .unique()
    .references(() => users.id, { onDelete: "cascade" }),
  secret: text("secret").notNull(),
  confirmedAt: instant("confirmed_at"),
  lastUsedStep: integer("last_used_step"),
  createdAt: createdAt(),
});

/** One-time recovery codes of a staff member's second factor: an argon2id hash each, used once. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: createdAt(),
    usedAt: instant("used_at"),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId)],
);

/**
 * A dossier (hồ sơ). Status 0 is a draft; 1–10 are the national portal's codes.
 * Applicant name, phone and CCCD are copied out of the answers at submission for
 * tracking and the officer queue; `version` guards concurrent transitions.
 * `channel` says who keyed it in: the citizen (online), an officer at the counter
 * (counter) or an officer submitting online for the citizen (assisted, `submitted_by`).
 * A counter dossier may have no citizen account (`applicant_id` null): the citizen
 * tracks it by receipt code and phone or CCCD.
 * Deadline: `due_on` is the legal appointment date, moved later only by time spent
 * waiting on the citizen (`paused_at` while waiting, `paused_days` in total);
 * `rescheduled_on` is a new date promised with an apology, which never changes
 * `due_on` and so never turns a late dossier into an on-time one.
 */
export const dossiers = sqliteTable(
  "dossiers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    answers: text("answers", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
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
    verifiedFields: text("verified_fields", { mode: "json" }).$type<string[]>().notNull().default([]),
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
export const attachments = sqliteTable(
  "attachments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

/**
 * The append-only log every statistic is computed from: one row per thing that
 * happened, written in the same transaction as the change it records. Triggers
 * (migration 0001) refuse UPDATE and DELETE. Procedure views carry no personal data.
 */
export const dossierEvents = sqliteTable(
  "dossier_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [
    index("dossier_events_dossier_idx").on(t.dossierId, t.id),
    index("dossier_events_type_time_idx").on(t.type, t.occurredAt),
    index("dossier_events_actor_idx").on(t.actorId, t.id),
    index("dossier_events_agency_idx").on(t.agencyId, t.id),
  ],
);

/**
 * Online payments, merchant side (VNPay 2.1.0 shape, see docs/decisions/006-payment-protocol.md).
 * One row per attempt; at most one pending and one paid attempt per dossier (partial unique indexes),
 * which is what makes "pay" idempotent and an IPN effective once.
 */
export const payments = sqliteTable(
  "payments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    txnRef: text("txn_ref").notNull().unique(),
    feeVnd: integer("fee_vnd").notNull(),
    postageVnd: integer("postage_vnd").notNull().default(0),
    amountVnd: integer("amount_vnd").notNull(),
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
export const paymentCallbacks = sqliteTable(
  "payment_callbacks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    paymentId: integer("payment_id").references(() => payments.id),
    kind: text("kind", { enum: ["ipn", "return", "querydr"] }).notNull(),
    params: text("params", { mode: "json" }).$type<Record<string, string>>().notNull(),
    answer: text("answer").notNull(),
    receivedAt: createdAt(),
  },
  (t) => [index("payment_callbacks_payment_idx").on(t.paymentId)],
);

/**
 * Callbacks that were not the gateway's (malformed, request fields, bad signature…): counted per
 * GMT+7 day, kind and reason instead of stored one by one, so a stranger's GETs cannot grow the
 * log (issue 11). Verified callbacks keep their row in payment_callbacks.
 */
export const paymentCallbackRefusals = sqliteTable(
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

/**
 * Money the gateway took that the portal's books do not match: a verified success for an attempt
 * already settled as failed, cancelled or expired (late_success), or a second success for a paid
 * dossier (double_payment). An operator refunds it or applies it, then resolves the flag with a note
 * (docs/decisions/006-payment-protocol.md). One row per attempt and gateway transaction.
 */
export const paymentAnomalies = sqliteTable(
  "payment_anomalies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    paymentId: integer("payment_id")
      .notNull()
      .references(() => payments.id),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    kind: text("kind", { enum: ["late_success", "double_payment"] }).notNull(),
    /** The attempt's status in the portal's books when the success arrived. */
    statusWhenReceived: text("status_when_received", { enum: ["pending", "paid", "failed", "cancelled", "expired"] }).notNull(),
    amountVnd: integer("amount_vnd").notNull(),
    gatewayTransactionNo: text("gateway_transaction_no").notNull(),
    bankCode: text("bank_code"),
    /** When the gateway says the customer paid (vnp_PayDate). */
    paidAt: instant("paid_at"),
    receivedBy: text("received_by", { enum: ["ipn", "querydr"] }).notNull(),
    receivedAt: instant("received_at")
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
    resolvedAt: instant("resolved_at"),
    resolvedBy: integer("resolved_by").references(() => users.id),
    resolutionNote: text("resolution_note"),
  },
  (t) => [uniqueIndex("payment_anomalies_txn_idx").on(t.paymentId, t.gatewayTransactionNo), index("payment_anomalies_open_idx").on(t.resolvedAt)],
);

/**
 * Issued results, whatever the delivery: the signed PDF and its public verification code. The PDF is
 * the officer's uploaded signed document (`source` upload, with its file name), or made by the portal
 * from the procedure's result fields the officer filled (`source` fields, their values in `content`).
 * The citizen downloads it when the delivery is online.
 */
export const results = sqliteTable("results", {
  id: integer("id").primaryKey({ autoIncrement: true }),
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
  content: text("content", { mode: "json" }).$type<Record<string, unknown>>(),
  fileName: text("file_name"),
});

/** Postal delivery of a result (simulated public post): state advances through the post simulator. */
export const shipments = sqliteTable("shipments", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  dossierId: integer("dossier_id")
    .notNull()
    .unique()
    .references(() => dossiers.id),
  trackingNumber: text("tracking_number").notNull().unique(),
  status: text("status", { enum: ["created", "picked_up", "in_transit", "delivered", "returned_to_sender"] }).notNull(),
  address: text("address").notNull(),
  postageVnd: integer("postage_vnd").notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One satisfaction rating per returned dossier. */
export const ratings = sqliteTable("ratings", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  dossierId: integer("dossier_id")
    .notNull()
    .unique()
    .references(() => dossiers.id),
  rating: text("rating", { enum: ["very_satisfied", "satisfied", "not_satisfied"] }).notNull(),
  comment: text("comment"),
  createdAt: createdAt(),
});

/**
 * The payment gateway simulator's own ledger. It stands for the bank's system, not the
 * portal's: the portal never reads it directly, only through the simulator's HTTP answers.
 */
export const simGatewayTransactions = sqliteTable(
  "sim_gateway_transactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
export const simPostParcels = sqliteTable("sim_post_parcels", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  trackingNumber: text("tracking_number").notNull().unique(),
  address: text("address").notNull(),
  status: text("status", { enum: ["created", "picked_up", "in_transit", "delivered", "returned_to_sender"] }).notNull(),
  history: text("history", { mode: "json" }).$type<{ status: string; at: string }[]>().notNull(),
  createdAt: createdAt(),
});

/**
 * A supplement request (yêu cầu bổ sung): the exact fields and documents the officer asks the
 * citizen to fix. Only those may change when the citizen answers; answering resumes the clock.
 */
export const supplementRequests = sqliteTable(
  "supplement_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    dossierId: integer("dossier_id")
      .notNull()
      .references(() => dossiers.id),
    requestedBy: integer("requested_by")
      .notNull()
      .references(() => users.id),
    message: text("message").notNull(),
    /** Names of form fields (file fields included) the citizen may change. */
    items: text("items", { mode: "json" }).$type<string[]>().notNull(),
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

/**
 * The notification outbox: written in the same transaction as the change the citizen is told
 * about, sent afterwards through one adapter (app/server/notifications/notifications.server.ts), so a message is
 * never lost when sending fails and never sent for a change that was rolled back.
 */
export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
 * Daily rollups of the event log, so the statistics dashboard never scans the raw log. One row per
 * (metric, Vietnam day, agency, procedure, channel); 0 and "" stand for "none". Maintained by
 * `recordEvent` in the same transaction as the event it counts (app/core/statistics/rollup.ts maps
 * an event to its metrics); `npm run stats:verify` recomputes them from the raw log.
 */
export const dailyCounts = sqliteTable(
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
    // A procedure's cells: what its level change moves between the subtree counters (moveProcedure in
    // the counters store), read in the administrator's write transaction, so it must not scan the whole table.
    index("daily_counts_procedure_idx").on(t.procedureId),
  ],
);

/**
 * The daily counters summed per agency SUBTREE, without the procedure: each `daily_counts` cell
 * adds to the row of its agency and of every ancestor, and to agency_id 0 (the whole country; here
 * 0 is "national", not "no agency" — cells without a known agency count nowhere, as in the
 * dashboard). `level` is the procedure's CURRENT level (0: no procedure). A scope's figures are
 * then a few hundred rows whatever the size of its tree or catalog (docs/decisions/009).
 * Kept by the counters store (app/server/statistics/counters.server.ts, docs/decisions/021) in the
 * transaction of every change of `daily_counts` or of a procedure's level, so they are always its
 * sum; created WITHOUT ROWID by migration 0005 (the key covers every read).
 */
export const subtreeDaily = sqliteTable(
  "subtree_daily",
  {
    day: text("day").notNull(),
    agencyId: integer("agency_id").notNull(),
    metric: text("metric").notNull(),
    channel: text("channel").notNull(),
    level: integer("level").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.day, t.metric, t.channel, t.level] })],
);

/**
 * Every event count of a subtree on a day or in a month, one column each, named as the counts they
 * are (`Counts` in app/core/statistics/metrics.ts: the counters, and the submissions split by
 * channel and by the procedure's current level): the subtree counters summed over channel and
 * level, so a scope's children are one row per child and day or month (docs/decisions/009).
 */
const subtreeTotalColumns = () => ({
  viewed: integer("viewed").notNull(),
  template_downloaded: integer("template_downloaded").notNull(),
  form_started: integer("form_started").notNull(),
  submitted: integer("submitted").notNull(),
  submitted_fee: integer("submitted_fee").notNull(),
  received: integer("received").notNull(),
  not_received: integer("not_received").notNull(),
  supplement_requested: integer("supplement_requested").notNull(),
  payment_requested: integer("payment_requested").notNull(),
  withdrawn: integer("withdrawn").notNull(),
  stopped: integer("stopped").notNull(),
  result_ready: integer("result_ready").notNull(),
  returned: integer("returned").notNull(),
  finished_early: integer("finished_early").notNull(),
  finished_on_time: integer("finished_on_time").notNull(),
  finished_late: integer("finished_late").notNull(),
  paid_online: integer("paid_online").notNull(),
  rated_very_satisfied: integer("rated_very_satisfied").notNull(),
  rated_satisfied: integer("rated_satisfied").notNull(),
  rated_not_satisfied: integer("rated_not_satisfied").notNull(),
  result_downloaded: integer("result_downloaded").notNull(),
  submitted_online: integer("submitted_online").notNull(),
  submitted_assisted: integer("submitted_assisted").notNull(),
  submitted_counter: integer("submitted_counter").notNull(),
  submitted_level34: integer("submitted_level34").notNull(),
  submitted_level34_portal: integer("submitted_level34_portal").notNull(),
  // Added after the others (migration 0018): a default, so the rows already there take 0 until the rebuild.
  online_exit: integer("online_exit").notNull().default(0),
  // Likewise added later (migration 0022): documents reused from the citizen's data store.
  document_reused: integer("document_reused").notNull().default(0),
});

/** `subtree_daily` per agency and day, its counts spread over columns; kept by the counters store, WITHOUT ROWID (migration 0005). */
export const subtreeTotalsDaily = sqliteTable(
  "subtree_totals_daily",
  { agencyId: integer("agency_id").notNull(), day: text("day").notNull(), ...subtreeTotalColumns() },
  (t) => [primaryKey({ columns: [t.agencyId, t.day] })],
);

/** `subtree_monthly` per agency and month, likewise. */
export const subtreeTotalsMonthly = sqliteTable(
  "subtree_totals_monthly",
  { agencyId: integer("agency_id").notNull(), month: text("month").notNull(), ...subtreeTotalColumns() },
  (t) => [primaryKey({ columns: [t.agencyId, t.month] })],
);

/**
 * For each procedure with a portal dossier (submitted online or assisted), the last Vietnam day it
 * had one, with its agency and current level: "online services used" in a period that reaches the
 * last such day are those whose last day falls in it, counted off an index instead of a distinct
 * count over `daily_counts` (docs/decisions/009). Kept by the counters store (docs/decisions/021).
 */
export const procedurePortalUse = sqliteTable(
  "procedure_portal_use",
  {
    procedureId: integer("procedure_id").primaryKey(),
    agencyId: integer("agency_id").notNull(),
    level: integer("level").notNull(),
    lastDay: text("last_day").notNull(),
  },
  (t) => [index("procedure_portal_use_agency_idx").on(t.agencyId, t.level, t.lastDay), index("procedure_portal_use_last_day_idx").on(t.lastDay)],
);

/** The catalog's size per agency and level (procedures as they are now), kept by the counters store (docs/decisions/021). */
export const catalogCounts = sqliteTable(
  "catalog_counts",
  {
    agencyId: integer("agency_id").notNull(),
    level: integer("level").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.level] })],
);

/** `subtree_daily` by Vietnam month ("YYYY-MM"): whole months of a long period are read from here. */
export const subtreeMonthly = sqliteTable(
  "subtree_monthly",
  {
    month: text("month").notNull(),
    agencyId: integer("agency_id").notNull(),
    metric: text("metric").notNull(),
    channel: text("channel").notNull(),
    level: integer("level").notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.agencyId, t.month, t.metric, t.channel, t.level] })],
);

/** Personal API tokens for the statistics API (administrators only); only a SHA-256 of the token is kept. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

/**
 * Failure counters of the attempt limits (sign-in, tracking, registration, contact codes), one row per
 * key and fixed window, shared by every server process on the database and kept across restarts
 * (docs/decisions/014-attempt-limits.md). The window logic is app/core/security/attempt-window.ts.
 */
export const attemptCounters = sqliteTable(
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

/**
 * Proofs that an account holder controls a contact: a link e-mailed at registration, a code sent by
 * SMS to a new phone. Only an HMAC of the secret is kept; a challenge is used once, expires, and a
 * code allows a few wrong tries.
 */
export const contactChallenges = sqliteTable(
  "contact_challenges",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

/**
 * Files of reported figures checked on the "reported vs measured" page, each kept (issue 12): who,
 * when, the file as uploaded and its SHA-256, the target it was judged against and the summary then
 * shown, so an import can be opened again at /admin/statistics/reported/:id and linked. Its
 * comparison is recomputed from the kept file by the one set of formulas
 * (app/core/statistics/reported.ts); the file is at most 1 MB.
 */
export const reportedImports = sqliteTable("reported_imports", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  userId: integer("user_id")
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  /** An uploaded file, or the 2019 appendix bundled with the portal. */
  source: text("source", { enum: ["file", "appendix"] }).notNull(),
  fileName: text("file_name").notNull(),
  /** Lower-case hex, so anyone holding the file can check it is the one imported. */
  fileSha256: text("file_sha256").notNull(),
  content: blob("content", { mode: "buffer" }).notNull(),
  /** The level-4 target in hundredths of a percent (30 % = 3000): exact, like the comparison. */
  targetHundredths: integer("target_hundredths").notNull(),
  /** ReportedImportSummarySchema, parsed when read. */
  summary: text("summary", { mode: "json" }).notNull(),
});

/**
 * How many times each shared cache's source has changed ("catalog", "search_index"), so every
 * process on the database empties its caches after a change another process made: a writer adds 1
 * in the transaction of its change, every process reads the rows once a second
 * (app/server/catalog/shared-generations.server.ts).
 */
export const cacheGenerations = sqliteTable("cache_generations", {
  name: text("name").primaryKey(),
  generation: integer("generation").notNull(),
});

/**
 * Uploaded files kept in the database, when STORAGE_BACKEND=database (app/server/platform/storage.server.ts):
 * every process on the database reads them, and a backup of the database holds them.
 */
export const storedFiles = sqliteTable("stored_files", {
  key: text("key").primaryKey(),
  content: blob("content", { mode: "buffer" }).notNull(),
  size: integer("size").notNull(),
  createdAt: createdAt(),
});

/**
 * The form builder's work in progress (issue 16): one draft per procedure, edited by its agency's
 * administrators until it is published as a new, immutable version in procedure_forms. The
 * definition may be incomplete or invalid (it is a draft); it is checked when published.
 * `based_on_version`: the published version the draft was started from (null: a new form).
 */
export const formDrafts = sqliteTable("form_drafts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  procedureId: integer("procedure_id")
    .notNull()
    .unique()
    .references(() => procedures.id),
  definition: text("definition", { mode: "json" }).notNull(),
  basedOnVersion: integer("based_on_version"),
  updatedAt: updatedAt(),
  updatedBy: integer("updated_by").references(() => users.id),
});

/**
 * Identities an account signs in with besides its password (issue 17): today VNeID only. `subject`
 * is the provider's `sub` — for VNeID the 12-digit CCCD number — and `level` the identity level the
 * provider vouched for at the last sign-in (1: registered online; 2: checked in person). The name
 * and date of birth are the provider's, as last received. One VNeID per account, one account per
 * VNeID; the linking rule is in docs/decisions/034-vneid-sign-in.md (never by an e-mail alone).
 */
export const userIdentities = sqliteTable(
  "user_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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

/**
 * Members a business's owner lets file for it (issue 17): the business is a tax code in the business registry
 * (app/server/identity/business-registry.server.ts), whose owner is a person there; a member is a citizen account
 * the owner added. Removal sets `removed_at` (the row stays as the record of who could file when); every access
 * check reads the current rows, so a removed member loses access on the next request. Re-adding is a new row.
 */
export const businessMembers = sqliteTable(
  "business_members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
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
