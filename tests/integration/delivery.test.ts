import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { syncShipment } from "../../app/server/delivery/shipments.server";
import { downloadResult, issueResult, verifyResult } from "../../app/server/results/results.server";
import { rateDossier } from "../../app/server/dossiers/ratings.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import { advanceParcel } from "../../app/simulators/post.server";
import * as track from "../../app/routes/track";
import * as ipnRoute from "../../app/routes/api.v1.payments.ipn";
import { env } from "../../app/server/platform/env.server";
import { startPayment } from "../../app/server/payments/payments.server";
import { completePayment, openPayment, setIpnSender } from "../../app/simulators/vnpay-gateway.server";
import { pdfText } from "../fixtures/pdf-text";
import { newCitizen } from "../fixtures/accounts";
import { submitDossier, officerFor } from "../fixtures/dossiers";
import { formOf, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";

const CODE = "1.001193"; // Đăng ký khai sinh: level 4, free, online/post/counter

async function processedDossier(deliveryMode: "online" | "post" | "counter") {
  const citizen = await newCitizen();
  const { dossierId, receiptCode } = await submitDossier(citizen, CODE, deliveryMode);
  const officer = await officerFor(dossierId);
  if (deliveryMode === "post") await payOnline(dossierId, citizen.id); // postage is due even for a free procedure
  expect((await applyTransition({ dossierId, action: "receive", actor: officer })).ok).toBe(true);
  expect((await applyTransition({ dossierId, action: "startProcessing", actor: officer })).ok).toBe(true);
  const issued = await issueResult({
    dossierId,
    actor: officer,
    origin: "http://localhost",
    content: { source: "fields", values: { certificate_number: "45/2026", register_book: "03", personal_id: "001226000045", notes: null } },
  });
  expect(issued).toMatchObject({ ok: true, dossier: { status: STATUS.resultReady } });
  return { citizen, dossierId, receiptCode, officer };
}

async function payOnline(dossierId: number, applicantId: number) {
  const started = await startPayment({ dossierId, applicantId, ipAddr: "127.0.0.1", locale: "vi", returnUrl: "http://localhost/payments/return" });
  if (started.kind !== "redirect") throw new Error(`not payable: ${started.kind}`);
  setIpnSender(async (url) => (await run(ipnRoute.loader, new Request(url))).data);
  try {
    expect((await openPayment(new URL(started.url, "http://localhost").searchParams, new Date())).ok).toBe(true);
    const done = await completePayment({
      tmnCode: env().PAYMENT_TMN_CODE,
      txnRef: started.txnRef,
      outcome: "00",
      bankCode: "VNPAYQR",
      ipnMode: "deliver",
      now: new Date(),
    });
    expect(done.ipnAnswer?.RspCode).toBe("00");
  } finally {
    setIpnSender(null);
  }
}

const statusOf = async (dossierId: number) => (await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, dossierId)).limit(1))[0]?.status;

describe("electronic result", () => {
  it("is downloaded by its owner (completing delivery) and verified as authentic, by code and by file", async () => {
    const { citizen, dossierId } = await processedDossier("online");
    const other = await newCitizen();
    expect(await downloadResult({ dossierId, applicantId: other.id })).toBeNull();
    const file = await downloadResult({ dossierId, applicantId: citizen.id });
    if (!file) throw new Error("no result");
    expect(new TextDecoder().decode(file.bytes.subarray(0, 5))).toBe("%PDF-");
    // The e-result says what was decided: the result fields the officer filled.
    const text = await pdfText(new Uint8Array(file.bytes));
    expect(text).toContain("Số Giấy khai sinh: 45/2026");
    expect(text).toContain("Số định danh cá nhân của trẻ: 001226000045");
    expect(await statusOf(dossierId)).toBe(10);
    const [result] = await db().select().from(schema.results).where(eq(schema.results.dossierId, dossierId)).limit(1);
    expect(await verifyResult({ code: result?.verificationCode })).toMatchObject({ status: "authentic", code: result?.verificationCode });
    expect(await verifyResult({ file: new Uint8Array(file.bytes) })).toMatchObject({ status: "authentic" });
  });

  it("reports an edited copy as altered and an unknown code as not found", async () => {
    const { citizen, dossierId } = await processedDossier("online");
    const file = await downloadResult({ dossierId, applicantId: citizen.id });
    if (!file) throw new Error("no result");
    const edited = new Uint8Array(file.bytes);
    // Change one character of the visible text stream's neighbourhood: any byte change breaks the hash.
    const at = edited.length - 200;
    edited[at] = (edited[at] ?? 0) ^ 0x01;
    const verdict = await verifyResult({ file: edited });
    expect(["altered", "unknown"]).toContain(verdict.status);
    expect(verdict.status).not.toBe("authentic");
    expect(await verifyResult({ code: "0000-0000-0000" })).toEqual({ status: "unknown" });
  });

  it("reports a re-saved copy with the same code but other content as altered", async () => {
    const { citizen, dossierId } = await processedDossier("online");
    const file = await downloadResult({ dossierId, applicantId: citizen.id });
    if (!file) throw new Error("no result");
    const { PDFDocument } = await import("pdf-lib");
    const doc = await PDFDocument.load(new Uint8Array(file.bytes), { updateMetadata: false });
    doc.setTitle("Đã sửa nội dung");
    const forged = await doc.save({ updateFieldAppearances: false });
    expect(await verifyResult({ file: forged })).toMatchObject({ status: "altered" });
  });
});

describe("postal delivery", () => {
  it("creates a parcel and follows it to delivered on the tracking page, which completes the dossier", async () => {
    const { dossierId, receiptCode } = await processedDossier("post");
    const [shipment] = await db().select().from(schema.shipments).where(eq(schema.shipments.dossierId, dossierId)).limit(1);
    expect(shipment).toMatchObject({ status: "created", postageVnd: 25_000 });
    const trackingNumber = shipment?.trackingNumber ?? "";
    for (const expected of ["picked_up", "in_transit", "delivered"]) expect((await advanceParcel({ trackingNumber }))?.status).toBe(expected);
    const res = await run(track.action, post("/track", formOf({ code: receiptCode, factor: "0912345678" })));
    expect(res.data).toMatchObject({ found: { status: STATUS.returned, shipment: { trackingNumber, status: "delivered" } } });
    expect(await statusOf(dossierId)).toBe(10);
    const updates = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "shipment_updated")));
    expect(updates).toHaveLength(1); // one sync saw created → delivered
    expect((await syncShipment(dossierId))?.status).toBe("delivered");
  });
});

describe("satisfaction rating", () => {
  it("is accepted once, only after the result is returned, and logged without the comment", async () => {
    const { citizen, dossierId, officer } = await processedDossier("counter");
    expect(await rateDossier({ dossierId, applicantId: citizen.id, rating: "satisfied", comment: "Nhanh" })).toBe("not_returned");
    expect((await applyTransition({ dossierId, action: "returnResult", actor: officer })).ok).toBe(true);
    expect(await rateDossier({ dossierId, applicantId: citizen.id, rating: "very_satisfied", comment: "Cán bộ nhiệt tình" })).toBe("rated");
    expect(await rateDossier({ dossierId, applicantId: citizen.id, rating: "not_satisfied", comment: null })).toBe("already_rated");
    const rated = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "rated")));
    expect(rated).toHaveLength(1);
    expect(rated[0]?.data).toEqual({ rating: "very_satisfied" });
  });
});
