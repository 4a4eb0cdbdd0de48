import type { Field } from "./definition";

/**
 * What one draft may hold: up to its `maxFiles` per file field (with one, a new upload replaces it), and never
 * more than these, whatever the form (a form's fields may change between versions).
 */
export const MAX_DRAFT_FILES = 20;
export const MAX_DRAFT_BYTES = 50 * 1024 * 1024;

export type FileKind = "pdf" | "jpeg" | "png";
export const MIME_TYPES: Record<FileKind, string> = { pdf: "application/pdf", jpeg: "image/jpeg", png: "image/png" };

/** What a file really is, from its first bytes; the name and the browser's Content-Type are not trusted. */
export function detectFileKind(bytes: Uint8Array): FileKind | null {
  const starts = (sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return "pdf"; // %PDF-
  if (starts([0xff, 0xd8, 0xff])) return "jpeg";
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  return null;
}

export type AttachmentCheck = { ok: true; kind: FileKind } | { ok: false; error: "form.errors.file_empty" | "form.errors.file_type" | "form.errors.file_size" };
export type AttachmentError = Extract<AttachmentCheck, { ok: false }>["error"] | "form.errors.too_many_files";

export function checkAttachment(field: Extract<Field, { type: "file" }>, bytes: Uint8Array): AttachmentCheck {
  return checkFile(field, bytes.length, bytes);
}

/** Bytes detectFileKind reads: enough for the browser to check a chosen file without reading all of it. */
export const FILE_HEAD_BYTES = 8;

/**
 * The same check from a file's size and its first bytes (at least FILE_HEAD_BYTES): the server
 * passes the whole file, the browser only its head, so a wrong or too-large file is reported with
 * the form's other errors before anything is sent.
 */
export function checkFile(field: Extract<Field, { type: "file" }>, size: number, head: Uint8Array): AttachmentCheck {
  if (size === 0) return { ok: false, error: "form.errors.file_empty" };
  if (size > field.maxSizeMb * 1024 * 1024) return { ok: false, error: "form.errors.file_size" };
  const kind = detectFileKind(head);
  if (!kind || !field.accept.includes(kind)) return { ok: false, error: "form.errors.file_type" };
  return { ok: true, kind };
}

/** A display name that cannot climb folders or smuggle control characters; storage uses a random key anyway. */
export function safeFileName(name: string, kind: FileKind): string {
  const base = (name.split(/[\\/]/).pop() ?? "")
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}<>:"|?*]/gu, "")
    .replace(/^\.+/, "")
    .trim()
    .slice(0, 120);
  const ext = kind === "jpeg" ? "jpg" : kind;
  const stem = base.replace(/\.[^.]*$/, "") || "tep-dinh-kem";
  return `${stem}.${ext}`;
}

export type FileField = Extract<Field, { type: "file" }>;

/**
 * The browser's check of the files a form post carries, with the rest of the form, so every error
 * is reported in one round: each chosen file by its size and first bytes (checkFile); a field left
 * without a file gets `missing(field)`'s message, if any (null: no file needed).
 */
export async function checkChosenFiles(input: {
  fields: readonly FileField[];
  form: FormData;
  missing: (field: FileField) => string | null;
}): Promise<Record<string, string>> {
  const errors: Record<string, string> = {};
  for (const field of input.fields) {
    // An <input type="file"> left empty posts a nameless empty file.
    const files = input.form.getAll(field.name).filter((f): f is File => f instanceof File && !(f.size === 0 && f.name === ""));
    if (files.length === 0) {
      const message = input.missing(field);
      if (message) errors[field.name] = message;
      continue;
    }
    if (files.length > field.maxFiles) {
      errors[field.name] = "form.errors.too_many_files";
      continue;
    }
    for (const file of files) {
      const head = new Uint8Array(await file.slice(0, FILE_HEAD_BYTES).arrayBuffer());
      const checked = checkFile(field, file.size, head);
      if (!checked.ok) {
        errors[field.name] = checked.error;
        break;
      }
    }
  }
  return errors;
}
