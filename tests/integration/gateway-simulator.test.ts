import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import {
  buildPaymentParams,
  buildQuerydrRequest,
  GATEWAY_OUTCOMES,
  paymentUrl,
  QuerydrResponseSchema,
  signParams,
  verifyParams,
  verifyQuerydrResponse,
  type GatewayOutcomeCode,
  type VnpParams,
} from "../../app/core/payments/vnpay";
import { db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import * as payPage from "../../app/routes/gateway.vnpay.pay";
import * as querydrApi from "../../app/routes/gateway.vnpay.querydr";
import { completePayment, deliverDelayedIpns, GatewayRefusal, openPayment, querydr, setIpnSender } from "../../app/simulators/vnpay-gateway.server";
import { formOf, get, post, run } from "./helpers";

const NOW = new Date("2026-11-22T17:30:05Z");
const RESULT_KEYS = [
  "vnp_Amount",
  "vnp_BankCode",
  "vnp_BankTranNo",
  "vnp_CardType",
  "vnp_OrderInfo",
  "vnp_PayDate",
  "vnp_ResponseCode",
  "vnp_SecureHash",
  "vnp_TmnCode",
  "vnp_TransactionNo",
  "vnp_TransactionStatus",
  "vnp_TxnRef",
];

let counter = 0;
const secret = () => env().PAYMENT_HASH_SECRET;

/** A merchant's signed `pay` request, as the portal builds it. */
function payRequest(overrides: { amountVnd?: number; createdAt?: Date; tmnCode?: string; secret?: string; bankCode?: string } = {}): VnpParams {
  counter += 1;
  return buildPaymentParams({
    tmnCode: overrides.tmnCode ?? env().PAYMENT_TMN_CODE,
    secret: overrides.secret ?? secret(),
    amountVnd: overrides.amountVnd ?? 150_000,
    txnRef: `SIMTEST${String(counter).padStart(4, "0")}${Date.now().toString(36).toUpperCase()}`,
    orderInfo: "Thanh toán lệ phí hồ sơ 261122-ABCDEF-X",
    returnUrl: "http://localhost:3000/payments/return",
    ipAddr: "203.113.135.9",
    locale: "vn",
    createdAt: overrides.createdAt ?? NOW,
    bankCode: overrides.bankCode,
  });
}

const query = (params: VnpParams) => new URLSearchParams(paymentUrl("/gateway/vnpay/pay", params).split("?")[1]);
const pagePath = (params: VnpParams) => paymentUrl("/gateway/vnpay/pay", params);
const paramsOf = (url: string): VnpParams => Object.fromEntries(new URL(url, "http://localhost").searchParams);

/** Records every IPN call and answers like a merchant that confirms. */
function recordingSender(answers: unknown[] = [{ RspCode: "00", Message: "Confirm Success" }]) {
  const calls: string[] = [];
  setIpnSender(async (url) => {
    calls.push(url);
    const next = answers.length > 1 ? answers.shift() : answers[0];
    if (next instanceof Error) throw next;
    return next;
  });
  return calls;
}

async function opened(params: VnpParams, now = NOW) {
  const result = await openPayment(query(params), now);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
  return result;
}

const savedDelay = process.env.SIM_IPN_DELAY_MS;
beforeAll(() => {
  // Delayed IPNs wait for deliverDelayedIpns() in these tests, not for a timer.
  process.env.SIM_IPN_DELAY_MS = "600000";
});
afterAll(() => {
  if (savedDelay === undefined) delete process.env.SIM_IPN_DELAY_MS;
  else process.env.SIM_IPN_DELAY_MS = savedDelay;
});

afterEach(async () => {
  setIpnSender(() => Promise.reject(new Error("no sender in this test")));
  await deliverDelayedIpns();
  setIpnSender(null);
});

describe("opening a payment", () => {
  it("accepts a correctly signed request and records the transaction once", async () => {
    const params = payRequest({ bankCode: "VIETCOMBANK" });
    const first = await opened(params);
    expect(first).toMatchObject({
      state: "open",
      payment: {
        tmnCode: env().PAYMENT_TMN_CODE,
        txnRef: params.vnp_TxnRef,
        amountVnd: 150_000,
        orderInfo: "Thanh toan le phi ho so 261122-ABCDEF-X",
        bankCode: "VIETCOMBANK",
        responseCode: null,
        resultUrl: null,
        expiresAt: "2026-11-22T17:45:05.000Z",
      },
    });
    expect(await opened(params, new Date(NOW.getTime() + 60_000))).toEqual(first);
    const rows = await db()
      .select()
      .from(schema.simGatewayTransactions)
      .where(eq(schema.simGatewayTransactions.txnRef, params.vnp_TxnRef ?? ""));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amount: "15000000", createDate: "20261123003005", expireDate: "20261123004505", locale: "vn", responseCode: null });
  });

  it("refuses a tampered amount (97), another secret (97), an unknown merchant and malformed requests", async () => {
    const params = payRequest();
    const refused = async (p: VnpParams | URLSearchParams) => {
      const result = await openPayment(p instanceof URLSearchParams ? p : query(p), NOW);
      return result.ok ? null : result.refusal;
    };
    expect(await refused({ ...params, vnp_Amount: "1500000" })).toEqual({ reason: "bad_signature", code: "97" });
    expect(await refused({ ...params, vnp_Extra: "x" })).toEqual({ reason: "bad_signature", code: "97" });
    expect(await refused(payRequest({ secret: "another-secret-another-secret-0123" }))).toEqual({ reason: "bad_signature", code: "97" });
    expect(await refused(payRequest({ tmnCode: "NOTKNOWN" }))).toEqual({ reason: "unknown_merchant", code: "02" });
    const { vnp_SecureHash: _hash, ...unsigned } = params;
    expect((await refused(new URLSearchParams(unsigned)))?.reason).toBe("invalid");
    expect((await refused(new URLSearchParams(`${query(params)}&vnp_Amount=100`)))?.reason).toBe("invalid");
    // Signed, but not a valid vnp_Amount (not a multiple of 100) or zero.
    for (const amount of ["15000050", "0"]) {
      const odd: VnpParams = { ...params, vnp_Amount: amount };
      odd.vnp_SecureHash = signParams(odd, secret());
      expect(await refused(odd), amount).toEqual({ reason: "bad_amount", code: "03" });
    }
  });

  it("refuses an expired payment", async () => {
    const params = payRequest({ createdAt: new Date(NOW.getTime() - 16 * 60_000) });
    expect(await openPayment(query(params), NOW)).toEqual({ ok: false, refusal: { reason: "expired", code: "11" } });
  });

  it("refuses another request that reuses a transaction reference", async () => {
    const params = payRequest();
    await opened(params);
    const other: VnpParams = { ...params, vnp_Amount: "20000000" };
    other.vnp_SecureHash = signParams(other, secret());
    expect(await openPayment(query(other), NOW)).toMatchObject({ ok: false, refusal: { reason: "duplicate" } });
  });

  it("serves the page (200) or a clear 400 page, never a 500", async () => {
    const now = new Date();
    const good = payRequest({ createdAt: now });
    const page = await run(payPage.loader, get(pagePath(good)));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      opened: { ok: true, state: "open", payment: { amountVnd: 150_000 } },
      options: { banks: ["NCB", "VIETCOMBANK", "BIDV", "VIETINBANK", "MOMO", "VNPAYQR"], ipnModes: ["deliver", "drop", "delay"] },
    });
    const options = page.data && typeof page.data === "object" && "options" in page.data ? page.data.options : null;
    expect(options).toMatchObject({
      outcomes: [{ code: "00", name: "success" }, { code: "24" }, { code: "11" }, { code: "51" }, { code: "75", name: "bank_maintenance" }],
    });
    const tampered = await run(payPage.loader, get(pagePath({ ...payRequest({ createdAt: now }), vnp_Amount: "100" })));
    expect(tampered).toMatchObject({ status: 400, data: { opened: { ok: false, refusal: { code: "97" } } } });
    const expired = await run(payPage.loader, get(pagePath(payRequest({ createdAt: new Date(now.getTime() - 3_600_000) }))));
    expect(expired).toMatchObject({ status: 400, data: { opened: { ok: false, refusal: { reason: "expired" } } } });
    expect((await run(payPage.loader, get("/gateway/vnpay/pay"))).status).toBe(400);
    expect((await run(payPage.loader, get("/gateway/vnpay/pay?vnp_Amount=%E0%A4%A"))).status).toBe(400);
  });
});

describe("completing a payment", () => {
  for (const code of Object.keys(GATEWAY_OUTCOMES)) {
    it(`outcome ${code}: signed result to the browser and, identical, to the merchant's IPN URL`, async () => {
      const calls = recordingSender();
      const params = payRequest();
      const { payment } = await opened(params);
      const outcome = Object.keys(GATEWAY_OUTCOMES).find((c): c is GatewayOutcomeCode => c === code) ?? "00";
      const done = await completePayment({
        tmnCode: payment.tmnCode,
        txnRef: payment.txnRef,
        outcome,
        bankCode: "NCB",
        ipnMode: "deliver",
        now: new Date(NOW.getTime() + 65_000),
      });

      expect(done.returnUrl.startsWith("http://localhost:3000/payments/return?vnp_Amount=15000000&")).toBe(true);
      const result = paramsOf(done.returnUrl);
      expect(Object.keys(result).sort()).toEqual(RESULT_KEYS);
      expect(verifyParams(result, secret())).toBe(true);
      expect(result).toMatchObject({
        vnp_Amount: "15000000",
        vnp_BankCode: "NCB",
        vnp_CardType: "ATM",
        vnp_OrderInfo: "Thanh toan le phi ho so 261122-ABCDEF-X",
        vnp_PayDate: "20261123003110",
        vnp_ResponseCode: code,
        vnp_TmnCode: env().PAYMENT_TMN_CODE,
        vnp_TransactionStatus: code === "00" ? "00" : "02",
        vnp_TxnRef: params.vnp_TxnRef,
      });
      expect(result.vnp_TransactionNo).toMatch(/^\d{8}$/);
      expect(done.params).toEqual(result);

      expect(calls).toHaveLength(1);
      const ipn = new URL(calls[0] ?? "");
      expect(`${ipn.origin}${ipn.pathname}`).toBe(`http://127.0.0.1:${env().PORT}/api/v1/payments/ipn`);
      expect(paramsOf(calls[0] ?? "")).toEqual(result);
      expect(done.ipnAnswer).toEqual({ RspCode: "00", Message: "Confirm Success" });
    });
  }

  it("does not notify when the IPN is dropped, and notifies later when it is delayed", async () => {
    const calls = recordingSender();
    const dropped = (await opened(payRequest())).payment;
    const droppedDone = await completePayment({ tmnCode: dropped.tmnCode, txnRef: dropped.txnRef, outcome: "00", bankCode: "BIDV", ipnMode: "drop", now: NOW });
    expect(droppedDone.ipnAnswer).toBeNull();
    expect(calls).toEqual([]);
    expect(await deliverDelayedIpns()).toEqual([]);

    const late = (await opened(payRequest())).payment;
    const lateDone = await completePayment({ tmnCode: late.tmnCode, txnRef: late.txnRef, outcome: "00", bankCode: "VNPAYQR", ipnMode: "delay", now: NOW });
    expect(lateDone.ipnAnswer).toBeNull();
    expect(calls).toEqual([]);
    expect(await deliverDelayedIpns()).toEqual([{ txnRef: late.txnRef, ipnAnswer: { RspCode: "00", Message: "Confirm Success" } }]);
    expect(calls).toHaveLength(1);
    expect(paramsOf(calls[0] ?? "")).toEqual(paramsOf(lateDone.returnUrl));
    expect(paramsOf(lateDone.returnUrl).vnp_CardType).toBe("QRCODE");
    expect(await deliverDelayedIpns()).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  it("records the merchant's answers and retries once when the answer is not 00 or 02", async () => {
    const calls = recordingSender([
      { RspCode: "99", Message: "Unknown error" },
      { RspCode: "02", Message: "Order already confirmed" },
    ]);
    const p = (await opened(payRequest())).payment;
    const done = await completePayment({ tmnCode: p.tmnCode, txnRef: p.txnRef, outcome: "00", bankCode: "NCB", ipnMode: "deliver", now: NOW });
    expect(calls).toHaveLength(2);
    expect(done.ipnAnswer).toEqual({ RspCode: "02", Message: "Order already confirmed" });
    const [row] = await db().select().from(schema.simGatewayTransactions).where(eq(schema.simGatewayTransactions.txnRef, p.txnRef)).limit(1);
    expect(JSON.parse(row?.ipnAnswer ?? "null")).toEqual([
      { RspCode: "99", Message: "Unknown error" },
      { RspCode: "02", Message: "Order already confirmed" },
    ]);

    const failing = recordingSender([new Error("connection refused")]);
    const q = (await opened(payRequest())).payment;
    const unreachable = await completePayment({ tmnCode: q.tmnCode, txnRef: q.txnRef, outcome: "00", bankCode: "NCB", ipnMode: "deliver", now: NOW });
    expect(failing).toHaveLength(2);
    expect(unreachable.ipnAnswer).toBeNull();
    const [rowQ] = await db().select().from(schema.simGatewayTransactions).where(eq(schema.simGatewayTransactions.txnRef, q.txnRef)).limit(1);
    expect(JSON.parse(rowQ?.ipnAnswer ?? "null")).toEqual([{ error: "connection refused" }, { error: "connection refused" }]);
  });

  it("completes a transaction once; opening it again shows it was processed", async () => {
    const calls = recordingSender();
    const params = payRequest();
    const p = (await opened(params)).payment;
    const input = { tmnCode: p.tmnCode, txnRef: p.txnRef, outcome: "00" as const, bankCode: "NCB", ipnMode: "deliver" as const, now: NOW };
    const done = await completePayment(input);
    await expect(completePayment(input)).rejects.toBeInstanceOf(GatewayRefusal);
    await expect(completePayment({ ...input, outcome: "24" })).rejects.toMatchObject({ reason: "already_processed" });
    expect(calls).toHaveLength(1);

    // Even after the expiry, a completed transaction shows its result and the way back.
    const again = await openPayment(query(params), new Date(NOW.getTime() + 3_600_000));
    expect(again).toMatchObject({ ok: true, state: "processed", payment: { responseCode: "00", resultUrl: done.returnUrl } });
    await expect(completePayment({ ...input, txnRef: "NOSUCHTXN" })).rejects.toMatchObject({ reason: "not_found" });
  });

  it("refuses to complete an expired transaction", async () => {
    const p = (await opened(payRequest())).payment;
    await expect(
      completePayment({
        tmnCode: p.tmnCode,
        txnRef: p.txnRef,
        outcome: "00",
        bankCode: "NCB",
        ipnMode: "deliver",
        now: new Date(NOW.getTime() + 16 * 60_000),
      }),
    ).rejects.toMatchObject({ reason: "expired" });
  });
});

describe("the payment page's form (without JavaScript)", () => {
  it("Pay completes with the chosen bank and outcome and redirects (302) to the signed return URL", async () => {
    const calls = recordingSender();
    const params = payRequest({ createdAt: new Date() });
    const res = await run(payPage.action, post(pagePath(params), formOf({ bankCode: "MOMO", outcome: "51", ipnMode: "deliver", intent: "pay" })));
    expect(res.status).toBe(302);
    const result = paramsOf(res.location ?? "");
    expect(verifyParams(result, secret())).toBe(true);
    expect(result).toMatchObject({ vnp_TxnRef: params.vnp_TxnRef, vnp_ResponseCode: "51", vnp_TransactionStatus: "02", vnp_BankCode: "MOMO" });
    expect(calls).toHaveLength(1);

    // A second POST (back button, double click) does not complete it again.
    const again = await run(payPage.action, post(pagePath(params), formOf({ bankCode: "NCB", outcome: "00", intent: "pay" })));
    expect(again).toMatchObject({ status: 409, data: { refusal: { reason: "already_processed" } } });
    expect(calls).toHaveLength(1);
  });

  it("Cancel reports outcome 24 whatever else was chosen", async () => {
    recordingSender();
    const params = payRequest({ createdAt: new Date() });
    const res = await run(payPage.action, post(pagePath(params), formOf({ outcome: "00", ipnMode: "drop", intent: "cancel" })));
    expect(res.status).toBe(302);
    expect(paramsOf(res.location ?? "")).toMatchObject({ vnp_ResponseCode: "24", vnp_TransactionStatus: "02", vnp_BankCode: "VNPAY" });
  });

  it("asks for a bank (400 with the field error) and refuses a tampered URL (400)", async () => {
    const params = payRequest({ createdAt: new Date() });
    const missing = await run(payPage.action, post(pagePath(params), formOf({ outcome: "00", intent: "pay" })));
    expect(missing).toMatchObject({ status: 400, data: { refusal: null, errors: { bankCode: "gateway.errors.bank_required" }, values: { outcome: "00" } } });
    const tampered = await run(payPage.action, post(pagePath({ ...params, vnp_Amount: "100" }), formOf({ bankCode: "NCB", outcome: "00", intent: "pay" })));
    expect(tampered).toMatchObject({ status: 400, data: { refusal: { reason: "bad_signature", code: "97" } } });
  });
});

describe("querydr", () => {
  const ask = (txnRef: string, transactionDate = "20261123003005", key = secret()) =>
    buildQuerydrRequest({
      tmnCode: env().PAYMENT_TMN_CODE,
      secret: key,
      txnRef,
      transactionDate,
      ipAddr: "127.0.0.1",
      orderInfo: `Truy van giao dich ${txnRef}`,
      now: NOW,
      requestId: `Q${counter++}`,
    });

  async function answer(body: unknown) {
    const parsed = QuerydrResponseSchema.parse(await querydr(body, NOW));
    return { ...parsed, verified: verifyQuerydrResponse(parsed, secret()) };
  }

  it("finds a successful, a failed and a not yet completed transaction", async () => {
    recordingSender();
    const paid = (await opened(payRequest())).payment;
    await completePayment({ tmnCode: paid.tmnCode, txnRef: paid.txnRef, outcome: "00", bankCode: "NCB", ipnMode: "drop", now: NOW });
    const failed = (await opened(payRequest())).payment;
    await completePayment({ tmnCode: failed.tmnCode, txnRef: failed.txnRef, outcome: "75", bankCode: "BIDV", ipnMode: "drop", now: NOW });
    const pending = (await opened(payRequest())).payment;

    expect(await answer(ask(paid.txnRef))).toMatchObject({
      verified: true,
      vnp_ResponseCode: "00",
      vnp_TransactionStatus: "00",
      vnp_TxnRef: paid.txnRef,
      vnp_Amount: "15000000",
      vnp_BankCode: "NCB",
      vnp_PayDate: "20261123003005",
      vnp_TransactionType: "01",
      vnp_TransactionNo: expect.stringMatching(/^\d{8}$/),
    });
    expect(await answer(ask(failed.txnRef))).toMatchObject({ verified: true, vnp_ResponseCode: "00", vnp_TransactionStatus: "02", vnp_BankCode: "BIDV" });
    expect(await answer(ask(pending.txnRef))).toMatchObject({
      verified: true,
      vnp_ResponseCode: "00",
      vnp_TransactionStatus: "01",
      vnp_TransactionNo: "",
      vnp_PayDate: "",
    });
  });

  it("answers 91 for an unknown transaction (or another date), 97 for a bad checksum, 03 for a malformed body", async () => {
    const known = (await opened(payRequest())).payment;
    expect(await answer(ask("NOSUCHTXN"))).toMatchObject({ verified: true, vnp_ResponseCode: "91", vnp_TransactionStatus: "" });
    expect(await answer(ask(known.txnRef, "20261123003006"))).toMatchObject({ verified: true, vnp_ResponseCode: "91" });
    expect(await answer(ask(known.txnRef, "20261123003005", "another-secret-another-secret-0123"))).toMatchObject({
      verified: true,
      vnp_ResponseCode: "97",
      vnp_Amount: "",
    });
    expect(await answer({ ...ask(known.txnRef), vnp_TxnRef: "NOSUCHTXN" })).toMatchObject({ vnp_ResponseCode: "97" });
    expect(await answer({ ...ask(known.txnRef), vnp_SecureHash: "" })).toMatchObject({ vnp_ResponseCode: "97" });
    expect(await answer({ hello: "world" })).toMatchObject({ vnp_ResponseCode: "03" });
    expect(await querydr({ ...ask(known.txnRef), vnp_TmnCode: "NOTKNOWN" }, NOW)).toMatchObject({ vnp_ResponseCode: "02", vnp_SecureHash: "" });
  });

  it("is served as POST JSON; GET is 405", async () => {
    const known = (await opened(payRequest())).payment;
    const res = await run(
      querydrApi.action,
      new Request("http://localhost/gateway/vnpay/querydr", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(ask(known.txnRef)),
      }),
    );
    expect(res.status).toBe(200);
    const parsed = QuerydrResponseSchema.parse(res.data);
    expect(verifyQuerydrResponse(parsed, secret())).toBe(true);
    expect(parsed).toMatchObject({ vnp_ResponseCode: "00", vnp_TransactionStatus: "01", vnp_TxnRef: known.txnRef });
    const notJson = await run(querydrApi.action, new Request("http://localhost/gateway/vnpay/querydr", { method: "POST", body: "vnp_TxnRef=1" }));
    expect(notJson.data).toMatchObject({ vnp_ResponseCode: "03" });
    expect((await run(querydrApi.loader, get("/gateway/vnpay/querydr"))).status).toBe(405);
  });
});
