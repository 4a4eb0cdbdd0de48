// Issue 11, problems 1 and 7: only a genuine gateway notification changes a payment. The portal's
// own signed pay request, replayed to the IPN or the return page, is refused; an upper-case hash is
// refused; anonymous callbacks are counted, not stored row by row; a success that arrives for an
// attempt already settled otherwise is recorded and flagged for an operator, never lost.
import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { signParams, toVnpAmount, type VnpParams } from "../../app/core/payments/vnpay";
import { db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { reconcilePayments } from "../../app/server/payments/payments.server";
import { completePayment, openPayment, querydr, setIpnSender } from "../../app/simulators/vnpay-gateway.server";
import * as ipnRoute from "../../app/routes/api.v1.payments.ipn";
import * as payRoute from "../../app/routes/applications.$receiptCode_.pay";
import * as returnRoute from "../../app/routes/payments.return";
import * as adminPayments from "../../app/routes/admin.payments";
import { newCitizen, newStaff } from "../fixtures/accounts";
import { submitDossier } from "../fixtures/dossiers";
import { get, post, run } from "./helpers";

const CODE = "3.000333"; // Cấp phiếu lý lịch tư pháp: level 4, fee 200.000 đ

beforeEach(() => {
  setIpnSender(async (url) => (await run(ipnRoute.loader, new Request(url))).data);
});
afterEach(() => setIpnSender(null));

const paymentRow = async (txnRef: string) => (await db().select().from(schema.payments).where(eq(schema.payments.txnRef, txnRef)).limit(1))[0];
const callbackRows = async () => await db().select().from(schema.paymentCallbacks);
const events = async (dossierId: number, type: string) =>
  await db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, type)));
const refusals = async (kind: "ipn" | "return") =>
  await db().select().from(schema.paymentCallbackRefusals).where(eq(schema.paymentCallbackRefusals.kind, kind));
const refusedCount = async (kind: "ipn" | "return") => (await refusals(kind)).reduce((sum, r) => sum + r.count, 0);

/** The citizen presses "Pay online": the Location the portal answers with, as the attacker would copy it. */
async function payLocation() {
  const citizen = await newCitizen();
  const { receiptCode, dossierId } = await submitDossier(citizen, CODE, "online");
  const res = await run(payRoute.action, post(`/applications/${receiptCode}/pay`, new URLSearchParams(), citizen.cookie), { receiptCode });
  expect(res.status).toBe(302);
  const location = new URL(res.location ?? "", "http://localhost");
  const txnRef = location.searchParams.get("vnp_TxnRef") ?? "";
  return { citizen, receiptCode, dossierId, location, txnRef };
}

/** A result as the gateway signs it (the simulator's own field set). */
function gatewayResult(txnRef: string, amountVnd: number, responseCode = "00", transactionNo = "14000001"): VnpParams {
  const params: VnpParams = {
    vnp_Amount: toVnpAmount(amountVnd),
    vnp_BankCode: "NCB",
    vnp_BankTranNo: `VNP${transactionNo}`,
    vnp_CardType: "ATM",
    vnp_OrderInfo: "Thanh toan le phi",
    vnp_PayDate: "20261122103000",
    vnp_ResponseCode: responseCode,
    vnp_TmnCode: env().PAYMENT_TMN_CODE,
    vnp_TransactionNo: transactionNo,
    vnp_TransactionStatus: responseCode === "00" ? "00" : "02",
    vnp_TxnRef: txnRef,
  };
  return { ...params, vnp_SecureHash: signParams(params, env().PAYMENT_HASH_SECRET) };
}
const ipnRequest = (params: VnpParams | string) =>
  new Request(`http://localhost/api/v1/payments/ipn?${typeof params === "string" ? params : new URLSearchParams(params)}`);
const ipn = async (params: VnpParams | string) => (await run(ipnRoute.loader, ipnRequest(params))).data;

describe("the pay request replayed as a callback (issue 11, problem 1)", () => {
  it("is refused at the IPN and at the return page, changes nothing, and the genuine IPN still settles the payment", async () => {
    const { citizen, dossierId, location, txnRef } = await payLocation();
    expect(location.searchParams.get("vnp_Command")).toBe("pay");
    const before = (await callbackRows()).length;

    // Sent unchanged to the IPN: before the fix this answered 00 and marked the attempt failed (99).
    expect(await ipn(location.search.slice(1))).toEqual({ RspCode: "99", Message: "Unknown error" });
    const ret = await run(returnRoute.loader, get(`/payments/return${location.search}`, citizen.cookie));
    expect(ret.status).toBe(400);
    expect(await paymentRow(txnRef)).toMatchObject({ status: "pending", responseCode: null, settledAt: null });
    expect(await events(dossierId, "payment_failed")).toHaveLength(0);
    expect((await callbackRows()).length).toBe(before);
    expect(await refusals("ipn")).toEqual([expect.objectContaining({ reason: "request_field", count: 1 })]);
    expect(await refusals("return")).toEqual([expect.objectContaining({ reason: "request_field", count: 1 })]);

    // The citizen then really pays: the gateway's IPN confirms it.
    const opened = await openPayment(location.searchParams, new Date());
    expect(opened.ok).toBe(true);
    const done = await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome: "00", bankCode: "NCB", ipnMode: "deliver", now: new Date() });
    expect(done.ipnAnswer).toEqual({ RspCode: "00", Message: "Confirm Success" });
    expect(await paymentRow(txnRef)).toMatchObject({ status: "paid", settledBy: "ipn", responseCode: "00" });
    expect(await events(dossierId, "payment_confirmed")).toHaveLength(1);
    const back = new URL(done.returnUrl);
    const page = await run(returnRoute.loader, get(back.pathname + back.search, citizen.cookie));
    expect(page.data).toMatchObject({ outcome: "paid", amountVnd: 200_000 });
  });

  it("refuses a correctly signed notification that lacks a field the gateway always sends, or has a malformed one", async () => {
    const { txnRef } = await payLocation();
    const genuine = gatewayResult(txnRef, 200_000);
    const resign = (p: VnpParams): VnpParams => {
      const { vnp_SecureHash: _drop, ...rest } = p;
      return { ...rest, vnp_SecureHash: signParams(rest, env().PAYMENT_HASH_SECRET) };
    };
    for (const field of ["vnp_ResponseCode", "vnp_TransactionStatus", "vnp_TransactionNo", "vnp_PayDate", "vnp_TxnRef", "vnp_Amount", "vnp_TmnCode"]) {
      const without = Object.fromEntries(Object.entries(genuine).filter(([k]) => k !== field));
      expect(await ipn(resign(without)), field).toMatchObject({ RspCode: "99" });
    }
    for (const [field, value] of [
      ["vnp_PayDate", "20261131103000"],
      ["vnp_TransactionNo", "abc"],
      ["vnp_ResponseCode", "0"],
      ["vnp_TransactionStatus", "000"],
      ["vnp_Command", "pay"],
      ["vnp_ReturnUrl", "http://localhost/payments/return"],
      ["vnp_CreateDate", "20261122100000"],
      ["vnp_IpAddr", "127.0.0.1"],
    ] as const) {
      expect(await ipn(resign({ ...genuine, [field]: value })), field).toMatchObject({ RspCode: "99" });
    }
    expect((await paymentRow(txnRef))?.status).toBe("pending");
    expect(await ipn(genuine)).toEqual({ RspCode: "00", Message: "Confirm Success" });
  });
});

describe("the hash is compared exactly (issue 11, problem 7)", () => {
  it("refuses an upper-case hex vnp_SecureHash (97) and accepts the lower-case one VNPay sends", async () => {
    const { txnRef } = await payLocation();
    const genuine = gatewayResult(txnRef, 200_000);
    const upper = { ...genuine, vnp_SecureHash: (genuine.vnp_SecureHash ?? "").toUpperCase() };
    expect(await ipn(upper)).toEqual({ RspCode: "97", Message: "Invalid signature" });
    expect((await run(returnRoute.loader, get(`/payments/return?${new URLSearchParams(upper)}`))).status).toBe(400);
    expect((await paymentRow(txnRef))?.status).toBe("pending");
    expect(await ipn(genuine)).toEqual({ RspCode: "00", Message: "Confirm Success" });
  });
});

describe("callback rows only for verified callbacks (issue 11, problem 7)", () => {
  it("counts anonymous GETs of the return page and the IPN per day, kind and reason instead of storing each", async () => {
    const before = (await callbackRows()).length;
    const ipnBefore = await refusedCount("ipn");
    const returnBefore = await refusedCount("return");
    for (let i = 0; i < 20; i++) {
      await ipn(`vnp_TxnRef=X${i}&vnp_SecureHash=${"a".repeat(128)}&junk=${"z".repeat(500)}`);
      await run(returnRoute.loader, get(`/payments/return?n=${i}`));
    }
    expect((await callbackRows()).length).toBe(before);
    expect((await refusedCount("ipn")) - ipnBefore).toBe(20);
    expect((await refusedCount("return")) - returnBefore).toBe(20);
    const day = new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
    expect((await refusals("ipn")).every((r) => r.day === day)).toBe(true);
  });

  it("stores a verified IPN, and the genuine return page once however often it is reloaded", async () => {
    const { citizen, location, txnRef } = await payLocation();
    await openPayment(location.searchParams, new Date());
    const done = await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome: "00", bankCode: "NCB", ipnMode: "deliver", now: new Date() });
    const payment = await paymentRow(txnRef);
    const back = new URL(done.returnUrl);
    for (let i = 0; i < 5; i++) expect((await run(returnRoute.loader, get(back.pathname + back.search, citizen.cookie))).status).toBe(200);
    const rows = await db()
      .select()
      .from(schema.paymentCallbacks)
      .where(eq(schema.paymentCallbacks.paymentId, payment?.id ?? -1));
    expect(rows.filter((r) => r.kind === "ipn")).toHaveLength(1);
    expect(rows.filter((r) => r.kind === "return")).toHaveLength(1);
  });
});

describe("a success that arrives after the attempt was settled otherwise (issue 11, problem 1)", () => {
  it("is recorded and flagged for an operator, answered 02, shown to an administrator and counted by reconciliation", async () => {
    const { dossierId, location, txnRef } = await payLocation();
    await openPayment(location.searchParams, new Date());
    // The gateway first reported a failure (e.g. a timeout at the bank)…
    expect(await ipn(gatewayResult(txnRef, 200_000, "11", "14000077"))).toEqual({ RspCode: "00", Message: "Confirm Success" });
    expect((await paymentRow(txnRef))?.status).toBe("failed");
    // …then the bank's success arrives: money taken for an attempt the portal had closed.
    const late = gatewayResult(txnRef, 200_000, "00", "14000078");
    expect(await ipn(late)).toEqual({ RspCode: "02", Message: "Order already confirmed" });
    expect(await ipn(late)).toEqual({ RspCode: "02", Message: "Order already confirmed" });
    const payment = await paymentRow(txnRef);
    expect(payment?.status).toBe("failed");
    const flagged = await db()
      .select()
      .from(schema.paymentAnomalies)
      .where(eq(schema.paymentAnomalies.paymentId, payment?.id ?? -1));
    expect(flagged).toHaveLength(1);
    expect(flagged[0]).toMatchObject({
      kind: "late_success",
      dossierId,
      amountVnd: 200_000,
      gatewayTransactionNo: "14000078",
      bankCode: "NCB",
      statusWhenReceived: "failed",
      resolvedAt: null,
    });
    expect(flagged[0]?.paidAt?.toISOString()).toBe("2026-11-22T03:30:00.000Z");
    expect(await events(dossierId, "payment_late_success")).toHaveLength(1);

    const summary = await reconcilePayments({ query: async (body) => await querydr(body, new Date()) });
    expect(summary).toMatchObject({ flagged: 1 });

    const admin = await newStaff("system_admin", null);
    const page = await run(adminPayments.loader, get("/admin/payments", admin.cookie));
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).toContain("14000078");
    // Citizens and officers are not let in.
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    expect((await run(adminPayments.loader, get("/admin/payments", officer.cookie))).status).toBe(403);

    // The operator records what was done (refunded or applied), and the flag is closed.
    const anomalyId = String(flagged[0]?.id ?? "");
    const resolved = await run(
      adminPayments.action,
      post("/admin/payments", new URLSearchParams({ intent: "resolve", anomalyId, note: "Đã hoàn tiền qua cổng" }), admin.cookie),
    );
    expect(resolved.status).toBe(302);
    expect(
      (
        await db()
          .select()
          .from(schema.paymentAnomalies)
          .where(eq(schema.paymentAnomalies.id, Number(anomalyId)))
          .limit(1)
      )[0],
    ).toMatchObject({ resolvedBy: admin.id, resolutionNote: "Đã hoàn tiền qua cổng" });
    expect(await reconcilePayments({ query: async (body) => await querydr(body, new Date()) })).toMatchObject({ flagged: 0 });
  });
});

describe("reconciliation looks again at attempts the portal expired itself", () => {
  it("finds a success whose IPN was lost after a new attempt replaced it, flags it once, and asks only once", async () => {
    const { citizen, dossierId, location, txnRef } = await payLocation();
    await openPayment(location.searchParams, new Date());
    // The citizen pays, but the IPN is lost…
    await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome: "00", bankCode: "NCB", ipnMode: "drop", now: new Date() });
    // …and 16 minutes later presses "pay" again: the first attempt is expired without asking the gateway.
    const later = new Date(Date.now() + 16 * 60_000);
    const again = await import("../../app/server/payments/payments.server").then(
      async (m) =>
        await m.startPayment({
          dossierId,
          applicantId: citizen.id,
          ipAddr: "127.0.0.1",
          locale: "vi",
          returnUrl: "http://localhost/payments/return",
          now: later,
        }),
    );
    expect(again.kind).toBe("redirect");
    expect((await paymentRow(txnRef))?.status).toBe("expired");
    let asked: string[] = [];
    const query = async (body: Record<string, string>) => {
      asked.push(body.vnp_TxnRef ?? "");
      return await querydr(body, later);
    };
    const first = await reconcilePayments({ query, now: new Date(later.getTime() + 2 * 60_000) });
    expect(asked).toContain(txnRef);
    expect(first).toMatchObject({ rechecked: 1, flagged: 1 });
    const flagged = await db()
      .select()
      .from(schema.paymentAnomalies)
      .where(eq(schema.paymentAnomalies.paymentId, (await paymentRow(txnRef))?.id ?? -1));
    expect(flagged).toEqual([expect.objectContaining({ kind: "late_success", statusWhenReceived: "expired", receivedBy: "querydr", amountVnd: 200_000 })]);
    asked = [];
    const second = await reconcilePayments({ query, now: new Date(later.getTime() + 3 * 60_000) });
    expect(asked).not.toContain(txnRef);
    expect(second).toMatchObject({ rechecked: 0, flagged: 1 });
  });
});
