import { and, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { signParams, toVnpAmount, type VnpParams } from "../../app/core/payments/vnpay";
import { db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { handleIpn, paymentState, reconcilePayments, startPayment } from "../../app/server/payments/payments.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import { completePayment, deliverDelayedIpns, openPayment, querydr, setIpnSender } from "../../app/simulators/vnpay-gateway.server";
import * as ipnRoute from "../../app/routes/api.v1.payments.ipn";
import * as returnRoute from "../../app/routes/payments.return";
import { newCitizen } from "../fixtures/accounts";
import { submitDossier } from "../fixtures/dossiers";
import { get, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";

const CODE = "3.000333"; // Cấp phiếu lý lịch tư pháp: level 4, fee 200.000 đ

let ipnCalls: string[] = [];
beforeEach(() => {
  ipnCalls = [];
  // Server to server: the simulator's IPN reaches the portal's real IPN route.
  setIpnSender(async (url) => {
    ipnCalls.push(url);
    return (await run(ipnRoute.loader, new Request(url))).data;
  });
});
afterEach(() => setIpnSender(null));

async function paidFlowSetup(
  deliveryMode: "online" | "post" | "counter" = "online",
): Promise<{ citizen: Awaited<ReturnType<typeof newCitizen>>; receiptCode: string; dossierId: number }> {
  const citizen = await newCitizen();
  const { receiptCode, dossierId } = await submitDossier(citizen, CODE, deliveryMode);
  return { citizen, receiptCode, dossierId };
}

async function start(dossierId: number, applicantId: number, now = new Date()) {
  const res = await startPayment({ dossierId, applicantId, ipAddr: "127.0.0.1", locale: "vi", returnUrl: "http://localhost/payments/return", now });
  if (res.kind !== "redirect") throw new Error(`not payable: ${res.kind}`);
  return { ...res, query: new URL(res.url, "http://localhost").searchParams };
}

async function pay(dossierId: number, applicantId: number, outcome: "00" | "24" | "11" | "51" | "75", ipnMode: "deliver" | "drop" | "delay" = "deliver") {
  const { query, txnRef } = await start(dossierId, applicantId);
  const opened = await openPayment(query, new Date());
  expect(opened.ok).toBe(true);
  const done = await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome, bankCode: "NCB", ipnMode, now: new Date() });
  return { txnRef, done };
}

const paymentRow = async (txnRef: string) => (await db().select().from(schema.payments).where(eq(schema.payments.txnRef, txnRef)).limit(1))[0];
const events = (dossierId: number, type: string) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, type)));

/** A genuine IPN for a payment, as the gateway would sign it (or tampered after signing). */
function ipnFor(txnRef: string, amountVnd: number, responseCode = "00"): VnpParams {
  const params: VnpParams = {
    vnp_Amount: toVnpAmount(amountVnd),
    vnp_BankCode: "NCB",
    vnp_CardType: "ATM",
    vnp_OrderInfo: "Thanh toan",
    vnp_PayDate: "20261122103000",
    vnp_ResponseCode: responseCode,
    vnp_TmnCode: env().PAYMENT_TMN_CODE,
    vnp_TransactionNo: "14000001",
    vnp_TransactionStatus: responseCode === "00" ? "00" : "02",
    vnp_TxnRef: txnRef,
  };
  return { ...params, vnp_SecureHash: signParams(params, env().PAYMENT_HASH_SECRET) };
}

describe("online payment (level 4)", () => {
  it("pays through the gateway: the IPN marks it paid, the return page only shows it", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    expect(await paymentState(dossierId)).toMatchObject({ required: true, canPay: true, due: { totalVnd: 200_000 } });
    const { txnRef, done } = await pay(dossierId, citizen.id, "00");
    expect(done.ipnAnswer).toEqual({ RspCode: "00", Message: "Confirm Success" });
    expect(ipnCalls).toHaveLength(1);
    expect(await paymentRow(txnRef)).toMatchObject({ status: "paid", amountVnd: 200_000, settledBy: "ipn", responseCode: "00" });
    expect(await events(dossierId, "payment_confirmed")).toHaveLength(1);
    const page = await run(returnRoute.loader, get(new URL(done.returnUrl).pathname + new URL(done.returnUrl).search));
    expect(page.data).toMatchObject({ outcome: "paid", amountVnd: 200_000 });
    expect(await paymentState(dossierId)).toMatchObject({ canPay: false, paid: { txnRef } });
  });

  it.each([
    ["24", "cancelled"],
    ["11", "failed"],
    ["51", "failed"],
    ["75", "failed"],
  ] as const)("outcome %s leaves the dossier unpaid (%s) and a retry succeeds", async (code, status) => {
    const { citizen, dossierId } = await paidFlowSetup();
    const first = await pay(dossierId, citizen.id, code);
    expect(first.done.ipnAnswer?.RspCode).toBe("00");
    expect((await paymentRow(first.txnRef))?.status).toBe(status);
    expect(await events(dossierId, "payment_failed")).toHaveLength(1);
    const retry = await pay(dossierId, citizen.id, "00");
    expect(retry.txnRef).not.toBe(first.txnRef);
    expect((await paymentRow(retry.txnRef))?.status).toBe("paid");
  });

  it("gives the same transaction for a repeated pay click while one is pending", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    const a = await start(dossierId, citizen.id);
    const b = await start(dossierId, citizen.id);
    expect(b.txnRef).toBe(a.txnRef);
    expect(b.url).toBe(a.url);
    expect(await db().select().from(schema.payments).where(eq(schema.payments.dossierId, dossierId))).toHaveLength(1);
  });

  it("answers 97 for a bad checksum and 01 for an unknown order, changing nothing", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    const { txnRef } = await start(dossierId, citizen.id);
    const tampered = { ...ipnFor(txnRef, 200_000, "24"), vnp_ResponseCode: "00", vnp_TransactionStatus: "00" };
    expect(await handleIpn(new URLSearchParams(tampered))).toEqual({ RspCode: "97", Message: "Invalid signature" });
    expect(await handleIpn(new URLSearchParams(ipnFor("NOSUCHTXNREF0000", 200_000)))).toEqual({ RspCode: "01", Message: "Order not found" });
    expect((await paymentRow(txnRef))?.status).toBe("pending");
    expect(await events(dossierId, "payment_confirmed")).toHaveLength(0);
  });

  it("answers 04 when the amount differs from the server's fee", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    const { txnRef } = await start(dossierId, citizen.id);
    expect(await handleIpn(new URLSearchParams(ipnFor(txnRef, 2_000)))).toEqual({ RspCode: "04", Message: "Invalid amount" });
    expect((await paymentRow(txnRef))?.status).toBe("pending");
  });

  it("processes 1,000 concurrent duplicate IPNs exactly once", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    const { txnRef } = await start(dossierId, citizen.id);
    const url = `http://localhost/api/v1/payments/ipn?${new URLSearchParams(ipnFor(txnRef, 200_000))}`;
    const answers = await Promise.all(Array.from({ length: 1000 }, () => run(ipnRoute.loader, new Request(url))));
    const codes = answers.map((a) => (a.data && typeof a.data === "object" && "RspCode" in a.data ? a.data.RspCode : "?"));
    expect(codes.filter((c) => c === "00")).toHaveLength(1);
    expect(codes.filter((c) => c === "02")).toHaveLength(999);
    expect(await events(dossierId, "payment_confirmed")).toHaveLength(1);
    expect(
      await db()
        .select()
        .from(schema.payments)
        .where(and(eq(schema.payments.dossierId, dossierId), eq(schema.payments.status, "paid"))),
    ).toHaveLength(1);
    // A replay later changes nothing either.
    expect(await handleIpn(new URLSearchParams(ipnFor(txnRef, 200_000)))).toMatchObject({ RspCode: "02" });
  });

  it("settles a payment whose IPN was dropped through reconciliation (querydr)", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    const { txnRef, done } = await pay(dossierId, citizen.id, "00", "drop");
    expect(done.ipnAnswer).toBeNull();
    expect((await paymentRow(txnRef))?.status).toBe("pending");
    const later = new Date(Date.now() + 2 * 60_000);
    const summary = await reconcilePayments({ query: async (body) => await querydr(body, later), now: later });
    expect(summary).toMatchObject({ paid: 1, errors: 0 });
    expect(await paymentRow(txnRef)).toMatchObject({ status: "paid", settledBy: "querydr" });
    expect(await events(dossierId, "payment_confirmed")).toHaveLength(1);
    // The late IPN, if it ever comes, is a duplicate.
    expect(await handleIpn(new URLSearchParams(ipnFor(txnRef, 200_000)))).toMatchObject({ RspCode: "02" });
  });

  it("delivers a delayed IPN later, once", async () => {
    const { citizen, dossierId } = await paidFlowSetup();
    const { txnRef, done } = await pay(dossierId, citizen.id, "00", "delay");
    expect(done.ipnAnswer).toBeNull();
    const page = await run(returnRoute.loader, get(new URL(done.returnUrl).pathname + new URL(done.returnUrl).search));
    expect(page.data).toMatchObject({ outcome: "waiting" });
    await deliverDelayedIpns();
    expect((await paymentRow(txnRef))?.status).toBe("paid");
    expect(await events(dossierId, "payment_confirmed")).toHaveLength(1);
  });

  it("keeps processing from starting until the fee is paid", async () => {
    const { citizen, dossierId } = await paidFlowSetup("counter");
    const [dossier] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, dossierId)).limit(1);
    const [agency] = await db()
      .select()
      .from(schema.agencies)
      .where(eq(schema.agencies.id, dossier?.agencyId ?? -1))
      .limit(1);
    const officer = { id: null, role: "officer" as const, agencyPath: agency?.path ?? "" };
    expect(await applyTransition({ dossierId, action: "receive", actor: officer })).toMatchObject({ ok: true });
    expect(await applyTransition({ dossierId, action: "startProcessing", actor: officer })).toEqual({ ok: false, error: "payment_required" });
    await pay(dossierId, citizen.id, "00");
    expect(await applyTransition({ dossierId, action: "startProcessing", actor: officer })).toMatchObject({ ok: true, dossier: { status: STATUS.processing } });
  });
});

describe("payment receipt (biên lai)", () => {
  it("is a PDF for the owner of a paid dossier, and 404 for anyone else or an unpaid attempt", async () => {
    const receiptRoute = await import("../../app/routes/applications.$receiptCode_.payments.$txnRef.receipt[.]pdf");
    const { citizen, dossierId, receiptCode } = await paidFlowSetup();
    const pending = await start(dossierId, citizen.id);
    const early = await run(receiptRoute.loader, get(`/applications/${receiptCode}/payments/${pending.txnRef}/receipt.pdf`, citizen.cookie), {
      receiptCode,
      txnRef: pending.txnRef,
    });
    expect(early.status).toBe(404);
    setIpnSender(async (url) => (await run(ipnRoute.loader, new Request(url))).data);
    expect((await openPayment(pending.query, new Date())).ok).toBe(true);
    await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef: pending.txnRef, outcome: "00", bankCode: "BIDV", ipnMode: "deliver", now: new Date() });
    const response = await receiptRoute.loader({
      request: get(`/applications/${receiptCode}/payments/${pending.txnRef}/receipt.pdf`, citizen.cookie),
      params: { receiptCode, txnRef: pending.txnRef },
      context: {},
    });
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(new TextDecoder().decode(new Uint8Array(await response.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
    const stranger = await newCitizen();
    const other = await run(receiptRoute.loader, get(`/applications/${receiptCode}/payments/${pending.txnRef}/receipt.pdf`, stranger.cookie), {
      receiptCode,
      txnRef: pending.txnRef,
    });
    expect(other.status).toBe(404);
  });
});
