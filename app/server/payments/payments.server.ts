import { accessTo } from "../dossiers/representation.server";
import { and, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { randomBytes } from "node:crypto";
import { schema } from "../platform/schema.server";
import { amountDue, paymentRequired, paymentStanding } from "../../core/payments/fees";
import {
  buildPaymentParams,
  buildQuerydrRequest,
  fromVnpAmount,
  IPN_MESSAGES,
  parseGatewayResult,
  parseVnpDate,
  paymentUrl,
  QuerydrResponseSchema,
  verifyQuerydrResponse,
  vnpDate,
  vnpOrderInfo,
  type CallbackRefusal,
  type IpnAnswer,
  type VnpParams,
} from "../../core/payments/vnpay";
import { STATUS, transition } from "../../core/dossiers/status";
import { db, inTransaction, placeholders, preparedPerConnection, type Tx } from "../platform/db.server";
import { selectDossierDetail } from "../dossiers/dossiers.server";
import { env } from "../platform/env.server";
import { recordEvent } from "../statistics/events.server";
import { queueNotifications } from "../notifications/notifications.server";
import { countAll } from "../platform/dialect.server";

/**
 * The merchant side of online payment (VNPay 2.1.0 shape; docs/decisions/006-payment-protocol.md).
 * Only a verified IPN — or a verified status query during reconciliation — marks a payment paid;
 * the browser's return only displays. Every attempt is a `payments` row and an event; every
 * callback is a `payment_callbacks` row with the answer given.
 */
const PAYMENT_TTL_MINUTES = 15;

type Dossier = typeof schema.dossiers.$inferSelect;
type Payment = typeof schema.payments.$inferSelect;

async function dossierWithProcedure(tx: Tx, dossierId: number) {
  const [row] = await selectDossierDetail(tx).where(eq(schema.dossiers.id, dossierId)).limit(1);
  return row;
}

/**
 * The fee fixed when the dossier was submitted (its form's fee rule, or the procedure's fee then); a
 * dossier submitted before the fee was kept on it pays the procedure's fee as it is now.
 */
function feeOf(row: { dossier: { feeVnd: number | null }; procedure: { feeVnd: number } }): number {
  return row.dossier.feeVnd ?? row.procedure.feeVnd;
}

/** What this dossier owes, whether it has been paid, and how it is paid (its receipt's `standing`). */
export async function paymentState(dossierId: number) {
  return paymentStateIn(db(), dossierId);
}

/** paymentState inside a caller's transaction. */
async function paymentStateIn(tx: Tx, dossierId: number) {
  const row = await dossierWithProcedure(tx, dossierId);
  if (!row) return null;
  const due = amountDue({ feeVnd: feeOf(row), deliveryMode: row.dossier.deliveryMode });
  const attempts = await tx.select().from(schema.payments).where(eq(schema.payments.dossierId, dossierId)).orderBy(schema.payments.id);
  const paid = attempts.find((p) => p.status === "paid") ?? null;
  const required = paymentRequired({ level: row.procedure.level, status: row.dossier.status, totalVnd: due.totalVnd });
  // Payable while the dossier is open for it: just submitted or received (level 4), or payment requested.
  const payableStatus =
    row.dossier.status === STATUS.paymentRequested ||
    (row.procedure.level >= 4 && (row.dossier.status === STATUS.submitted || row.dossier.status === STATUS.received));
  const standing = paymentStanding({ totalVnd: due.totalVnd, required, paid: paid !== null });
  return { due, attempts, paid, required, canPay: required && !paid && payableStatus, standing };
}

/** True when processing must wait for a payment that has not been settled. */
export async function isUnpaid(tx: Tx, dossier: Dossier): Promise<boolean> {
  const row = await dossierWithProcedure(tx, dossier.id);
  if (!row) return false;
  const due = amountDue({ feeVnd: feeOf(row), deliveryMode: dossier.deliveryMode });
  if (!paymentRequired({ level: row.procedure.level, status: dossier.status, totalVnd: due.totalVnd })) return false;
  const [paid] = await tx
    .select({ id: schema.payments.id })
    .from(schema.payments)
    .where(and(eq(schema.payments.dossierId, dossier.id), eq(schema.payments.status, "paid")))
    .limit(1);
  return !paid;
}

function newTxnRef(): string {
  // 16 upper-case letters and digits: VNPay's TxnRef is alphanumeric and unique per merchant.
  return randomBytes(12)
    .toString("base64url")
    .replace(/[^A-Za-z0-9]/g, "")
    .toUpperCase()
    .padEnd(16, "7")
    .slice(0, 16);
}

export type StartPayment = { kind: "redirect"; url: string; txnRef: string } | { kind: "already_paid" } | { kind: "not_payable" };

/**
 * The citizen's "pay" action, idempotent: while an attempt is pending and unexpired, every
 * click, refresh or second tab gets the same transaction and URL; a failed, cancelled or
 * expired attempt is followed by a fresh one.
 */
export async function startPayment(input: {
  dossierId: number;
  applicantId: number;
  ipAddr: string;
  locale: "vi" | "en";
  returnUrl: string;
  now?: Date;
}): Promise<StartPayment> {
  const now = input.now ?? new Date();
  const config = env();
  const payment = await inTransaction(async (tx): Promise<Payment | "already_paid" | "not_payable"> => {
    const row = await dossierWithProcedure(tx, input.dossierId);
    // The filer, the subject or the subject business's people (core/dossiers/representation.ts): whoever may see it may pay.
    if (!row || (await accessTo(input.applicantId, row.dossier)) === null) return "not_payable";
    const attempts = await tx.select().from(schema.payments).where(eq(schema.payments.dossierId, input.dossierId));
    if (attempts.some((p) => p.status === "paid")) return "already_paid";
    const state = await paymentStateIn(tx, input.dossierId);
    if (!state?.canPay) return "not_payable";
    const pending = attempts.find((p) => p.status === "pending");
    if (pending && pending.expiresAt > now) return pending;
    if (pending) {
      await tx.update(schema.payments).set({ status: "expired", settledAt: now }).where(eq(schema.payments.id, pending.id));
      await recordEvent(tx, {
        type: "payment_expired",
        occurredAt: now,
        dossierId: row.dossier.id,
        procedureId: row.procedure.id,
        agencyId: row.dossier.agencyId,
        channel: row.dossier.channel,
        data: { txnRef: pending.txnRef },
      });
    }
    const [created] = await tx
      .insert(schema.payments)
      .values({
        dossierId: row.dossier.id,
        txnRef: newTxnRef(),
        feeVnd: state.due.feeVnd,
        postageVnd: state.due.postageVnd,
        amountVnd: state.due.totalVnd,
        status: "pending",
        createdAt: now,
        expiresAt: new Date(now.getTime() + PAYMENT_TTL_MINUTES * 60_000),
      })
      .returning();
    if (!created) throw new Error("the new payment's row was not returned");
    await recordEvent(tx, {
      type: "payment_started",
      occurredAt: now,
      dossierId: row.dossier.id,
      procedureId: row.procedure.id,
      agencyId: row.dossier.agencyId,
      actorId: input.applicantId,
      actorRole: "citizen",
      channel: row.dossier.channel,
      data: { txnRef: created.txnRef, amountVnd: created.amountVnd },
    });
    return created;
  });
  if (payment === "already_paid" || payment === "not_payable") return { kind: payment };
  const [dossier] = await db().select({ code: schema.dossiers.receiptCode }).from(schema.dossiers).where(eq(schema.dossiers.id, payment.dossierId)).limit(1);
  const receiptCode = dossier?.code ?? "";
  const params = buildPaymentParams({
    tmnCode: config.PAYMENT_TMN_CODE,
    secret: config.PAYMENT_HASH_SECRET,
    amountVnd: payment.amountVnd,
    txnRef: payment.txnRef,
    orderInfo: vnpOrderInfo(`Thanh toan le phi ho so ${receiptCode}`),
    returnUrl: input.returnUrl,
    ipAddr: input.ipAddr,
    locale: input.locale === "en" ? "en" : "vn",
    createdAt: payment.createdAt,
    expireMinutes: PAYMENT_TTL_MINUTES,
  });
  return { kind: "redirect", url: paymentUrl(config.PAYMENT_GATEWAY_URL, params), txnRef: payment.txnRef };
}

const answer = (code: IpnAnswer["RspCode"]): IpnAnswer => ({ RspCode: code, Message: IPN_MESSAGES[code] });

/**
 * What is kept of a callback's parameters: the gateway's own (vnp_*), bounded. Anyone can call the
 * return page and the IPN URL with any query; the log must not grow by what a stranger sends.
 */
export function loggedParams(params: Record<string, string>): Record<string, string> {
  const kept = Object.entries(params).filter(([key]) => /^vnp_[A-Za-z]{1,30}$/.test(key));
  return Object.fromEntries(kept.slice(0, 30).map(([key, value]) => [key, value.slice(0, 255)]));
}

/** What every gateway callback runs (an IPN: the payment by its reference, the callback's log row), prepared once per connection. */
const statements = preparedPerConnection((tx) => ({
  paymentByRef: tx
    .select()
    .from(schema.payments)
    .where(eq(schema.payments.txnRef, sql.placeholder("txnRef")))
    .prepare(),
  logCallback: tx
    .insert(schema.paymentCallbacks)
    .values(placeholders(["kind", "paymentId", "params", "answer"]))
    .prepare(),
}));

async function logCallback(tx: Tx, kind: "ipn" | "return" | "querydr", paymentId: number | null, params: Record<string, string>, result: string) {
  await statements(tx).logCallback.execute({ kind, paymentId, params: loggedParams(params), answer: result });
}

/**
 * Settles a pending payment once. The conditional update (`status = 'pending'`) inside an
 * immediate transaction is what makes a thousand duplicate callbacks change state once.
 */
async function settle(
  tx: Tx,
  payment: Payment,
  outcome: {
    paid: boolean;
    responseCode: string;
    transactionNo: string | null;
    bankCode: string | null;
    paidAt: Date | null;
    by: "ipn" | "querydr";
    now: Date;
  },
): Promise<boolean> {
  const status = outcome.paid ? "paid" : outcome.responseCode === "24" ? "cancelled" : "failed";
  const changed = await tx
    .update(schema.payments)
    .set({
      status,
      responseCode: outcome.responseCode,
      gatewayTransactionNo: outcome.transactionNo,
      bankCode: outcome.bankCode,
      paidAt: outcome.paidAt,
      settledAt: outcome.now,
      settledBy: outcome.by,
    })
    .where(and(eq(schema.payments.id, payment.id), eq(schema.payments.status, "pending")))
    .returning({ id: schema.payments.id });
  if (changed.length !== 1) return false;
  const row = await dossierWithProcedure(tx, payment.dossierId);
  if (!row) return true;
  const base = {
    occurredAt: outcome.now,
    dossierId: row.dossier.id,
    procedureId: row.procedure.id,
    agencyId: row.dossier.agencyId,
    channel: row.dossier.channel,
    actorRole: "system" as const,
  };
  await recordEvent(tx, {
    ...base,
    type: outcome.paid ? "payment_confirmed" : "payment_failed",
    data: { txnRef: payment.txnRef, amountVnd: payment.amountVnd, responseCode: outcome.responseCode, by: outcome.by },
  });
  if (outcome.paid && row.dossier.status === STATUS.paymentRequested) {
    const move = transition({ action: "confirmPayment", from: row.dossier.status, role: "system" });
    if (move.ok) {
      await tx
        .update(schema.dossiers)
        .set({ status: move.to, version: row.dossier.version + 1, updatedAt: outcome.now })
        .where(eq(schema.dossiers.id, row.dossier.id));
      await recordEvent(tx, { ...base, type: "status_changed", fromStatus: move.from, toStatus: move.to, data: { action: "confirmPayment" } });
      await queueNotifications(tx, { dossier: row.dossier, template: "payment_confirmed" });
    }
  }
  return true;
}

/** The GMT+7 calendar day of an instant, "yyyy-MM-dd" (the refusal counters' key). */
function vnDay(now: Date): string {
  const d = vnpDate(now);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

export type RefusalReason = CallbackRefusal | "unknown_order";

/**
 * Counts a callback that was not the gateway's, per day, kind and reason: one upsert, no copy of
 * what a stranger sent (issue 11). Verified callbacks keep their own row (logCallback).
 */
async function countRefusal(kind: "ipn" | "return", reason: RefusalReason, now: Date): Promise<void> {
  const t = schema.paymentCallbackRefusals;
  await inTransaction(async (tx) => {
    await tx
      .insert(t)
      .values({ day: vnDay(now), kind, reason, count: 1, lastAt: now })
      .onConflictDoUpdate({ target: [t.day, t.kind, t.reason], set: { count: sql`${t.count} + 1`, lastAt: now } });
  });
}

const merchant = () => ({ tmnCode: env().PAYMENT_TMN_CODE, secret: env().PAYMENT_HASH_SECRET });

/**
 * A verified success the books cannot take: the attempt was already settled as failed, cancelled or
 * expired (late_success), or paid under another gateway transaction (double_payment). Recorded once
 * per attempt and gateway transaction, with its event, for an operator to refund or apply.
 */
async function flagAnomaly(
  tx: Tx,
  payment: Payment,
  found: { transactionNo: string; bankCode: string | null; paidAt: Date | null; by: "ipn" | "querydr"; now: Date },
): Promise<boolean> {
  const kind = payment.status === "paid" ? "double_payment" : "late_success";
  const inserted = await tx
    .insert(schema.paymentAnomalies)
    .values({
      paymentId: payment.id,
      dossierId: payment.dossierId,
      kind,
      statusWhenReceived: payment.status,
      amountVnd: payment.amountVnd,
      gatewayTransactionNo: found.transactionNo,
      bankCode: found.bankCode,
      paidAt: found.paidAt,
      receivedBy: found.by,
      receivedAt: found.now,
    })
    .onConflictDoNothing()
    .returning({ id: schema.paymentAnomalies.id });
  if (inserted.length !== 1) return false;
  const row = await dossierWithProcedure(tx, payment.dossierId);
  await recordEvent(tx, {
    type: "payment_late_success",
    occurredAt: found.now,
    dossierId: payment.dossierId,
    procedureId: row?.procedure.id,
    agencyId: row?.dossier.agencyId,
    channel: row?.dossier.channel,
    actorRole: "system",
    data: { txnRef: payment.txnRef, amountVnd: payment.amountVnd, kind, statusWhenReceived: payment.status, transactionNo: found.transactionNo, by: found.by },
  });
  return true;
}

/**
 * The IPN endpoint's logic: answers in VNPay's {RspCode, Message} and changes state at most once.
 * Only a genuine gateway result gets this far (parseGatewayResult): the pay request replayed, a
 * missing or malformed result field or a request-only field → 99 and nothing written but a counter;
 * a bad (or upper-case) signature or another merchant → 97. A success for an attempt already
 * settled otherwise is flagged for an operator and answered 02, so the gateway stops retrying
 * (docs/decisions/006-payment-protocol.md).
 */
export async function handleIpn(query: URLSearchParams, now = new Date()): Promise<IpnAnswer> {
  try {
    const parsed = parseGatewayResult(query, merchant());
    if (!parsed.ok) {
      await countRefusal("ipn", parsed.reason, now);
      return answer(parsed.reason === "bad_signature" || parsed.reason === "unknown_merchant" ? "97" : "99");
    }
    const result = parsed.result;
    const params: VnpParams = { ...result };
    // Awaited here, so a failure inside the transaction is answered 99 like any other.
    return await inTransaction(async (tx) => {
      const [payment] = await statements(tx).paymentByRef.execute({ txnRef: result.vnp_TxnRef });
      if (!payment) {
        await logCallback(tx, "ipn", null, params, "01");
        return answer("01");
      }
      if (fromVnpAmount(result.vnp_Amount) !== payment.amountVnd) {
        await logCallback(tx, "ipn", payment.id, params, "04");
        return answer("04");
      }
      const paid = result.vnp_ResponseCode === "00" && result.vnp_TransactionStatus === "00";
      const paidAt = paid ? (parseVnpDate(result.vnp_PayDate) ?? now) : null;
      if (payment.status !== "pending") {
        const sameSettlement = payment.status === "paid" && payment.gatewayTransactionNo === result.vnp_TransactionNo;
        if (paid && !sameSettlement)
          await flagAnomaly(tx, payment, { transactionNo: result.vnp_TransactionNo, bankCode: result.vnp_BankCode ?? null, paidAt, by: "ipn", now });
        await logCallback(tx, "ipn", payment.id, params, "02");
        return answer("02");
      }
      const settled = await settle(tx, payment, {
        paid,
        responseCode: result.vnp_ResponseCode,
        transactionNo: result.vnp_TransactionNo,
        bankCode: result.vnp_BankCode ?? null,
        paidAt,
        by: "ipn",
        now,
      });
      const code = settled ? "00" : "02";
      await logCallback(tx, "ipn", payment.id, params, code);
      return answer(code);
    });
  } catch {
    return answer("99");
  }
}

function payDate(value: string | undefined): Date | null {
  return value ? parseVnpDate(value) : null;
}

/**
 * The browser's return from the gateway: displays, never changes state. The verdict shown is
 * the portal's own record (set by the IPN); until the IPN arrives the page says it is waiting.
 * The same rules as the IPN decide what is genuine; a genuine return is logged once per attempt and
 * gateway transaction (a reload or a shared link adds nothing), anything else is only counted.
 */
export async function handleReturn(query: URLSearchParams, now = new Date()) {
  const parsed = parseGatewayResult(query, merchant());
  if (!parsed.ok) {
    await countRefusal("return", parsed.reason, now);
    return { valid: false as const };
  }
  const result = parsed.result;
  const [payment] = await db().select().from(schema.payments).where(eq(schema.payments.txnRef, result.vnp_TxnRef)).limit(1);
  if (!payment) {
    await countRefusal("return", "unknown_order", now);
    return { valid: false as const };
  }
  await inTransaction(async (tx) => {
    const logged = await tx
      .select({ params: schema.paymentCallbacks.params })
      .from(schema.paymentCallbacks)
      .where(and(eq(schema.paymentCallbacks.paymentId, payment.id), eq(schema.paymentCallbacks.kind, "return")));
    const seen = logged.some((row) => row.params.vnp_TransactionNo === result.vnp_TransactionNo);
    if (!seen) await logCallback(tx, "return", payment.id, { ...result }, "shown");
  });
  const [dossier] = await db()
    .select({ receiptCode: schema.dossiers.receiptCode, applicantId: schema.dossiers.applicantId })
    .from(schema.dossiers)
    .where(eq(schema.dossiers.id, payment.dossierId))
    .limit(1);
  return {
    valid: true as const,
    receiptCode: dossier?.receiptCode ?? null,
    applicantId: dossier?.applicantId ?? null,
    dossierId: payment.dossierId,
    status: payment.status,
    gatewayCode: result.vnp_ResponseCode,
    /** The code the attempt was settled with (IPN or querydr), when it has been. */
    settledCode: payment.responseCode,
    amountVnd: payment.amountVnd,
    txnRef: payment.txnRef,
  };
}

export type QuerydrClient = (body: Record<string, string>) => Promise<unknown>;

/** The default client: POST to the gateway's querydr endpoint, with a timeout. */
export function httpQuerydr(url: string): QuerydrClient {
  return async (body) => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return res.json();
  };
}

/**
 * Asks the gateway about one attempt (signed querydr request) and checks the answer's signature.
 * `unreachable` when the query threw (network, timeout): asked again on the next run.
 */
async function askGateway(payment: Payment, input: { query: QuerydrClient; now: Date; ipAddr?: string }) {
  const config = env();
  const body = buildQuerydrRequest({
    tmnCode: config.PAYMENT_TMN_CODE,
    secret: config.PAYMENT_HASH_SECRET,
    txnRef: payment.txnRef,
    transactionDate: vnpDate(payment.createdAt),
    ipAddr: input.ipAddr ?? "127.0.0.1",
    orderInfo: vnpOrderInfo(`Truy van giao dich ${payment.txnRef}`),
    now: input.now,
    requestId: randomBytes(8).toString("hex"),
  });
  let raw: unknown;
  try {
    raw = await input.query(body);
  } catch {
    return { unreachable: true as const };
  }
  const parsed = QuerydrResponseSchema.safeParse(raw);
  const answer = parsed.success && verifyQuerydrResponse(parsed.data, config.PAYMENT_HASH_SECRET) ? parsed.data : null;
  const params = parsed.success ? Object.fromEntries(Object.entries(parsed.data).map(([k, v]) => [k, String(v)])) : {};
  return { unreachable: false as const, answer, params };
}

/**
 * Reconciliation: asks the gateway about every pending payment older than a minute (its IPN
 * may have been lost) and settles it from the verified answer. Unanswered past expiry → expired.
 */
export async function reconcilePayments(input: { query: QuerydrClient; now?: Date; ipAddr?: string }) {
  const now = input.now ?? new Date();
  const pending = await db()
    .select()
    .from(schema.payments)
    .where(and(eq(schema.payments.status, "pending"), lt(schema.payments.createdAt, new Date(now.getTime() - 60_000))))
    .orderBy(schema.payments.id);
  const summary = { checked: pending.length, paid: 0, failed: 0, expired: 0, unchanged: 0, errors: 0, rechecked: 0, flagged: 0 };
  for (const payment of pending) {
    const asked = await askGateway(payment, { query: input.query, now, ipAddr: input.ipAddr });
    if (asked.unreachable) {
      summary.errors += 1;
      continue;
    }
    const outcome = await inTransaction(async (tx) => {
      await logCallback(tx, "querydr", payment.id, asked.params, asked.answer ? "verified" : "97");
      const res = asked.answer;
      if (!res) return "errors" as const;
      if (res.vnp_ResponseCode === "00" && fromVnpAmount(String(res.vnp_Amount)) !== payment.amountVnd) return "errors" as const;
      if (res.vnp_ResponseCode === "00" && res.vnp_TransactionStatus === "00") {
        return (await settle(tx, payment, {
          paid: true,
          responseCode: "00",
          transactionNo: String(res.vnp_TransactionNo ?? ""),
          bankCode: String(res.vnp_BankCode ?? ""),
          paidAt: payDate(String(res.vnp_PayDate ?? "")) ?? now,
          by: "querydr",
          now,
        }))
          ? ("paid" as const)
          : ("unchanged" as const);
      }
      if (res.vnp_ResponseCode === "00" && res.vnp_TransactionStatus === "02") {
        return (await settle(tx, payment, {
          paid: false,
          responseCode: "02",
          transactionNo: String(res.vnp_TransactionNo ?? ""),
          bankCode: null,
          paidAt: null,
          by: "querydr",
          now,
        }))
          ? ("failed" as const)
          : ("unchanged" as const);
      }
      if (payment.expiresAt < now) {
        const changed = await tx
          .update(schema.payments)
          .set({ status: "expired", settledAt: now })
          .where(and(eq(schema.payments.id, payment.id), eq(schema.payments.status, "pending")))
          .returning({ id: schema.payments.id });
        if (changed.length === 1) {
          const row = await dossierWithProcedure(tx, payment.dossierId);
          await recordEvent(tx, {
            type: "payment_expired",
            occurredAt: now,
            dossierId: payment.dossierId,
            procedureId: row?.procedure.id,
            agencyId: row?.dossier.agencyId,
            channel: row?.dossier.channel,
            actorRole: "system",
            data: { txnRef: payment.txnRef },
          });
          return "expired" as const;
        }
      }
      return "unchanged" as const;
    });
    summary[outcome] += 1;
  }
  summary.rechecked = await recheckExpiredAttempts({ query: input.query, now, ipAddr: input.ipAddr });
  // Money taken that the books do not match stays in every run's report until an operator resolves it.
  summary.flagged = await openAnomalyCount();
  return summary;
}

/** A paid attempt of a dossier the citizen owns, for the payment receipt (biên lai). */
export async function getPaidPayment(input: { dossierId: number; txnRef: string }) {
  const [payment] = await db()
    .select()
    .from(schema.payments)
    .where(and(eq(schema.payments.dossierId, input.dossierId), eq(schema.payments.txnRef, input.txnRef), inArray(schema.payments.status, ["paid"])))
    .limit(1);
  return payment;
}

/**
 * Attempts the portal expired itself (a new "pay" after 15 minutes) were closed without asking the
 * gateway: the citizen may have paid at the last minute and the IPN been lost. Each is asked about
 * once (within a day of expiry; the querydr row logged is the mark that it was asked), and a success
 * is flagged for an operator (late_success, by querydr). Returns how many were asked.
 */
async function recheckExpiredAttempts(input: { query: QuerydrClient; now: Date; ipAddr?: string }): Promise<number> {
  const p = schema.payments;
  const alreadyAsked = sql`exists (select 1 from ${schema.paymentCallbacks} c where c.payment_id = ${p.id} and c.kind = 'querydr' and c.created_at >= ${p.expiresAt})`;
  const expired = await db()
    .select()
    .from(p)
    .where(and(eq(p.status, "expired"), isNull(p.settledBy), gte(p.settledAt, new Date(input.now.getTime() - 86_400_000)), sql`not ${alreadyAsked}`))
    // Oldest first: with more than a run's worth, the rest are asked on the next runs.
    .orderBy(p.id)
    .limit(100);
  for (const payment of expired) {
    const asked = await askGateway(payment, input);
    if (asked.unreachable) continue; // asked again next run
    await inTransaction(async (tx) => {
      // Received now, after expiry: this row is what marks the attempt as asked.
      await tx.insert(schema.paymentCallbacks).values({
        kind: "querydr",
        paymentId: payment.id,
        params: loggedParams(asked.params),
        answer: asked.answer ? "verified" : "97",
        receivedAt: input.now > payment.expiresAt ? input.now : new Date(payment.expiresAt.getTime() + 1),
      });
      const res = asked.answer;
      if (!res || res.vnp_ResponseCode !== "00" || res.vnp_TransactionStatus !== "00" || fromVnpAmount(String(res.vnp_Amount)) !== payment.amountVnd) return;
      await flagAnomaly(tx, payment, {
        transactionNo: String(res.vnp_TransactionNo),
        bankCode: res.vnp_BankCode || null,
        paidAt: payDate(String(res.vnp_PayDate)),
        by: "querydr",
        now: input.now,
      });
    });
  }
  return expired.length;
}

// ---------------------------------------------------------------------------------------------
// Flagged payments and refused callbacks, for an administrator (/admin/payments)
// ---------------------------------------------------------------------------------------------

export async function openAnomalyCount(): Promise<number> {
  const [row] = await db().select({ n: countAll() }).from(schema.paymentAnomalies).where(isNull(schema.paymentAnomalies.resolvedAt));
  return row?.n ?? 0;
}

/** Flagged payments, open ones first: who paid what, the gateway's transaction, when, and whether resolved. */
export async function listPaymentAnomalies(input: { limit?: number } = {}) {
  const a = schema.paymentAnomalies;
  return await db()
    .select({
      id: a.id,
      kind: a.kind,
      statusWhenReceived: a.statusWhenReceived,
      amountVnd: a.amountVnd,
      gatewayTransactionNo: a.gatewayTransactionNo,
      bankCode: a.bankCode,
      paidAt: a.paidAt,
      receivedBy: a.receivedBy,
      receivedAt: a.receivedAt,
      resolvedAt: a.resolvedAt,
      resolutionNote: a.resolutionNote,
      txnRef: schema.payments.txnRef,
      receiptCode: schema.dossiers.receiptCode,
      applicantName: schema.users.fullName,
      applicantEmail: schema.users.email,
    })
    .from(a)
    .innerJoin(schema.payments, eq(schema.payments.id, a.paymentId))
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, a.dossierId))
    .leftJoin(schema.users, eq(schema.users.id, schema.dossiers.applicantId))
    .orderBy(sql`${a.resolvedAt} is not null`, desc(a.receivedAt), desc(a.id))
    .limit(input.limit ?? 200);
}

/** Refused callbacks per day, kind and reason over the last `days` days (GMT+7), newest first. */
export async function listCallbackRefusals(input: { days?: number; now?: Date } = {}) {
  const now = input.now ?? new Date();
  const since = vnDay(new Date(now.getTime() - (input.days ?? 30) * 86_400_000));
  const t = schema.paymentCallbackRefusals;
  return await db().select().from(t).where(gte(t.day, since)).orderBy(desc(t.day), t.kind, t.reason);
}

/**
 * Closes a flag once the operator has refunded the money or applied it to the dossier, with a note
 * saying which. Returns false when there is no such open flag (already resolved, or unknown).
 */
export async function resolvePaymentAnomaly(input: { anomalyId: number; userId: number; note: string; now?: Date }): Promise<boolean> {
  const now = input.now ?? new Date();
  return inTransaction(async (tx) => {
    const a = schema.paymentAnomalies;
    const [row] = await tx
      .update(a)
      .set({ resolvedAt: now, resolvedBy: input.userId, resolutionNote: input.note })
      .where(and(eq(a.id, input.anomalyId), isNull(a.resolvedAt)))
      .returning();
    if (!row) return false;
    await recordEvent(tx, {
      type: "payment_anomaly_resolved",
      occurredAt: now,
      dossierId: row.dossierId,
      actorId: input.userId,
      actorRole: "system_admin",
      data: { anomalyId: row.id, kind: row.kind, transactionNo: row.gatewayTransactionNo },
    });
    return true;
  });
}
