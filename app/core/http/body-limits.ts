import type { Field } from "../forms/definition";

/**
 * How much of a request body the portal will read, decided from the route before anything parses it.
 * A plain form post (urlencoded) is small; a multipart post may carry only the files its own form
 * defines, each up to that field's limit. Anything else is refused with 413 (server.js) without being
 * read into memory.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** A plain form post. The officer's and administrators' forms are a few KiB; the apply forms get their own budget. */
export const FORM_BYTES = 64 * KiB;
/** Boundaries and part headers of a multipart body. */
export const MULTIPART_OVERHEAD_BYTES = 64 * KiB;
/** Parts in one multipart post: more than any form has fields (the largest has fewer than 40). */
export const MAX_PARTS = 200;
/** One text part of a multipart post. */
export const MAX_FIELD_BYTES = 64 * KiB;
/** A percent-encoded Vietnamese letter is up to 9 bytes (e.g. "ấ" → "%E1%BA%A5"). */
const BYTES_PER_CHAR = 9;

export type FileLimits = Readonly<Record<string, number>>;

/** What a route takes: the byte budget of its text, and its file fields with each one's limit (none: no files). */
export type BodyPolicy = { textBytes: number; files: FileLimits };

export const PLAIN_POLICY: BodyPolicy = { textBytes: FORM_BYTES, files: {} };

/** The budget for a procedure's form: every text field filled to its maximum length, plus room for the page's own fields. */
export function formPolicy(fields: readonly Field[]): BodyPolicy {
  let chars = 0;
  const files: Record<string, number> = {};
  for (const field of fields) {
    if (field.type === "file") files[field.name] = field.maxSizeMb * MiB;
    else if (field.type === "text" || field.type === "textarea") chars += field.maxLength;
    else if (field.type === "checkbox" || field.type === "select" || field.type === "radio") chars += 40 * Math.max(1, field.options?.length ?? 1);
    else chars += 300; // address, e-mail, phone, ID number, date, number
  }
  return { textBytes: Math.max(FORM_BYTES, chars * BYTES_PER_CHAR + 16 * KiB), files };
}

export type BodyKind = "multipart" | "other";

export function bodyKind(contentType: string | undefined | null): BodyKind {
  return /^multipart\/form-data\s*;/i.test(contentType ?? "") ? "multipart" : "other";
}

/**
 * The most bytes a body may have. A multipart body may carry each of its form's files at its limit,
 * plus one file over its limit by up to that limit again: that file is then refused as a field error
 * ("the file is too large") with the rest of the form kept, rather than the whole post as too large.
 */
export function maxBodyBytes(policy: BodyPolicy, kind: BodyKind): number {
  if (kind !== "multipart") return policy.textBytes;
  const limits = Object.values(policy.files);
  if (limits.length === 0) return policy.textBytes + MULTIPART_OVERHEAD_BYTES;
  return policy.textBytes + MULTIPART_OVERHEAD_BYTES + limits.reduce((a, b) => a + b, 0) + Math.max(...limits);
}

/** Routes whose form takes files, by path; the server resolves each to its form's fields. */
export type UploadRoute =
  | { kind: "apply"; procedureCode: string }
  | { kind: "supplement"; receiptCode: string }
  | { kind: "intake"; procedureCode: string }
  | { kind: "verify" }
  /** The "for whom" step: an authorised adult's authorisation document (decision 036). */
  | { kind: "authorisation" }
  | { kind: "reported" }
  | { kind: "result" }
  /** The form builder's preview of a procedure's draft (its files are checked, never kept). */
  | { kind: "form-preview"; procedureCode: string };

/**
 * The page's own path for a single-fetch request: Remix's browser code posts a form to `<path>.data`
 * (`/_root.data` for the home page) when JavaScript runs.
 */
export function routePath(pathname: string): string {
  const bare = pathname.endsWith(".data") ? pathname.slice(0, -".data".length) : pathname;
  return bare === "/_root" ? "/" : bare;
}

export function uploadRouteOf(rawPathname: string, search: string): UploadRoute | null {
  const pathname = routePath(rawPathname);
  const apply = /^\/procedures\/([^/]+)\/apply\/?$/.exec(pathname);
  if (apply) return { kind: "apply", procedureCode: safeDecode(apply[1] ?? "") };
  const supplement = /^\/applications\/([^/]+)\/supplement\/?$/.exec(pathname);
  if (supplement) return { kind: "supplement", receiptCode: safeDecode(supplement[1] ?? "") };
  if (/^\/officer\/intake\/form\/?$/.test(pathname)) return { kind: "intake", procedureCode: new URLSearchParams(search).get("procedure") ?? "" };
  if (/^\/verify\/?$/.test(pathname)) return { kind: "verify" };
  if (/^\/procedures\/[^/]+\/apply\/for\/?$/.test(pathname)) return { kind: "authorisation" };
  if (/^\/officer\/dossiers\/[^/]+\/issue-result\/?$/.test(pathname)) return { kind: "result" };
  if (/^\/admin\/statistics\/reported\/?$/.test(pathname)) return { kind: "reported" };
  const preview = /^\/admin\/forms\/([^/]+)\/preview(?:\/no-script)?\/?$/.exec(pathname);
  if (preview) return { kind: "form-preview", procedureCode: safeDecode(preview[1] ?? "") };
  return null;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return "";
  }
}

/** Whether the request is an API call (answered in plain text) rather than a browser's form post (answered with a page). */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}
