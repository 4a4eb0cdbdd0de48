import { and, eq, isNull } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import * as z from "zod";
import { schema } from "../server/platform/schema.server";
import {
  fromVnpAmount,
  GATEWAY_OUTCOMES,
  parseVnpDate,
  paymentUrl,
  QuerydrRequestSchema,
  signParams,
  signQuerydrResponse,
  verifyParams,
  verifyQuerydrRequest,
  vnpDate,
  type GatewayOutcomeCode,
  type IpnAnswer,
  type QuerydrResponse,
  type VnpParams,
} from "../core/payments/vnpay";
import { db, inTransaction } from "../server/platform/db.server";
import { env } from "../server/platform/env.server";

/**
 * A stand-in for the bank's payment gateway (VNPay 2.1.0 shape; docs/decisions/006-payment-protocol.md).
 * It is a separate system: its own ledger (`sim_gateway_transactions`), its own pages under
 * /gateway/vnpay, and it talks to the portal only as VNPay would — the browser redirect to the
 * return URL, the server-to-server IPN call, and the querydr API.
 */

type Row = typeof schema.simGatewayTransactions.$inferSelect;

// ---------------------------------------------------------------------------------------------
// Merchant registry
// ---------------------------------------------------------------------------------------------

export type Merchant = { tmnCode: string; secret: string; ipnUrl: string; nameKey: string };

/** The merchants this gateway knows: the portal, configured from the same variables it signs with. */
function merchants(): Map<string, Merchant> {
  const config = env();
  const portal: Merchant = {
    tmnCode: config.PAYMENT_TMN_CODE,
    secret: config.PAYMENT_HASH_SECRET,
    ipnUrl: process.env.SIM_IPN_URL ?? `http://127.0.0.1:${config.PORT}/api/v1/payments/ipn`,
    nameKey: "gateway.merchant_portal",
  };
  return new Map([[portal.tmnCode, portal]]);
}

const findMerchant = (tmnCode: string): Merchant | undefined => merchants().get(tmnCode);

// ---------------------------------------------------------------------------------------------
// Refusals
// ---------------------------------------------------------------------------------------------

/**
 * Why the gateway will not go on, with the code shown to the customer: 97 (checksum) and 11
 * (timed out) as in VNPay's response-code table, 02 / 03 as in its API tables (invalid merchant,
 * malformed data), 94 as its "already sent" code.
 */
export const REFUSAL_CODES = {
  invalid: "03",
  unknown_merchant: "02",
  bad_signature: "97",
  bad_amount: "03",
  expired: "11",
  duplicate: "94",
  not_found: "01",
  already_processed: "02",
} as const;
export type RefusalReason = keyof typeof REFUSAL_CODES;
export type Refusal = { reason: RefusalReason; code: string };

const refusal = (reason: RefusalReason): Refusal => ({ reason, code: REFUSAL_CODES[reason] });

/** Thrown by completePayment when it will not complete (the route turns it into a 400/409 page). */
export class GatewayRefusal extends Error {
  readonly reason: RefusalReason;
  readonly code: string;
  constructor(reason: RefusalReason) {
    super(`payment gateway refused: ${reason}`);
    this.name = "GatewayRefusal";
    this.reason = reason;
    this.code = REFUSAL_CODES[reason];
  }
}

// ---------------------------------------------------------------------------------------------
// Opening a payment (the customer arrives from the merchant with a signed URL)
// ---------------------------------------------------------------------------------------------

/** Banks and wallets offered on the payment page (VNPay bank codes), with the card type reported. */
export const BANKS = ["NCB", "VIETCOMBANK", "BIDV", "VIETINBANK", "MOMO", "VNPAYQR"] as const;
export type BankCode = (typeof BANKS)[number];
const isOffered = (code: string | null | undefined): code is BankCode => BANKS.some((b) => b === code);
const cardType = (bankCode: string) => (bankCode === "VNPAYQR" || bankCode === "MOMO" ? "QRCODE" : "ATM");

const vnpDateString = z.string().regex(/^\d{14}$/);

/** Where the customer may be sent back: an http(s) URL or a path on this site (never "//host"). */
const returnUrlSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((url) => /^https?:\/\/[^/\s]/i.test(url) || /^\/(?![/\\])/.test(url));

/** The `pay` request's fields. vnp_Amount is only checked after the signature, to tell tampering apart. */
const PayRequestSchema = z.object({
  vnp_Version: z.literal("2.1.0"),
  vnp_Command: z.literal("pay"),
  vnp_TmnCode: z.string().min(1).max(20),
  vnp_Amount: z.string().min(1).max(20),
  vnp_CurrCode: z.literal("VND"),
  vnp_TxnRef: z.string().min(1).max(100),
  vnp_OrderInfo: z.string().min(1).max(255),
  vnp_OrderType: z.string().min(1).max(100),
  vnp_Locale: z.enum(["vn", "en"]),
  vnp_ReturnUrl: returnUrlSchema,
  vnp_IpAddr: z.string().min(1).max(45),
  vnp_CreateDate: vnpDateString,
  vnp_ExpireDate: vnpDateString,
  vnp_BankCode: z
    .string()
    .regex(/^[A-Za-z0-9]{3,20}$/)
    .optional(),
  vnp_SecureHash: z.string().min(1),
});

/** What the payment page shows. */
export type GatewayPayment = {
  tmnCode: string;
  merchantNameKey: string;
  txnRef: string;
  amountVnd: number;
  orderInfo: string;
  locale: string;
  expiresAt: string;
  /** The bank the merchant asked for (vnp_BankCode), if the page offers it. */
  bankCode: BankCode | null;
  /** Once completed: the result, and the signed URL back to the merchant. */
  responseCode: string | null;
  resultUrl: string | null;
};

export type OpenPaymentResult = { ok: true; state: "open" | "processed"; payment: GatewayPayment } | { ok: false; refusal: Refusal };

/**
 * The customer arrives with the merchant's signed `pay` URL. Checks it (format, merchant,
 * signature, amount, dates), then records the transaction in the gateway's ledger — once per
 * merchant and TxnRef: opening the same URL again shows the same transaction, or that it has
 * already been processed; a different request reusing a TxnRef is refused.
 */
export async function openPayment(query: URLSearchParams, now: Date): Promise<OpenPaymentResult> {
  // A repeated vnp_ key would make what is signed ambiguous.
  const keys = [...query.keys()].filter((k) => k.startsWith("vnp_"));
  if (new Set(keys).size !== keys.length) return { ok: false, refusal: refusal("invalid") };
  const params: VnpParams = Object.fromEntries(query);
  const parsed = PayRequestSchema.safeParse(params);
  if (!parsed.success) return { ok: false, refusal: refusal("invalid") };
  const request = parsed.data;
  const merchant = findMerchant(request.vnp_TmnCode);
  if (!merchant) return { ok: false, refusal: refusal("unknown_merchant") };
  // Every vnp_ parameter received is covered, not only the ones this schema knows.
  if (!verifyParams(params, merchant.secret)) return { ok: false, refusal: refusal("bad_signature") };
  const amountVnd = fromVnpAmount(request.vnp_Amount);
  if (amountVnd === null || amountVnd <= 0) return { ok: false, refusal: refusal("bad_amount") };
  const createdAt = parseVnpDate(request.vnp_CreateDate);
  const expiresAt = parseVnpDate(request.vnp_ExpireDate);
  if (!createdAt || !expiresAt || expiresAt <= createdAt) return { ok: false, refusal: refusal("invalid") };

  const existing = await findRow(merchant.tmnCode, request.vnp_TxnRef);
  if (existing) {
    const same =
      existing.amount === request.vnp_Amount &&
      existing.orderInfo === request.vnp_OrderInfo &&
      existing.returnUrl === request.vnp_ReturnUrl &&
      existing.createDate === request.vnp_CreateDate;
    if (!same) return { ok: false, refusal: refusal("duplicate") };
    if (existing.responseCode !== null) return { ok: true, state: "processed", payment: view(existing, merchant, request.vnp_BankCode) };
  }
  if (now > expiresAt) return { ok: false, refusal: refusal("expired") };
  if (existing) return { ok: true, state: "open", payment: view(existing, merchant, request.vnp_BankCode) };

  await inTransaction(async (tx) => {
    await tx
      .insert(schema.simGatewayTransactions)
      .values({
        tmnCode: merchant.tmnCode,
        txnRef: request.vnp_TxnRef,
        amount: request.vnp_Amount,
        orderInfo: request.vnp_OrderInfo,
        returnUrl: request.vnp_ReturnUrl,
        createDate: request.vnp_CreateDate,
        expireDate: request.vnp_ExpireDate,
        locale: request.vnp_Locale,
        createdAt: now,
      })
      .onConflictDoNothing();
  });
  // Two tabs opening the same URL at once both end up here with the one row.
  const row = await findRow(merchant.tmnCode, request.vnp_TxnRef);
  if (!row) return { ok: false, refusal: refusal("invalid") };
  return { ok: true, state: row.responseCode === null ? "open" : "processed", payment: view(row, merchant, request.vnp_BankCode) };
}

async function findRow(tmnCode: string, txnRef: string): Promise<Row | undefined> {
  const [row] = await db()
    .select()
    .from(schema.simGatewayTransactions)
    .where(and(eq(schema.simGatewayTransactions.tmnCode, tmnCode), eq(schema.simGatewayTransactions.txnRef, txnRef)))
    .limit(1);
  return row;
}

function view(row: Row, merchant: Merchant, requestedBank: string | undefined): GatewayPayment {
  const bank = row.bankCode ?? requestedBank;
  return {
    tmnCode: row.tmnCode,
    merchantNameKey: merchant.nameKey,
    txnRef: row.txnRef,
    amountVnd: fromVnpAmount(row.amount) ?? 0,
    orderInfo: row.orderInfo,
    locale: row.locale,
    expiresAt: (parseVnpDate(row.expireDate) ?? new Date(0)).toISOString(),
    bankCode: isOffered(bank) ? bank : null,
    responseCode: row.responseCode,
    resultUrl: row.responseCode === null ? null : paymentUrl(row.returnUrl, resultParams(row, merchant.secret)),
  };
}

// ---------------------------------------------------------------------------------------------
// Completing a payment: the result, the redirect back and the IPN
// ---------------------------------------------------------------------------------------------

/** The signed result VNPay sends to both the return URL and the IPN URL. */
function resultParams(row: Row, secret: string): VnpParams {
  const responseCode = row.responseCode ?? "99";
  const transactionNo = row.transactionNo ?? "0";
  const bankCode = row.bankCode ?? "VNPAY";
  const params: VnpParams = {
    vnp_Amount: row.amount,
    vnp_BankCode: bankCode,
    vnp_BankTranNo: `VNP${transactionNo}`,
    vnp_CardType: cardType(bankCode),
    vnp_OrderInfo: row.orderInfo,
    vnp_PayDate: row.payDate ?? "",
    vnp_ResponseCode: responseCode,
    vnp_TmnCode: row.tmnCode,
    vnp_TransactionNo: transactionNo,
    // VNPay's transaction status: 00 success, 02 failed (every other outcome here).
    vnp_TransactionStatus: responseCode === "00" ? "00" : "02",
    vnp_TxnRef: row.txnRef,
  };
  params.vnp_SecureHash = signParams(params, secret);
  return params;
}

export const IPN_MODES = ["deliver", "drop", "delay"] as const;
export type IpnMode = (typeof IPN_MODES)[number];

/**
 * Completes an open transaction once, with the outcome the tester chose: assigns the gateway's
 * transaction number and pay date, signs the result, and notifies the merchant server-to-server
 * (IPN) unless told to drop the notification or to send it later. Returns where to send the
 * customer's browser. Throws GatewayRefusal when the transaction is unknown, already completed
 * or expired.
 */
export async function completePayment(input: {
  tmnCode: string;
  txnRef: string;
  outcome: GatewayOutcomeCode;
  bankCode: string;
  ipnMode: IpnMode;
  now: Date;
}): Promise<{ returnUrl: string; ipnAnswer: IpnAnswer | null; params: VnpParams }> {
  const merchant = findMerchant(input.tmnCode);
  if (!merchant) throw new GatewayRefusal("unknown_merchant");
  if (!Object.hasOwn(GATEWAY_OUTCOMES, input.outcome) || !/^[A-Za-z0-9]{3,20}$/.test(input.bankCode)) throw new GatewayRefusal("invalid");
  const row = await inTransaction(async (tx) => {
    const [found] = await tx
      .select()
      .from(schema.simGatewayTransactions)
      .where(and(eq(schema.simGatewayTransactions.tmnCode, merchant.tmnCode), eq(schema.simGatewayTransactions.txnRef, input.txnRef)))
      .limit(1);
    if (!found) throw new GatewayRefusal("not_found");
    if (found.responseCode !== null) throw new GatewayRefusal("already_processed");
    const expiresAt = parseVnpDate(found.expireDate);
    if (!expiresAt || input.now > expiresAt) throw new GatewayRefusal("expired");
    // The condition on response_code is what lets only one of two racing completions through.
    const [updated] = await tx
      .update(schema.simGatewayTransactions)
      .set({
        responseCode: input.outcome,
        bankCode: input.bankCode,
        transactionNo: String(14_000_000 + found.id),
        payDate: vnpDate(input.now),
        ipnMode: input.ipnMode,
      })
      .where(and(eq(schema.simGatewayTransactions.id, found.id), isNull(schema.simGatewayTransactions.responseCode)))
      .returning();
    if (!updated) throw new GatewayRefusal("already_processed");
    return updated;
  });
  const params = resultParams(row, merchant.secret);
  const ipnUrl = paymentUrl(merchant.ipnUrl, params);
  let ipnAnswer: IpnAnswer | null = null;
  if (input.ipnMode === "deliver") ipnAnswer = await deliverIpn(row.id, ipnUrl);
  else if (input.ipnMode === "delay") scheduleIpn(row.id, row.txnRef, ipnUrl);
  return { returnUrl: paymentUrl(row.returnUrl, params), ipnAnswer, params };
}

// ---------------------------------------------------------------------------------------------
// IPN delivery
// ---------------------------------------------------------------------------------------------

/** Calls the merchant's IPN URL and resolves to its JSON answer (unvalidated). */
export type IpnSender = (url: string) => Promise<unknown>;

const IPN_TIMEOUT_MS = 5_000;

const fetchSender: IpnSender = async (url) => {
  const res = await fetch(url, { headers: { Accept: "application/json" }, signal: AbortSignal.timeout(IPN_TIMEOUT_MS) });
  return res.json();
};

let sender: IpnSender = fetchSender;

/** Replaces how IPN calls are made (tests); null restores the HTTP sender. */
export function setIpnSender(next: IpnSender | null): void {
  sender = next ?? fetchSender;
}

const IpnAnswerSchema = z.object({ RspCode: z.enum(["00", "01", "02", "04", "97", "99"]), Message: z.string() });

type IpnAttempt = IpnAnswer | { error: string };

async function callMerchant(url: string): Promise<IpnAttempt> {
  let raw: unknown;
  try {
    raw = await sender(url);
  } catch (error) {
    return { error: error instanceof Error ? error.message : "unreachable" };
  }
  const parsed = IpnAnswerSchema.safeParse(raw);
  return parsed.success ? parsed.data : { error: "answer is not {RspCode, Message}" };
}

/**
 * One IPN: the real gateway calls again when the merchant's answer is not 00 (confirmed) or
 * 02 (already confirmed) — it retries several times over minutes. Here: one immediate retry.
 * Every attempt is kept in the ledger (ipn_answer, a JSON array); the last answer is returned.
 */
async function deliverIpn(id: number, url: string): Promise<IpnAnswer | null> {
  const attempts: IpnAttempt[] = [];
  for (let i = 0; i < 2; i++) {
    const attempt = await callMerchant(url);
    attempts.push(attempt);
    if ("RspCode" in attempt && (attempt.RspCode === "00" || attempt.RspCode === "02")) break;
  }
  await inTransaction(async (tx) => {
    await tx
      .update(schema.simGatewayTransactions)
      .set({ ipnAnswer: JSON.stringify(attempts) })
      .where(eq(schema.simGatewayTransactions.id, id));
  });
  const last = attempts.at(-1);
  return last && "RspCode" in last ? last : null;
}

const DelaySchema = z.coerce.number().int().min(0).max(600_000).catch(3_000);
const ipnDelayMs = () => DelaySchema.parse(process.env.SIM_IPN_DELAY_MS ?? 3_000);

/** Delayed notifications, in memory: a restart loses them, as a crash of the gateway would. */
const delayed = new Map<number, { txnRef: string; url: string; timer: ReturnType<typeof setTimeout> }>();

function scheduleIpn(id: number, txnRef: string, url: string) {
  const timer = setTimeout(() => {
    if (!delayed.delete(id)) return;
    deliverIpn(id, url).catch((error: unknown) => console.error("delayed IPN failed", error));
  }, ipnDelayMs());
  // A pending notification must not keep the process (or a test run) alive.
  timer.unref();
  delayed.set(id, { txnRef, url, timer });
}

/** Sends every delayed IPN now (tests, or a tester who does not want to wait). */
export async function deliverDelayedIpns(): Promise<{ txnRef: string; ipnAnswer: IpnAnswer | null }[]> {
  const due = [...delayed.entries()];
  delayed.clear();
  const results: { txnRef: string; ipnAnswer: IpnAnswer | null }[] = [];
  for (const [id, item] of due) {
    clearTimeout(item.timer);
    results.push({ txnRef: item.txnRef, ipnAnswer: await deliverIpn(id, item.url) });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// querydr: the merchant asks what became of a transaction
// ---------------------------------------------------------------------------------------------

const QUERYDR_MESSAGES: Record<string, string> = {
  "00": "QueryDR Success",
  "02": "Merchant is not valid",
  "03": "Invalid request format",
  "91": "Transaction not found",
  "97": "Invalid Checksum",
  "99": "Unknown error",
};

/**
 * The querydr API: verifies the request's checksum, looks the transaction up by merchant, TxnRef
 * and TransactionDate (the payment's vnp_CreateDate) and answers signed JSON. vnp_ResponseCode
 * says whether the query worked (00, 91 not found, 97 bad checksum, 02 unknown merchant,
 * 03 malformed, 99); vnp_TransactionStatus what became of the payment (00 success, 01 not
 * completed yet, 02 failed). An answer to an unknown merchant cannot be signed (empty hash).
 * `now` is the time of the query; this simulator does not reject stale requests.
 */
export async function querydr(body: unknown, _now: Date): Promise<QuerydrResponse> {
  const tmnCode = body && typeof body === "object" && "vnp_TmnCode" in body && typeof body.vnp_TmnCode === "string" ? body.vnp_TmnCode : "";
  const merchant = findMerchant(tmnCode);
  const answer = (code: string, found?: Row): QuerydrResponse => {
    const completed = found?.responseCode != null;
    const fields = {
      vnp_ResponseId: randomUUID().replace(/-/g, ""),
      vnp_Command: "querydr",
      vnp_ResponseCode: code,
      vnp_Message: QUERYDR_MESSAGES[code] ?? QUERYDR_MESSAGES["99"] ?? "",
      vnp_TmnCode: tmnCode,
      vnp_TxnRef: found?.txnRef ?? "",
      vnp_Amount: found?.amount ?? "",
      vnp_BankCode: completed ? (found?.bankCode ?? "") : "",
      vnp_PayDate: completed ? (found?.payDate ?? "") : "",
      vnp_TransactionNo: completed ? (found?.transactionNo ?? "") : "",
      vnp_TransactionType: found ? "01" : "",
      vnp_TransactionStatus: !found ? "" : !completed ? "01" : found.responseCode === "00" ? "00" : "02",
      vnp_OrderInfo: found?.orderInfo ?? "",
      vnp_PromotionCode: "",
      vnp_PromotionAmount: "",
    };
    return merchant ? signQuerydrResponse(fields, merchant.secret) : { ...fields, vnp_SecureHash: "" };
  };
  try {
    const parsed = QuerydrRequestSchema.safeParse(body);
    if (!parsed.success) return answer("03");
    if (!merchant) return answer("02");
    if (!verifyQuerydrRequest(parsed.data, merchant.secret)) return answer("97");
    const row = await findRow(merchant.tmnCode, parsed.data.vnp_TxnRef);
    if (!row || row.createDate !== parsed.data.vnp_TransactionDate) return answer("91");
    return answer("00", row);
  } catch {
    return answer("99");
  }
}

// ---------------------------------------------------------------------------------------------
// The payment page's form
// ---------------------------------------------------------------------------------------------

// In the page's order. (Object.keys would put "00" last: integer-like keys come first in JS.)
const OUTCOME_CODES = ["00", "24", "11", "51", "75"] as const satisfies readonly GatewayOutcomeCode[];

/** The payment page's POST: Pay (bank and outcome required) or Cancel (outcome 24). The route decides `intent` first. */
export const CompletePaymentFormSchema = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("pay"),
    bankCode: z.enum(BANKS, { error: "gateway.errors.bank_required" }),
    outcome: z.enum(OUTCOME_CODES, { error: "gateway.errors.outcome_required" }),
    ipnMode: z.enum(IPN_MODES).catch("deliver"),
  }),
  // Cancelling needs no choice; VNPay reports "VNPAY" as the bank when none was chosen.
  z.object({
    intent: z.literal("cancel"),
    bankCode: z.enum([...BANKS, "VNPAY"]).catch("VNPAY"),
    ipnMode: z.enum(IPN_MODES).catch("deliver"),
  }),
]);

/** What the page offers (sent by the loader so the browser bundle needs neither zod nor crypto). */
export const PAGE_OPTIONS = {
  banks: [...BANKS],
  outcomes: OUTCOME_CODES.map((code) => ({ code, name: GATEWAY_OUTCOMES[code] })),
  ipnModes: [...IPN_MODES],
};
