import type { Field } from "./definition";

/**
 * What one draft may hold: a file per file field (a new upload replaces the field's file), and never
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

export function checkAttachment(field: Extract<Field, { type: "file" }>, bytes: Uint8Array): AttachmentCheck {
  if (bytes.length === 0) return { ok: false, error: "form.errors.file_empty" };
  if (bytes.length > field.maxSizeMb * 1024 * 1024) return { ok: false, error: "form.errors.file_size" };
  const kind = detectFileKind(bytes);
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
