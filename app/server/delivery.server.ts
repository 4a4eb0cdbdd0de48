import { and, eq } from "drizzle-orm";
import { createHash, randomInt } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import * as schema from "../../db/schema";
import { POSTAGE_VND } from "../core/payments/fees";
import { isFinalShipmentState } from "../core/delivery/postal";
import { makeVerificationCode, parseVerificationCode, signResult, verifyResultSignature } from "../core/results/verification";
import { advanceParcel, createParcel, getParcel } from "../simulators/post.server";
import { selectDossierDetail } from "./dossier-query.server";
import { db } from "./db.server";
import { env } from "./env.server";
import { recordEvent } from "./events.server";
import { renderTextPdf } from "./pdf.server";
import { qrPng } from "./receipt.server";
import { deleteStoredFile, readStoredFile, storeFile } from "./storage.server";
import { applyTransition, type Actor, type TransitionOutcome } from "./workflow.server";
import { formatDate } from "../utils/format";

/**
 * Result delivery (level 4): an electronic result signed for verification, a postal parcel
 * through the post simulator, or a hand-over at the counter — all driven through the one
 * state machine (workflow.server.ts).
 */
const KEYWORD_PREFIX = "verification-code:";

async function renderResultPdf(input: { code: string; verifyUrl: string; dossier: typeof schema.dossiers.$inferSelect; procedure: typeof schema.procedures.$inferSelect; agency: typeof schema.agencies.$inferSelect; issuedOn: string }) {
  const bytes = await renderTextPdf({
    title: `${input.procedure.nameVi} — ${input.dossier.receiptCode ?? ""}`,
    blocks: [
      { text: input.agency.nameVi.toUpperCase(), bold: true, center: true },
      { text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, center: true, gapBefore: 6 },
      { text: "Độc lập - Tự do - Hạnh phúc", center: true },
      { text: "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH (BẢN ĐIỆN TỬ)", bold: true, center: true, size: 14, gapBefore: 18 },
      { text: `Thủ tục: ${input.procedure.nameVi} (${input.procedure.code})`, gapBefore: 14 },
      { text: `Mã hồ sơ: ${input.dossier.receiptCode ?? ""}`, gapBefore: 4 },
      { text: `Người yêu cầu: ${input.dossier.applicantName ?? ""}`, gapBefore: 4 },
      { text: `Ngày cấp: ${formatDate(input.issuedOn, "vi")}`, gapBefore: 4 },
      { text: `Cơ quan cấp: ${input.agency.nameVi}`, gapBefore: 4 },
      { text: `Mã xác thực: ${input.code}`, bold: true, gapBefore: 14 },
      { text: `Kiểm tra tính xác thực tại: ${input.verifyUrl}`, size: 9, gapBefore: 4 },
    ],
    footer: `Bản điện tử có giá trị như bản giấy khi xác thực thành công. Mã xác thực ${input.code}.`,
  });
  // The QR code and the code in the document's keywords let the verify page read an uploaded copy.
  const doc = await PDFDocument.load(bytes);
  const qr = await doc.embedPng(await qrPng(input.verifyUrl));
  const page = doc.getPages()[0];
  page?.drawImage(qr, { x: 595.28 - 56 - 110, y: 841.89 - 56 - 300, width: 110, height: 110 });
  doc.setKeywords([`${KEYWORD_PREFIX}${input.code}`]);
  doc.setCreationDate(new Date(`${input.issuedOn}T00:00:00Z`));
  doc.setModificationDate(new Date(`${input.issuedOn}T00:00:00Z`));
  return doc.save();
}

function loadDossier(dossierId: number) {
  return selectDossierDetail()
    .where(eq(schema.dossiers.id, dossierId))
    .get();
}

/**
 * An officer issues the result (processing → result ready). Online: the signed PDF is made and
 * stored first (outside the transaction, which cannot await), then linked with the move; if the
 * move is refused the file is removed. By post: a parcel is created with the post simulator.
 */
export async function issueResult(input: { dossierId: number; actor: Actor; expectedVersion?: number; origin: string; now?: Date }): Promise<TransitionOutcome> {
  const now = input.now ?? new Date();
  const found = loadDossier(input.dossierId);
  if (!found) return { ok: false, error: "not_found" };
  const { dossier, procedure, agency } = found;
  let stored: { key: string; code: string; sha256: string } | null = null;
  if (dossier.deliveryMode === "online") {
    const code = makeVerificationCode(Array.from({ length: 12 }, () => randomInt(32)));
    const verifyUrl = `${input.origin}/verify?code=${code}`;
    const pdf = await renderResultPdf({ code, verifyUrl, dossier, procedure, agency, issuedOn: now.toISOString().slice(0, 10) });
    stored = { key: await storeFile(pdf), code, sha256: createHash("sha256").update(pdf).digest("hex") };
  }
  const outcome = applyTransition({
    dossierId: input.dossierId,
    action: "issueResult",
    actor: input.actor,
    expectedVersion: input.expectedVersion,
    now,
    extra: (tx, updated) => {
      const base = { occurredAt: now, dossierId: updated.id, procedureId: updated.procedureId, agencyId: updated.agencyId, channel: updated.channel, actorId: input.actor.id, actorRole: input.actor.role };
      if (stored) {
        const signature = signResult({ code: stored.code, sha256: stored.sha256, secret: env().RESULT_SIGNING_SECRET });
        tx.insert(schema.results).values({ dossierId: updated.id, verificationCode: stored.code, sha256: stored.sha256, signature, storageKey: stored.key, issuedAt: now }).run();
        recordEvent(tx, { ...base, type: "result_issued", data: { delivery: "online" } });
      }
      if (updated.deliveryMode === "post") {
        const address = typeof updated.answers.applicant_address === "string" ? updated.answers.applicant_address : "";
        const parcel = createParcel({ address, now });
        tx.insert(schema.shipments).values({ dossierId: updated.id, trackingNumber: parcel.trackingNumber, status: parcel.status, address, postageVnd: POSTAGE_VND, createdAt: now, updatedAt: now }).run();
        recordEvent(tx, { ...base, type: "shipment_created", data: { trackingNumber: parcel.trackingNumber } });
      }
    },
  });
  if (!outcome.ok && stored) await deleteStoredFile(stored.key);
  return outcome;
}

/** The citizen's electronic result. The first download completes delivery (result ready → returned). */
export async function downloadResult(input: { dossierId: number; applicantId: number; now?: Date }) {
  const found = loadDossier(input.dossierId);
  if (!found || found.dossier.applicantId !== input.applicantId) return null;
  const result = db().select().from(schema.results).where(eq(schema.results.dossierId, input.dossierId)).get();
  if (!result) return null;
  const bytes = await readStoredFile(result.storageKey);
  const now = input.now ?? new Date();
  db().transaction((tx) =>
    recordEvent(tx, { type: "result_downloaded", occurredAt: now, dossierId: found.dossier.id, procedureId: found.procedure.id, agencyId: found.dossier.agencyId, actorId: input.applicantId, actorRole: "citizen", channel: found.dossier.channel }),
  );
  if (found.dossier.status === 9) applyTransition({ dossierId: input.dossierId, action: "returnResult", actor: { id: null, role: "system" }, now });
  return { bytes, fileName: `ket-qua-${found.dossier.receiptCode ?? found.dossier.id}.pdf` };
}

export type Verification =
  | { status: "authentic"; code: string; procedureVi: string; procedureEn: string | null; agencyVi: string; agencyEn: string | null; issuedAt: Date; holder: string }
  | { status: "altered"; code: string }
  | { status: "unknown" };

function authentic(row: typeof schema.results.$inferSelect): Verification {
  const found = loadDossier(row.dossierId);
  if (!found) return { status: "unknown" };
  const holder = found.dossier.applicantName ?? "";
  // Only initials: the verify page is public.
  const initials = holder.split(/\s+/).filter(Boolean).map((w) => `${w[0] ?? ""}.`).join(" ");
  return { status: "authentic", code: row.verificationCode, procedureVi: found.procedure.nameVi, procedureEn: found.procedure.nameEn, agencyVi: found.agency.nameVi, agencyEn: found.agency.nameEn, issuedAt: row.issuedAt, holder: initials };
}

/** Verifies a presented code, or an uploaded copy of the document (which must be byte-for-byte the one issued). */
export async function verifyResult(input: { code?: string | null; file?: Uint8Array | null }): Promise<Verification> {
  const secret = env().RESULT_SIGNING_SECRET;
  if (input.file && input.file.length > 0) {
    const sha256 = createHash("sha256").update(input.file).digest("hex");
    const exact = db().select().from(schema.results).where(eq(schema.results.sha256, sha256)).get();
    if (exact && verifyResultSignature({ code: exact.verificationCode, sha256, secret, signature: exact.signature })) return authentic(exact);
    const claimed = await readEmbeddedCode(input.file);
    return claimed ? { status: "altered", code: claimed } : { status: "unknown" };
  }
  const code = parseVerificationCode(input.code ?? "");
  if (!code) return { status: "unknown" };
  const row = db().select().from(schema.results).where(eq(schema.results.verificationCode, code)).get();
  if (!row || !verifyResultSignature({ code, sha256: row.sha256, secret, signature: row.signature })) return { status: "unknown" };
  return authentic(row);
}

async function readEmbeddedCode(file: Uint8Array): Promise<string | null> {
  try {
    const doc = await PDFDocument.load(file, { updateMetadata: false });
    const keywords = doc.getKeywords() ?? "";
    const match = keywords.split(/[\s,;]+/).find((k) => k.startsWith(KEYWORD_PREFIX));
    return match ? parseVerificationCode(match.slice(KEYWORD_PREFIX.length)) : null;
  } catch {
    return null;
  }
}

/**
 * Brings the portal's record of a parcel up to date from the post (simulator) API, recording
 * each change; delivery completes the dossier (result ready → returned).
 */
export function syncShipment(dossierId: number, now = new Date()) {
  const shipment = db().select().from(schema.shipments).where(eq(schema.shipments.dossierId, dossierId)).get();
  if (!shipment) return null;
  const parcel = getParcel(shipment.trackingNumber);
  if (!parcel || parcel.status === shipment.status) return { ...shipment, history: parcel?.history ?? [] };
  db().transaction(
    (tx) => {
      const changed = tx
        .update(schema.shipments)
        .set({ status: parcel.status, updatedAt: now })
        .where(and(eq(schema.shipments.id, shipment.id), eq(schema.shipments.status, shipment.status)))
        .run();
      if (changed.changes !== 1) return;
      const d = tx.select().from(schema.dossiers).where(eq(schema.dossiers.id, dossierId)).get();
      recordEvent(tx, { type: "shipment_updated", occurredAt: now, dossierId, procedureId: d?.procedureId, agencyId: d?.agencyId, channel: d?.channel, actorRole: "system", data: { trackingNumber: shipment.trackingNumber, from: shipment.status, to: parcel.status } });
    },
    { behavior: "immediate" },
  );
  if (parcel.status === "delivered" && isFinalShipmentState(parcel.status)) {
    applyTransition({ dossierId, action: "returnResult", actor: { id: null, role: "system" }, now });
  }
  return { ...shipment, status: parcel.status, history: parcel.history };
}

export { advanceParcel };

/** Whether an electronic result exists for the dossier (its owner may download it). */
export function resultAvailable(dossierId: number): boolean {
  return db().select({ id: schema.results.id }).from(schema.results).where(eq(schema.results.dossierId, dossierId)).get() !== undefined;
}
