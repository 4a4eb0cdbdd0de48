/**
 * The payment protocol, in the shape of VNPay 2.1.0 (docs/decisions/006-payment-protocol.md):
 * signed redirect parameters for `pay`, the IPN answer codes, and the `querydr` status API.
 * Plain TypeScript + node:crypto; both the merchant side and the gateway simulator use it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import * as z from "zod";
import { stripDiacritics } from "../text/fold";

export type VnpParams = Record<string, string>;

const VERSION = "2.1.0";
const GMT7_MS = 7 * 60 * 60 * 1000;
/** vnp_Amount is Numeric[1,12]: at most 12 digits once multiplied by 100. */
const MAX_VNP_AMOUNT_DIGITS = 12;

// ---------------------------------------------------------------------------------------------
// Signing
// ---------------------------------------------------------------------------------------------

/** As VNPay's Node.js reference encodes: encodeURIComponent, then a space as "+". */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, "+");
}

/**
 * The data that is signed: every `vnp_` parameter except the hash itself (and the 2.0-era hash
 * type), sorted by key, each key and value URL-encoded, joined `k=v&k=v`. It is also the query
 * string of the URL, so what is signed is exactly what travels.
 */
export function canonicalQuery(params: VnpParams): string {
  return Object.keys(params)
    .filter((k) => k.startsWith("vnp_") && k !== "vnp_SecureHash" && k !== "vnp_SecureHashType")
    .sort()
    .map((k) => `${encode(k)}=${encode(params[k] ?? "")}`)
    .join("&");
}

function hmacHex(data: string, secret: string): string {
  return createHmac("sha512", secret).update(data, "utf8").digest("hex");
}

/** vnp_SecureHash: lower-case hex HMAC-SHA512 of the canonical query. */
export function signParams(params: VnpParams, secret: string): string {
  return hmacHex(canonicalQuery(params), secret);
}

/**
 * Constant-time comparison of an expected lower-case hex digest with a received one, exactly:
 * VNPay sends and compares lower-case hex, so an upper-case copy is not the same signature.
 */
function sameDigest(expected: string, received: string | undefined): boolean {
  if (!received) return false;
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(received, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when params.vnp_SecureHash is the signature of the other parameters. Never throws. */
export function verifyParams(params: VnpParams, secret: string): boolean {
  try {
    return sameDigest(signParams(params, secret), params.vnp_SecureHash);
  } catch {
    // A lone surrogate makes encodeURIComponent throw: such input is not genuine anyway.
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Field formats
// ---------------------------------------------------------------------------------------------

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "yyyyMMddHHmmss" in GMT+7 (Vietnam has no daylight saving), whatever the machine's zone. */
export function vnpDate(instant: Date): string {
  const t = instant.getTime();
  if (!Number.isFinite(t)) throw new RangeError("invalid date");
  const v = new Date(t + GMT7_MS);
  const year = v.getUTCFullYear();
  if (year < 1000 || year > 9999) throw new RangeError("year out of range for yyyyMMddHHmmss");
  return `${year}${pad(v.getUTCMonth() + 1)}${pad(v.getUTCDate())}${pad(v.getUTCHours())}${pad(v.getUTCMinutes())}${pad(v.getUTCSeconds())}`;
}

/** The instant a GMT+7 "yyyyMMddHHmmss" stands for; null when malformed or impossible (30 February, 24:00). */
export function parseVnpDate(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number);
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined || se === undefined) return null;
  const instant = new Date(Date.UTC(y, mo - 1, d, h, mi, se) - GMT7_MS);
  // Date.UTC rolls over (31 April → 1 May): only a round trip proves every field was in range.
  try {
    return vnpDate(instant) === s ? instant : null;
  } catch {
    return null;
  }
}

/** vnp_Amount: whole đồng × 100 (VNPay's way of removing decimals). 150000 → "15000000". */
export function toVnpAmount(vnd: number): string {
  if (!Number.isSafeInteger(vnd) || vnd < 0) throw new RangeError("amount must be a non-negative whole number of đồng");
  const s = String(vnd * 100);
  if (s.length > MAX_VNP_AMOUNT_DIGITS) throw new RangeError("amount too large for vnp_Amount (12 digits)");
  return s;
}

/** Whole đồng from vnp_Amount; null unless a plain non-negative integer string divisible by 100. */
export function fromVnpAmount(s: string): number | null {
  if (!/^(0|[1-9]\d*)$/.test(s) || s.length > MAX_VNP_AMOUNT_DIGITS) return null;
  const n = Number(s);
  return n % 100 === 0 ? n / 100 : null;
}

const ORDER_INFO_MAX = 255;

/**
 * Text made safe for vnp_OrderInfo, which VNPay wants in Vietnamese without tone marks and without
 * special characters: diacritics dropped (đ → d), anything but letters, digits, spaces and
 * . , : - _ / becomes a space, spaces collapsed, at most 255 characters.
 */
export function vnpOrderInfo(text: string): string {
  return stripDiacritics(text)
    .replace(/[^A-Za-z0-9 .,:\-_/]/g, " ")
    .replace(/ +/g, " ")
    .trim()
    .slice(0, ORDER_INFO_MAX)
    .trim();
}

// ---------------------------------------------------------------------------------------------
// pay
// ---------------------------------------------------------------------------------------------

type PaymentInput = {
  tmnCode: string;
  secret: string;
  amountVnd: number;
  txnRef: string;
  orderInfo: string;
  returnUrl: string;
  ipAddr: string;
  locale: "vn" | "en";
  createdAt: Date;
  /** Minutes the gateway accepts the payment for (vnp_ExpireDate); 15 unless told. */
  expireMinutes?: number;
  /** Skips the gateway's bank choice (e.g. "NCB", "VNPAYQR"). */
  bankCode?: string;
  /** VNPay's goods category; "other" unless told. */
  orderType?: string;
};

/** The signed parameters of a `pay` request. */
export function buildPaymentParams(input: PaymentInput): VnpParams {
  const expireMinutes = input.expireMinutes ?? 15;
  if (!Number.isFinite(expireMinutes) || expireMinutes <= 0) throw new RangeError("expireMinutes must be positive");
  const orderInfo = vnpOrderInfo(input.orderInfo);
  if (!orderInfo) throw new RangeError("orderInfo is empty once made safe for vnp_OrderInfo");
  if (!input.txnRef || input.txnRef.length > 100) throw new RangeError("txnRef must have 1 to 100 characters");
  const params: VnpParams = {
    vnp_Version: VERSION,
    vnp_Command: "pay",
    vnp_TmnCode: input.tmnCode,
    vnp_Amount: toVnpAmount(input.amountVnd),
    vnp_CurrCode: "VND",
    vnp_TxnRef: input.txnRef,
    vnp_OrderInfo: orderInfo,
    vnp_OrderType: input.orderType ?? "other",
    vnp_Locale: input.locale,
    vnp_ReturnUrl: input.returnUrl,
    vnp_IpAddr: input.ipAddr,
    vnp_CreateDate: vnpDate(input.createdAt),
    vnp_ExpireDate: vnpDate(new Date(input.createdAt.getTime() + expireMinutes * 60_000)),
  };
  if (input.bankCode) params.vnp_BankCode = input.bankCode;
  params.vnp_SecureHash = signParams(params, input.secret);
  return params;
}

/**
 * A signed URL: base + "?" + the canonical query + "&vnp_SecureHash=…". Used for the payment URL,
 * and by the gateway for the return URL and the IPN call ("&" instead of "?" when the base has a query).
 */
export function paymentUrl(gatewayUrl: string, params: VnpParams): string {
  const hash = params.vnp_SecureHash;
  if (!hash) throw new Error("paymentUrl needs signed parameters (vnp_SecureHash)");
  return `${gatewayUrl}${gatewayUrl.includes("?") ? "&" : "?"}${canonicalQuery(params)}&vnp_SecureHash=${encode(hash)}`;
}

/** The outcomes the simulator offers, by vnp_ResponseCode (a subset of VNPay's table). */
export const GATEWAY_OUTCOMES = {
  "00": "success",
  "24": "cancelled",
  "11": "timeout",
  "51": "insufficient_funds",
  "75": "bank_maintenance",
} as const;
export type GatewayOutcomeCode = keyof typeof GATEWAY_OUTCOMES;

// ---------------------------------------------------------------------------------------------
// IPN
// ---------------------------------------------------------------------------------------------

/**
 * The fields of the gateway's result, as VNPay 2.1.0 sends it to the IPN URL and to the return URL
 * (the same signed set both ways). Fields only a `pay` request carries (vnp_Command, vnp_ReturnUrl,
 * vnp_CreateDate, vnp_IpAddr, vnp_OrderType, vnp_Locale, vnp_CurrCode, vnp_ExpireDate, vnp_Version…)
 * are refused: the portal signs its pay request with the same key, so without this rule the pay URL
 * itself would verify as a notification (issue 11, problem 1).
 */
export const GatewayResultSchema = z.strictObject({
  vnp_TmnCode: z.string().regex(/^[A-Za-z0-9]{8}$/),
  vnp_Amount: z.string().regex(/^(0|[1-9]\d{0,11})$/),
  vnp_TxnRef: z.string().min(1).max(100),
  vnp_ResponseCode: z.string().regex(/^\d{2}$/),
  vnp_TransactionStatus: z.string().regex(/^\d{2}$/),
  /** VNPay's transaction number, Numeric[1,15]; "0" when the customer never reached a bank. */
  vnp_TransactionNo: z.string().regex(/^\d{1,15}$/),
  /** yyyyMMddHHmmss, GMT+7: a real instant, not only 14 digits. */
  vnp_PayDate: z.string().refine((s) => parseVnpDate(s) !== null),
  vnp_BankCode: z
    .string()
    .regex(/^[A-Za-z0-9]{2,20}$/)
    .optional(),
  vnp_BankTranNo: z.string().max(255).optional(),
  vnp_CardType: z.string().max(20).optional(),
  vnp_OrderInfo: z.string().max(255).optional(),
  /** Hex HMAC-SHA512; only the lower-case form VNPay sends verifies (an upper-case copy is a bad signature). */
  vnp_SecureHash: z.string().regex(/^[0-9a-fA-F]{128}$/),
  vnp_SecureHashType: z.string().max(20).optional(),
});
export type GatewayResult = z.infer<typeof GatewayResultSchema>;

/** Fields that belong to the merchant's pay request and never to the gateway's result. */
export const REQUEST_ONLY_FIELDS = [
  "vnp_Version",
  "vnp_Command",
  "vnp_CurrCode",
  "vnp_Locale",
  "vnp_OrderType",
  "vnp_ReturnUrl",
  "vnp_IpAddr",
  "vnp_CreateDate",
  "vnp_ExpireDate",
  "vnp_Bill_Mobile",
  "vnp_Bill_Email",
  "vnp_Inv_Email",
] as const;

/** Why a callback was not taken as the gateway's: what the refusal counters are keyed by. */
export const CALLBACK_REFUSALS = ["duplicate_field", "request_field", "malformed", "bad_signature", "unknown_merchant"] as const;
export type CallbackRefusal = (typeof CALLBACK_REFUSALS)[number];

export type ParsedGatewayResult = { ok: true; result: GatewayResult } | { ok: false; reason: CallbackRefusal };

/**
 * Is this query a genuine gateway result (IPN or browser return) for this merchant? Checks the shape
 * first (no repeated vnp_ key, no request-only field, every result field present and well formed),
 * then the merchant code and the signature, compared exactly. Keys that are not vnp_ are ignored, as
 * VNPay's signature ignores them. Never throws.
 */
export function parseGatewayResult(query: URLSearchParams, merchant: { tmnCode: string; secret: string }): ParsedGatewayResult {
  const keys = [...query.keys()].filter((k) => k.startsWith("vnp_"));
  if (new Set(keys).size !== keys.length) return { ok: false, reason: "duplicate_field" };
  const params: VnpParams = Object.fromEntries(keys.map((k) => [k, query.get(k) ?? ""]));
  if (REQUEST_ONLY_FIELDS.some((k) => Object.hasOwn(params, k))) return { ok: false, reason: "request_field" };
  const parsed = GatewayResultSchema.safeParse(params);
  if (!parsed.success) return { ok: false, reason: "malformed" };
  if (parsed.data.vnp_TmnCode !== merchant.tmnCode) return { ok: false, reason: "unknown_merchant" };
  if (!verifyParams(params, merchant.secret)) return { ok: false, reason: "bad_signature" };
  return { ok: true, result: parsed.data };
}

/** What the merchant answers the gateway's IPN call, as JSON. */
export type IpnAnswer = { RspCode: "00" | "01" | "02" | "04" | "97" | "99"; Message: string };

export const IPN_MESSAGES: Record<IpnAnswer["RspCode"], string> = {
  "00": "Confirm Success",
  "01": "Order not found",
  "02": "Order already confirmed",
  "04": "Invalid amount",
  "97": "Invalid signature",
  "99": "Unknown error",
};

// ---------------------------------------------------------------------------------------------
// querydr
// ---------------------------------------------------------------------------------------------

const vnpDateString = z.string().regex(/^\d{14}$/);

/** A querydr request body (POST JSON). vnp_TransactionNo, optional in VNPay's API, is not used here. */
export const QuerydrRequestSchema = z.object({
  vnp_RequestId: z.string().regex(/^[A-Za-z0-9]{1,32}$/),
  vnp_Version: z.string().min(1).max(8),
  vnp_Command: z.literal("querydr"),
  vnp_TmnCode: z.string().min(1).max(8),
  vnp_TxnRef: z.string().min(1).max(100),
  vnp_OrderInfo: z.string().min(1).max(255),
  vnp_TransactionDate: vnpDateString,
  vnp_CreateDate: vnpDateString,
  vnp_IpAddr: z.string().min(1).max(45),
  vnp_SecureHash: z.string(),
});
export type QuerydrRequest = z.infer<typeof QuerydrRequestSchema>;

/** The gateway's querydr answer. Fields absent from a "not found" answer read as "". */
export const QuerydrResponseSchema = z.object({
  vnp_ResponseId: z.string(),
  vnp_Command: z.string(),
  vnp_ResponseCode: z.string(),
  vnp_Message: z.string(),
  vnp_TmnCode: z.string(),
  vnp_TxnRef: z.string().default(""),
  vnp_Amount: z.string().default(""),
  vnp_BankCode: z.string().default(""),
  vnp_PayDate: z.string().default(""),
  vnp_TransactionNo: z.string().default(""),
  vnp_TransactionType: z.string().default(""),
  vnp_TransactionStatus: z.string().default(""),
  vnp_OrderInfo: z.string().default(""),
  vnp_PromotionCode: z.string().default(""),
  vnp_PromotionAmount: z.string().default(""),
  vnp_SecureHash: z.string(),
});
export type QuerydrResponse = z.infer<typeof QuerydrResponseSchema>;

/** The request's signed data, in VNPay's documented order, joined with "|". */
export function querydrRequestHashData(req: Omit<QuerydrRequest, "vnp_SecureHash">): string {
  return [
    req.vnp_RequestId,
    req.vnp_Version,
    req.vnp_Command,
    req.vnp_TmnCode,
    req.vnp_TxnRef,
    req.vnp_TransactionDate,
    req.vnp_CreateDate,
    req.vnp_IpAddr,
    req.vnp_OrderInfo,
  ].join("|");
}

/** The answer's signed data, in VNPay's documented order, joined with "|". */
export function querydrResponseHashData(res: Omit<QuerydrResponse, "vnp_SecureHash">): string {
  return [
    res.vnp_ResponseId,
    res.vnp_Command,
    res.vnp_ResponseCode,
    res.vnp_Message,
    res.vnp_TmnCode,
    res.vnp_TxnRef,
    res.vnp_Amount,
    res.vnp_BankCode,
    res.vnp_PayDate,
    res.vnp_TransactionNo,
    res.vnp_TransactionType,
    res.vnp_TransactionStatus,
    res.vnp_OrderInfo,
    res.vnp_PromotionCode,
    res.vnp_PromotionAmount,
  ].join("|");
}

/** The merchant's signed querydr body for one payment. */
export function buildQuerydrRequest(input: {
  tmnCode: string;
  secret: string;
  txnRef: string;
  /** The payment's vnp_CreateDate: with txnRef, it identifies the transaction at the gateway. */
  transactionDate: string;
  ipAddr: string;
  orderInfo: string;
  now: Date;
  /** Unique per request and day, alphanumeric, at most 32 characters. */
  requestId: string;
}): QuerydrRequest {
  const unsigned = {
    vnp_RequestId: input.requestId,
    vnp_Version: VERSION,
    vnp_Command: "querydr" as const,
    vnp_TmnCode: input.tmnCode,
    vnp_TxnRef: input.txnRef,
    vnp_OrderInfo: vnpOrderInfo(input.orderInfo),
    vnp_TransactionDate: input.transactionDate,
    vnp_CreateDate: vnpDate(input.now),
    vnp_IpAddr: input.ipAddr,
  };
  return { ...unsigned, vnp_SecureHash: hmacHex(querydrRequestHashData(unsigned), input.secret) };
}

export function verifyQuerydrRequest(body: QuerydrRequest, secret: string): boolean {
  return sameDigest(hmacHex(querydrRequestHashData(body), secret), body.vnp_SecureHash);
}

export function signQuerydrResponse(res: Omit<QuerydrResponse, "vnp_SecureHash">, secret: string): QuerydrResponse {
  return { ...res, vnp_SecureHash: hmacHex(querydrResponseHashData(res), secret) };
}

export function verifyQuerydrResponse(res: QuerydrResponse, secret: string): boolean {
  return sameDigest(hmacHex(querydrResponseHashData(res), secret), res.vnp_SecureHash);
}
