// Issue 12, citizens' receipts and payment outcomes: the receipt PDF as a reader sees it (text a PDF
// viewer extracts, and the QR code as an image that encodes the tracking address), and the reason
// and "try again" on the page the gateway sends a failed payment back to.
import { PDFDocument } from "pdf-lib";
import QRCode from "qrcode";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { signParams, toVnpAmount, type VnpParams } from "../../app/core/payments/vnpay";
import { env } from "../../app/server/platform/env.server";
import { languageCookie } from "../../app/server/platform/i18n.server";
import { handleIpn } from "../../app/server/payments/payments.server";
import { startOnlinePayment } from "../fixtures/payments";
import { completePayment, openPayment, setIpnSender } from "../../app/simulators/vnpay-gateway.server";
import * as ipnRoute from "../../app/routes/api.v1.payments.ipn";
import * as receiptPdf from "../../app/routes/applications.$receiptCode_.receipt[.]pdf";
import * as returnRoute from "../../app/routes/payments.return";
import { formatDate } from "../../app/utils/format";
import { pdfImages, pdfText, type PdfImage } from "./pdf-reading";
import { newCitizen, type Citizen } from "../fixtures/accounts";
import { submitDossier, dossierByCode } from "../fixtures/dossiers";
import { get, run } from "./helpers";

const CRIMINAL_RECORD = "3.000333"; // level 4, fee 200.000 đ
const LEVEL3_FEE = "1.001022"; // level 3, fee 15.000 đ, at the counter
const LEVEL3_FREE = "1.000894"; // level 3, no fee

beforeEach(() => setIpnSender(async (url) => (await run(ipnRoute.loader, new Request(url))).data));
afterEach(() => setIpnSender(null));

/** The receipt PDF as the citizen downloads it, read back: its text (spaces normalised) and images. */
async function receipt(citizen: Citizen, receiptCode: string, language: "vi" | "en" = "vi") {
  const cookie = language === "en" ? `${citizen.cookie}; ${(await languageCookie.serialize("en")).split(";")[0]}` : citizen.cookie;
  const response = await receiptPdf.loader({ request: get(`/applications/${receiptCode}/receipt.pdf`, cookie), params: { receiptCode }, context: {} });
  expect(response.headers.get("Content-Type")).toBe("application/pdf");
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { text: (await pdfText(bytes)).replace(/[^\S\n]+/g, " "), images: await pdfImages(bytes), pages: (await PDFDocument.load(bytes)).getPageCount() };
}

/**
 * Whether an image is the QR code of `text` as the receipt draws it (error correction M, a 2-module
 * quiet zone): every module's centre pixel is dark exactly where the code has a dark module.
 */
function isQrOf(image: PdfImage, text: string): boolean {
  const modules = QRCode.create(text, { errorCorrectionLevel: "M" }).modules;
  const scale = image.width / (modules.size + 4);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      const x = Math.floor((col + 2.5) * scale);
      const y = Math.floor((row + 2.5) * scale);
      const dark = (image.rgb[(y * image.width + x) * 3] ?? 255) < 128;
      if (dark !== Boolean(modules.get(row, col))) return false;
    }
  }
  return true;
}

async function startPay(dossierId: number, applicantId: number) {
  const started = await startOnlinePayment(dossierId, applicantId);
  expect((await openPayment(started.url.searchParams, new Date())).ok).toBe(true);
  return started.txnRef;
}

describe("the receipt PDF", () => {
  it("carries the QR code as an image of the tracking address, the fee, postage, total, 'to pay online' and the appointment date", async () => {
    const citizen = await newCitizen();
    const { receiptCode } = await submitDossier(citizen, CRIMINAL_RECORD, "post");
    const dueOn = (await dossierByCode(receiptCode))?.dueOn ?? "";
    expect(dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const { text, images, pages } = await receipt(citizen, receiptCode);
    expect(pages).toBe(1);
    expect(text).toContain(receiptCode);
    expect(text).toContain(`Ngày hẹn trả kết quả: ${formatDate(dueOn, "vi")}`);
    expect(text).toMatch(/Ngày hẹn trả kết quả: \d{2}\/\d{2}\/\d{4}/);
    expect(text).toContain("Lệ phí: 200.000 ₫");
    expect(text).toContain("Cước gửi kết quả qua bưu chính: 25.000 ₫");
    expect(text).toContain("Tổng số tiền: 225.000 ₫");
    expect(text).toContain("Thanh toán: Chưa thanh toán (thanh toán trực tuyến trên Cổng)");
    const url = `http://localhost/track?code=${receiptCode}`;
    expect(text).toContain(url);
    expect(images).toHaveLength(1);
    const [qr] = images;
    expect(qr).toMatchObject({ colorSpace: "DeviceRGB" });
    expect(qr?.width).toBe(qr?.height);
    expect(qr && isQrOf(qr, url)).toBe(true);
    // The check can fail: the same image is not the QR code of another dossier's address.
    // (Its last character changed to one it is not: a code ending in "X" once made this check compare a code with itself.)
    const other = `${receiptCode.slice(0, -1)}${receiptCode.endsWith("X") ? "Y" : "X"}`;
    expect(qr && isQrOf(qr, `http://localhost/track?code=${other}`)).toBe(false);
  });

  it("says 'paid' once the gateway has confirmed the payment", async () => {
    const citizen = await newCitizen();
    const { receiptCode, dossierId } = await submitDossier(citizen, CRIMINAL_RECORD, "online");
    const txnRef = await startPay(dossierId, citizen.id);
    await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome: "00", bankCode: "NCB", ipnMode: "deliver", now: new Date() });
    const { text } = await receipt(citizen, receiptCode);
    expect(text).toContain("Lệ phí: 200.000 ₫");
    expect(text).not.toContain("Cước gửi");
    expect(text).toContain("Thanh toán: Đã thanh toán");
  });

  it("says 'to pay at the counter' for a level-3 fee and 'free' when there is none", async () => {
    const citizen = await newCitizen();
    const counter = await submitDossier(citizen, LEVEL3_FEE, "counter");
    const paid = await receipt(citizen, counter.receiptCode);
    expect(paid.text).toContain("Lệ phí: 15.000 ₫");
    expect(paid.text).toContain("Thanh toán: Nộp tại bộ phận một cửa của cơ quan giải quyết");
    const free = await submitDossier(citizen, LEVEL3_FREE, "counter");
    const freeText = (await receipt(citizen, free.receiptCode)).text;
    expect(freeText).toContain("Lệ phí: Miễn phí");
    expect(freeText).toContain("Thanh toán: Không phải nộp (miễn phí)");
  });

  it("is in English for a visitor who chose English", async () => {
    const citizen = await newCitizen();
    const { receiptCode } = await submitDossier(citizen, CRIMINAL_RECORD, "post");
    const { text, images } = await receipt(citizen, receiptCode, "en");
    expect(text).toMatch(/Result due on: \d{2}\/\d{2}\/\d{4}/);
    expect(text).toContain("Fee: ₫200,000");
    expect(text).toContain("Total: ₫225,000");
    expect(text).toContain("Payment: Not paid yet (to pay online on the portal)");
    expect(images).toHaveLength(1);
  });
});

/** A genuine gateway result for an attempt (as the gateway signs its IPN and its return alike). */
function gatewayResult(txnRef: string, amountVnd: number, responseCode: string): VnpParams {
  const params: VnpParams = {
    vnp_Amount: toVnpAmount(amountVnd),
    vnp_BankCode: "NCB",
    vnp_OrderInfo: "Thanh toan",
    vnp_PayDate: "20261122103000",
    vnp_ResponseCode: responseCode,
    vnp_TmnCode: env().PAYMENT_TMN_CODE,
    vnp_TransactionNo: "14000077",
    vnp_TransactionStatus: "02",
    vnp_TxnRef: txnRef,
  };
  return { ...params, vnp_SecureHash: signParams(params, env().PAYMENT_HASH_SECRET) };
}

describe("the page a failed or cancelled payment returns to", () => {
  async function failAtGateway(outcome: "24" | "51" | "11" | "75") {
    const citizen = await newCitizen();
    const { dossierId, receiptCode } = await submitDossier(citizen, CRIMINAL_RECORD, "online");
    const txnRef = await startPay(dossierId, citizen.id);
    const { returnUrl } = await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome, bankCode: "NCB", ipnMode: "deliver", now: new Date() });
    const path = `${new URL(returnUrl).pathname}${new URL(returnUrl).search}`;
    return { citizen, dossierId, receiptCode, path };
  }

  it.each([
    ["51", "failed", "insufficient_balance"],
    ["11", "failed", "expired"],
    ["75", "failed", "bank_maintenance"],
    ["24", "cancelled", "cancelled"],
  ] as const)("code %s: %s, because %s, with 'try again' for its applicant", async (code, outcome, reason) => {
    const { citizen, receiptCode, path } = await failAtGateway(code);
    const page = await run(returnRoute.loader, get(path, citizen.cookie));
    expect(page).toMatchObject({ status: 200, data: { outcome, reason, gatewayCode: code, receiptCode, retry: true, amountVnd: 200_000 } });
  });

  it("offers 'try again' to a visitor (who signs in on the way) but not to another citizen, nor once the dossier is paid", async () => {
    const { citizen, dossierId, path } = await failAtGateway("51");
    expect((await run(returnRoute.loader, get(path))).data).toMatchObject({ reason: "insufficient_balance", retry: true });
    const stranger = await newCitizen();
    expect((await run(returnRoute.loader, get(path, stranger.cookie))).data).toMatchObject({ reason: "insufficient_balance", retry: false });
    const txnRef = await startPay(dossierId, citizen.id);
    await completePayment({ tmnCode: env().PAYMENT_TMN_CODE, txnRef, outcome: "00", bankCode: "NCB", ipnMode: "deliver", now: new Date() });
    expect((await run(returnRoute.loader, get(path, citizen.cookie))).data).toMatchObject({ outcome: "failed", reason: "insufficient_balance", retry: false });
  });

  it("07 (held as suspicious): says to contact the bank and offers no immediate retry", async () => {
    const citizen = await newCitizen();
    const { dossierId } = await submitDossier(citizen, CRIMINAL_RECORD, "online");
    const txnRef = await startPay(dossierId, citizen.id);
    const result = gatewayResult(txnRef, 200_000, "07");
    expect(await handleIpn(new URLSearchParams(result))).toMatchObject({ RspCode: "00" });
    const page = await run(returnRoute.loader, get(`/payments/return?${new URLSearchParams(result)}`, citizen.cookie));
    expect(page.data).toMatchObject({
      outcome: "failed",
      reason: "suspected_fraud",
      gatewayCode: "07",
      retry: false,
      reasonText: expect.stringContaining("hãy liên hệ ngân hàng trước khi thanh toán lại"),
    });
  });

  it("an unlisted code (99) gives the generic reason; a success gives none", async () => {
    const citizen = await newCitizen();
    const { dossierId } = await submitDossier(citizen, CRIMINAL_RECORD, "online");
    const failed = gatewayResult(await startPay(dossierId, citizen.id), 200_000, "99");
    await handleIpn(new URLSearchParams(failed));
    expect((await run(returnRoute.loader, get(`/payments/return?${new URLSearchParams(failed)}`, citizen.cookie))).data).toMatchObject({
      outcome: "failed",
      reason: "generic",
      retry: true,
    });
    const txnRef = await startPay(dossierId, citizen.id);
    const { returnUrl } = await completePayment({
      tmnCode: env().PAYMENT_TMN_CODE,
      txnRef,
      outcome: "00",
      bankCode: "NCB",
      ipnMode: "deliver",
      now: new Date(),
    });
    expect((await run(returnRoute.loader, get(`${new URL(returnUrl).pathname}${new URL(returnUrl).search}`, citizen.cookie))).data).toMatchObject({
      outcome: "paid",
      reason: null,
      retry: false,
    });
  });
});
