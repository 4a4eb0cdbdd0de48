import { and, desc, eq, ne } from "drizzle-orm";
import * as z from "zod";
import { STATUS } from "../../core/dossiers/status";
import { vnDate } from "../../core/calendar/working-days";
import { localText } from "../../core/text/local-text";
import { formatDate } from "../../utils/format";
import { checkFile, MIME_TYPES, type FileField } from "../../core/forms/attachments";
import { fileFields, type FormDefinition } from "../../core/forms/definition";
import { schema } from "../platform/schema.server";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { readStoredFile } from "../platform/storage.server";
import { ofDossier, recordEvent } from "../statistics/events.server";
import { ownDossier, placeAttachment, releaseStoredFiles } from "../dossiers/dossiers.server";

/**
 * The citizen's data store (issue 17): the results issued to them and the files they sent with
 * earlier dossiers, listed at /account/documents and offered on a new application's file fields so
 * nothing has to be uploaded twice. A reused document is a second attachment row on the same stored
 * file (no bytes copied), written with a `document_reused` event (the "data reused" statistic).
 *
 * Only files of SUBMITTED dossiers are listed: a draft's files are still the citizen's work in
 * progress (removed or replaced at will, their stored file then deleted), not yet given to any
 * agency, and already on that draft; a result is listed when it is delivered online, the only
 * results the citizen holds electronically (by post or at the counter they get the paper).
 */
export type DocumentSource = "upload" | "result";

export type StoreDocument = {
  /** "upload:12" / "result:3": what the picker posts. */
  ref: string;
  source: DocumentSource;
  id: number;
  fileName: string;
  mimeType: string;
  /** Null for a result (its size is not kept in its row). */
  sizeBytes: number | null;
  date: Date;
  receiptCode: string;
  procedure: { code: string; nameVi: string; nameEn: string | null };
  href: string;
};

/** A result's download name: an uploaded signed document keeps its own, a generated one is named after its dossier. */
function resultFileName(row: { source: string; fileName: string | null }, receiptCode: string) {
  return row.source === "upload" && row.fileName ? row.fileName : `ket-qua-${receiptCode}.pdf`;
}

/** The citizen's documents, newest first: results, then uploads (each stored file once: a reused one is not listed again). */
export async function listOwnDocuments(input: { applicantId: number }): Promise<StoreDocument[]> {
  const procedure = { code: schema.procedures.code, nameVi: schema.procedures.nameVi, nameEn: schema.procedures.nameEn };
  const results = await db()
    .select({ result: schema.results, receiptCode: schema.dossiers.receiptCode, procedure })
    .from(schema.results)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.results.dossierId))
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .where(and(eq(schema.dossiers.applicantId, input.applicantId), eq(schema.dossiers.deliveryMode, "online")))
    .orderBy(desc(schema.results.issuedAt), desc(schema.results.id));
  const uploads = await db()
    .select({ attachment: schema.attachments, receiptCode: schema.dossiers.receiptCode, procedure })
    .from(schema.attachments)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.attachments.dossierId))
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .where(and(eq(schema.dossiers.applicantId, input.applicantId), ne(schema.dossiers.status, STATUS.draft)))
    .orderBy(desc(schema.attachments.createdAt), desc(schema.attachments.id));
  const documents: StoreDocument[] = [];
  for (const { result, receiptCode, procedure: p } of results) {
    if (!receiptCode) continue;
    documents.push({
      ref: `result:${result.id}`,
      source: "result",
      id: result.id,
      fileName: resultFileName(result, receiptCode),
      mimeType: MIME_TYPES.pdf,
      sizeBytes: null,
      date: result.issuedAt,
      receiptCode,
      procedure: p,
      href: `/applications/${receiptCode}/result.pdf`,
    });
  }
  const seen = new Set<string>();
  for (const { attachment: a, receiptCode, procedure: p } of uploads) {
    if (!receiptCode || seen.has(a.storageKey)) continue;
    seen.add(a.storageKey);
    documents.push({
      ref: `upload:${a.id}`,
      source: "upload",
      id: a.id,
      fileName: a.fileName,
      mimeType: a.mimeType,
      sizeBytes: a.sizeBytes,
      date: a.createdAt,
      receiptCode,
      procedure: p,
      href: `/attachments/${a.id}`,
    });
  }
  return documents;
}

/** The picker's choice as posted ("upload:12" / "result:3"); anything else is not a choice. */
export const DocumentRefSchema = z
  .string()
  .regex(/^(upload|result):[1-9]\d{0,15}$/)
  .transform((ref) => {
    const [source, id] = ref.split(":");
    return { source: z.enum(["upload", "result"]).parse(source), id: Number(id) };
  });

/** The documents a file field could take: of a type it accepts and not over its size (a result's size is checked when picked). */
export function documentsFor(field: FileField, documents: readonly StoreDocument[]): StoreDocument[] {
  const kinds = new Set(field.accept.map((kind) => MIME_TYPES[kind]));
  return documents.filter((d) => kinds.has(d.mimeType) && (d.sizeBytes === null || d.sizeBytes <= field.maxSizeMb * 1024 * 1024));
}

/** One of the citizen's own documents by its source and id, with what attaching it needs; undefined when absent or not theirs. */
async function ownDocument(input: { source: DocumentSource; id: number; applicantId: number }) {
  if (input.source === "upload") {
    const [row] = await db()
      .select({ attachment: schema.attachments })
      .from(schema.attachments)
      .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.attachments.dossierId))
      .where(and(eq(schema.attachments.id, input.id), eq(schema.dossiers.applicantId, input.applicantId), ne(schema.dossiers.status, STATUS.draft)))
      .limit(1);
    if (!row) return undefined;
    const a = row.attachment;
    return { dossierId: a.dossierId, fileName: a.fileName, mimeType: a.mimeType, sizeBytes: a.sizeBytes, sha256: a.sha256, key: a.storageKey, head: null };
  }
  const [row] = await db()
    .select({ result: schema.results, receiptCode: schema.dossiers.receiptCode })
    .from(schema.results)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.results.dossierId))
    .where(and(eq(schema.results.id, input.id), eq(schema.dossiers.applicantId, input.applicantId), eq(schema.dossiers.deliveryMode, "online")))
    .limit(1);
  if (!row?.receiptCode) return undefined;
  // Read, not copied: its size and first bytes are checked against the field like an upload's.
  const bytes = await readStoredFile(row.result.storageKey);
  return {
    dossierId: row.result.dossierId,
    fileName: resultFileName(row.result, row.receiptCode),
    mimeType: MIME_TYPES.pdf,
    sizeBytes: bytes.length,
    sha256: row.result.sha256,
    key: row.result.storageKey,
    head: bytes.subarray(0, 8),
  };
}

/** Whether the document's row still refers to its stored file (read in the reuse's transaction). */
async function stillStored(tx: Tx, source: DocumentSource, id: number, key: string): Promise<boolean> {
  const rows =
    source === "upload"
      ? await tx
          .select({ id: schema.attachments.id })
          .from(schema.attachments)
          .where(and(eq(schema.attachments.id, id), eq(schema.attachments.storageKey, key)))
          .limit(1)
      : await tx
          .select({ id: schema.results.id })
          .from(schema.results)
          .where(and(eq(schema.results.id, id), eq(schema.results.storageKey, key)))
          .limit(1);
  return rows.length > 0;
}

export type ReuseOutcome =
  | "added"
  /** The document is not the citizen's (or does not exist), or the draft is not their open draft. */
  | "not_found"
  | "form.errors.file_type"
  | "form.errors.file_size"
  | "form.errors.file_empty"
  | "form.errors.too_many_files"
  | "form.errors.draft_full";

/**
 * Attaches one of the citizen's documents to their draft's file field, as the same stored file, in one
 * transaction with its `document_reused` event. The field's rules apply as to an upload (type, size,
 * number of files, the draft's limits); a replaced file is released once nothing else refers to it.
 */
export async function reuseDocument(input: {
  draftId: number;
  applicantId: number;
  field: FileField;
  source: DocumentSource;
  id: number;
}): Promise<ReuseOutcome> {
  const doc = await ownDocument(input);
  if (!doc) return "not_found";
  const kind = Object.entries(MIME_TYPES).find(([, mime]) => mime === doc.mimeType)?.[0];
  if (!kind || !input.field.accept.some((k) => k === kind)) return "form.errors.file_type";
  if (doc.head) {
    const checked = checkFile(input.field, doc.sizeBytes, doc.head);
    if (!checked.ok) return checked.error;
  } else if (doc.sizeBytes > input.field.maxSizeMb * 1024 * 1024) return "form.errors.file_size";
  const outcome = await inTransaction(async (tx) => {
    const d = await ownDossier(tx, { id: input.draftId, applicantId: input.applicantId });
    if (!d || d.status !== STATUS.draft) return "not_found" as const;
    // Still there under the write lock: a source replaced meanwhile (a supplement) may have its file released.
    if (!(await stillStored(tx, input.source, input.id, doc.key))) return "not_found" as const;
    const placed = await placeAttachment(tx, d, { ...doc, fieldName: input.field.name, maxFiles: input.field.maxFiles, applicantId: input.applicantId });
    if (placed === "field_full") return "form.errors.too_many_files" as const;
    if (placed === "draft_full") return "form.errors.draft_full" as const;
    await recordEvent(tx, {
      type: "document_reused",
      ...ofDossier(d),
      actorId: input.applicantId,
      actorRole: "citizen",
      data: { source: input.source, sourceId: input.id, dossier: d.id, fromDossier: doc.dossierId, field: input.field.name },
    });
    return placed;
  });
  if (!Array.isArray(outcome)) return outcome;
  await releaseStoredFiles(outcome);
  return "added";
}

/** What the form page shows for one file field: its documents as radios, every word already in the page's language. */
export type DocumentPicker = { field: string; legend: string; hint: string; button: string; options: { value: string; label: string }[] };

/**
 * The picker of each shown file field the citizen has a fitting document for, made on the server with
 * its words translated, so the form page adds no client code and no strings for it (its JS budget).
 */
export function documentPickers(input: {
  definition: FormDefinition;
  hidden: ReadonlySet<string>;
  documents: readonly StoreDocument[];
  language: string;
  t: (key: string, options?: Record<string, unknown>) => string;
}): DocumentPicker[] {
  return fileFields(input.definition).flatMap((field) => {
    const fitting = input.hidden.has(field.name) ? [] : documentsFor(field, input.documents);
    if (fitting.length === 0) return [];
    const name = localText(field.label, input.language);
    return [
      {
        field: field.name,
        legend: input.t("data_store.pick_legend", { field: name }),
        hint: input.t("data_store.pick_hint"),
        button: input.t("data_store.pick_button", { field: name }),
        options: fitting.map((d) => ({
          value: d.ref,
          label: input.t("data_store.pick_option", {
            name: d.fileName,
            kind: input.t(`data_store.kind_${d.source}`),
            receipt: d.receiptCode,
            procedure: input.language === "en" && d.procedure.nameEn ? d.procedure.nameEn : d.procedure.nameVi,
            date: formatDate(vnDate(d.date)),
          }),
        })),
      },
    ];
  });
}
