import { accessTo } from "../dossiers/representation.server";
import { and, eq } from "drizzle-orm";
import { createHash, randomInt } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { schema } from "../platform/schema.server";
import { vnDate } from "../../core/calendar/working-days";
import { storedAnswers, type AnswerValue } from "../../core/forms/answers-schema";
import { resultFieldsOf, resultValueText, type ResultFields } from "../../core/results/result-fields";
import { localText } from "../../core/text/local-text";
import { makeVerificationCode, parseVerificationCode, verifyResultSignature } from "../../core/results/verification";
import { selectDossierDetail } from "../dossiers/dossiers.server";
import { db, inTransaction } from "../platform/db.server";
import { env } from "../platform/env.server";
import { recordEvent } from "../statistics/events.server";
import { renderTextPdf, type PdfBlock } from "../platform/pdf.server";
import { qrPng } from "../dossiers/receipt.server";
import { deleteStoredFile, readStoredFile, storeFile } from "../platform/storage.server";
import { createShipmentIn } from "../delivery/shipments.server";
import { applyTransition, type Actor, type IssuedResult, type TransitionOutcome } from "../dossiers/workflow.server";
import { formatDate } from "../../utils/format";

/**
 * Result delivery (level 4): an electronic result signed for verification, a postal parcel
 * through the post simulator, or a hand-over at the counter — all driven through the one
 * state machine (workflow.server.ts).
 */
const KEYWORD_PREFIX = "verification-code:";

type DossierDetail = NonNullable<Awaited<ReturnType<typeof loadDossier>>>;

/**
 * The e-result made from the result fields the officer filled: the agency, the national motto, what
 * was decided (each result field with its value), who issued it and when, and the verification code
 * with its QR code. Its code is also in the document's keywords, so /verify can read an uploaded copy.
 */
async function renderResultPdf(input: {
  code: string;
  verifyUrl: string;
  found: DossierDetail;
  fields: ResultFields;
  values: Record<string, AnswerValue>;
  issuedOn: string;
  officerName: string | null;
}) {
  const { dossier, procedure, agency } = input.found;
  const content = input.fields.flatMap((field): PdfBlock[] => {
    const text = resultValueText(field, input.values[field.name], "vi");
    if (!text) return [];
    return field.type === "textarea"
      ? [{ text: `${field.label.vi}:`, bold: true, gapBefore: 8 }, { text }]
      : [{ text: `${field.label.vi}: ${text}`, gapBefore: 4 }];
  });
  const bytes = await renderTextPdf({
    title: `${procedure.nameVi} — ${dossier.receiptCode ?? ""}`,
    blocks: [
      { text: agency.nameVi.toUpperCase(), bold: true, center: true },
      { text: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold: true, center: true, gapBefore: 6 },
      { text: "Độc lập - Tự do - Hạnh phúc", center: true },
      { text: "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH", bold: true, center: true, size: 14, gapBefore: 18 },
      { text: "(Bản điện tử)", center: true },
      { text: `Thủ tục: ${procedure.nameVi} (${procedure.code})`, gapBefore: 14 },
      { text: `Mã hồ sơ: ${dossier.receiptCode ?? ""}`, gapBefore: 4 },
      { text: `Người yêu cầu: ${dossier.applicantName ?? ""}`, gapBefore: 4 },
      { text: "NỘI DUNG KẾT QUẢ", bold: true, gapBefore: 16 },
      ...content,
      { text: `Ngày cấp: ${formatDate(input.issuedOn, "vi")}`, gapBefore: 16 },
      { text: `Cơ quan cấp: ${agency.nameVi}`, gapBefore: 4 },
      ...(input.officerName ? [{ text: `Cán bộ giải quyết: ${input.officerName}`, gapBefore: 4 }] : []),
      { text: `Mã xác thực: ${input.code}`, bold: true, gapBefore: 14 },
      { png: await qrPng(input.verifyUrl), width: 110, gapBefore: 6 },
      { text: `Kiểm tra tính xác thực tại: ${input.verifyUrl}`, size: 9, gapBefore: 4 },
    ],
    footer: `Bản điện tử có giá trị như bản giấy khi xác thực thành công. Mã xác thực ${input.code}.`,
  });
  const doc = await PDFDocument.load(bytes);
  doc.setKeywords([`${KEYWORD_PREFIX}${input.code}`]);
  doc.setCreationDate(new Date(`${input.issuedOn}T00:00:00Z`));
  doc.setModificationDate(new Date(`${input.issuedOn}T00:00:00Z`));
  return doc.save();
}

async function loadDossier(dossierId: number) {
  const [found] = await selectDossierDetail().where(eq(schema.dossiers.id, dossierId)).limit(1);
  return found;
}

/** What the officer gives to issue a result: the procedure's result fields filled, or the signed document. */
export type ResultContent = { source: "fields"; values: Record<string, AnswerValue> } | { source: "upload"; bytes: Uint8Array; fileName: string };

/**
 * An officer issues the result (processing → result ready), which needs the result itself: its PDF is
 * made from the filled result fields, or is the uploaded signed document as it is. Either way it gets
 * a verification code and a signature over its bytes, is stored first (outside the transaction: no file
 * I/O while it holds the write lock) and is written with the move and its events in one transaction;
 * if the move is refused, the file is removed. By post, a parcel is created with the post simulator
 * in the same transaction.
 */
export async function issueResult(input: {
  dossierId: number;
  actor: Actor;
  content: ResultContent;
  expectedVersion?: number;
  origin: string;
  now?: Date;
}): Promise<TransitionOutcome> {
  const now = input.now ?? new Date();
  const found = await loadDossier(input.dossierId);
  if (!found) return { ok: false, error: "not_found" };
  const code = makeVerificationCode(Array.from({ length: 12 }, () => randomInt(32)));
  const { content } = input;
  const [officer] =
    input.actor.id === null ? [] : await db().select({ name: schema.users.fullName }).from(schema.users).where(eq(schema.users.id, input.actor.id)).limit(1);
  const officerName = officer?.name ?? null;
  const pdf =
    content.source === "fields"
      ? await renderResultPdf({
          code,
          verifyUrl: `${input.origin}/verify?code=${code}`,
          found,
          fields: resultFieldsOf(found.procedure.resultFields),
          values: content.values,
          issuedOn: vnDate(now),
          officerName,
        })
      : content.bytes;
  const result: IssuedResult = {
    verificationCode: code,
    sha256: createHash("sha256").update(pdf).digest("hex"),
    storageKey: await storeFile(pdf),
    source: content.source,
    content: content.source === "fields" ? content.values : null,
    fileName: content.source === "upload" ? content.fileName : null,
  };
  const outcome = await applyTransition({
    dossierId: input.dossierId,
    action: "issueResult",
    actor: input.actor,
    expectedVersion: input.expectedVersion,
    now,
    result,
    // A result sent by post leaves with its parcel, in the same transaction as the move.
    extra: async (tx, updated) => {
      if (updated.deliveryMode === "post") await createShipmentIn(tx, { dossier: updated, actor: input.actor, now });
    },
  });
  if (!outcome.ok) await deleteStoredFile(result.storageKey);
  return outcome;
}

/** A dossier's issued result as the officer's and the citizen's pages show it: what it says, not its bytes. */
export async function resultSummary(input: { dossierId: number; procedureResultFields: unknown; language: string }) {
  const [row] = await db().select().from(schema.results).where(eq(schema.results.dossierId, input.dossierId)).limit(1);
  if (!row) return null;
  const values = row.content ? storedAnswers(row.content) : {};
  const rows = resultFieldsOf(input.procedureResultFields).flatMap((field) => {
    const value = resultValueText(field, values[field.name], input.language);
    return value ? [{ label: localText(field.label, input.language), value }] : [];
  });
  return { verificationCode: row.verificationCode, issuedAt: row.issuedAt.toISOString(), source: row.source, fileName: row.fileName, rows };
}
export type ResultSummaryData = NonNullable<Awaited<ReturnType<typeof resultSummary>>>;

/** The citizen's electronic result. The first download completes delivery (result ready → returned). */
export async function downloadResult(input: { dossierId: number; applicantId: number; now?: Date }) {
  const found = await loadDossier(input.dossierId);
  if (!found || (await accessTo(input.applicantId, found.dossier)) === null) return null;
  // The citizen downloads the result when it is delivered online; by post or at the counter it is handed over.
  if (found.dossier.deliveryMode !== "online") return null;
  const [result] = await db().select().from(schema.results).where(eq(schema.results.dossierId, input.dossierId)).limit(1);
  if (!result) return null;
  const bytes = await readStoredFile(result.storageKey);
  const now = input.now ?? new Date();
  await inTransaction((tx) =>
    recordEvent(tx, {
      type: "result_downloaded",
      occurredAt: now,
      dossierId: found.dossier.id,
      procedureId: found.procedure.id,
      agencyId: found.dossier.agencyId,
      actorId: input.applicantId,
      actorRole: "citizen",
      channel: found.dossier.channel,
    }),
  );
  if (found.dossier.status === 9) await applyTransition({ dossierId: input.dossierId, action: "returnResult", actor: { id: null, role: "system" }, now });
  // An uploaded signed document keeps its own name (made safe when it was uploaded).
  return { bytes, fileName: result.source === "upload" && result.fileName ? result.fileName : `ket-qua-${found.dossier.receiptCode ?? found.dossier.id}.pdf` };
}

export type Verification =
  | {
      status: "authentic";
      code: string;
      procedureVi: string;
      procedureEn: string | null;
      agencyVi: string;
      agencyEn: string | null;
      issuedAt: Date;
      holder: string;
    }
  | { status: "altered"; code: string }
  | { status: "unknown" };

async function authentic(row: typeof schema.results.$inferSelect): Promise<Verification> {
  const found = await loadDossier(row.dossierId);
  if (!found) return { status: "unknown" };
  const holder = found.dossier.applicantName ?? "";
  // Only initials: the verify page is public.
  const initials = holder
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w[0] ?? ""}.`)
    .join(" ");
  return {
    status: "authentic",
    code: row.verificationCode,
    procedureVi: found.procedure.nameVi,
    procedureEn: found.procedure.nameEn,
    agencyVi: found.agency.nameVi,
    agencyEn: found.agency.nameEn,
    issuedAt: row.issuedAt,
    holder: initials,
  };
}

/** Verifies a presented code, or an uploaded copy of the document (which must be byte-for-byte the one issued). */
export async function verifyResult(input: { code?: string | null; file?: Uint8Array | null }): Promise<Verification> {
  const secret = env().RESULT_SIGNING_SECRET;
  if (input.file && input.file.length > 0) {
    const sha256 = createHash("sha256").update(input.file).digest("hex");
    const [exact] = await db().select().from(schema.results).where(eq(schema.results.sha256, sha256)).limit(1);
    if (exact && verifyResultSignature({ code: exact.verificationCode, sha256, secret, signature: exact.signature })) return authentic(exact);
    const claimed = await readEmbeddedCode(input.file);
    return claimed ? { status: "altered", code: claimed } : { status: "unknown" };
  }
  const code = parseVerificationCode(input.code ?? "");
  if (!code) return { status: "unknown" };
  const [row] = await db().select().from(schema.results).where(eq(schema.results.verificationCode, code)).limit(1);
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

/** Whether an electronic result exists for the dossier and is delivered online (its owner may download it). */
export async function resultAvailable(dossierId: number): Promise<boolean> {
  const found = await db()
    .select({ id: schema.results.id })
    .from(schema.results)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.results.dossierId))
    .where(and(eq(schema.results.dossierId, dossierId), eq(schema.dossiers.deliveryMode, "online")))
    .limit(1);
  return found.length > 0;
}
