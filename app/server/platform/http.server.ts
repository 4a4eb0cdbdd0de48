import { isNotFound, type NotFound } from "../../core/outcome";

/**
 * The one place where the data layer's answers become HTTP (decision 022). Stores return a row or null,
 * or a typed outcome (`NOT_FOUND`, `{ ok: false, error }`); they never throw Responses. Loaders and actions use these.
 */

/** Stops the loader or action with a 404 page (the app's error boundary renders it). */
export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}

/** The value a lookup found, or a 404: a missing row and a row that is not yours answer the same. */
export function found<T>(value: T | NotFound | null | undefined): Exclude<T, NotFound> {
  if (value === null || value === undefined || isNotFound(value)) notFound();
  return value as Exclude<T, NotFound>; // a type guard cannot narrow a type parameter
}

/**
 * A PDF answer: shown in the browser ("inline", the receipts) or saved ("attachment", results and
 * templates). Personal papers are never cached on the way; a counted download asks again each time.
 */
export function pdfResponse(
  document: { fileName: string; pdf: Uint8Array },
  options: { disposition?: "inline" | "attachment"; cacheControl?: string } = {},
): Response {
  return new Response(new Uint8Array(document.pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `${options.disposition ?? "inline"}; filename="${document.fileName}"`,
      "Cache-Control": options.cacheControl ?? "private, no-store",
    },
  });
}
