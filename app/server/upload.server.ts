import { MaxPartSizeExceededError, unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

const FILE_LIMIT = 10 * 1024 * 1024;
const TEXT_LIMIT = 64 * 1024;

export type ParsedForm = { form: FormData; oversized: Set<string> } | { error: "too_large" | "malformed" };

/**
 * Reads a form post, with or without files. A file over the hard limit is
 * drained and reported by field name (so the rest of the form still arrives and
 * nothing typed is lost); a text part over 64 KiB ends the parse as too large.
 */
export async function readForm(request: Request): Promise<ParsedForm> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("multipart/form-data")) {
    try {
      return { form: await request.formData(), oversized: new Set() };
    } catch {
      return { error: "malformed" };
    }
  }
  const oversized = new Set<string>();
  const files: UploadHandler = async ({ name, filename, contentType, data }) => {
    if (filename === undefined) return undefined;
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.length;
      if (size <= FILE_LIMIT) chunks.push(new Uint8Array(chunk));
    }
    if (size > FILE_LIMIT) {
      oversized.add(name);
      return undefined;
    }
    if (size === 0 && filename === "") return undefined; // an empty file input
    return new File(chunks, filename, { type: contentType });
  };
  try {
    const form = await unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(files, unstable_createMemoryUploadHandler({ maxPartSize: TEXT_LIMIT })));
    return { form, oversized };
  } catch (error) {
    // A truncated or forged body is the sender's fault: a 400, never a 500.
    return { error: error instanceof MaxPartSizeExceededError ? "too_large" : "malformed" };
  }
}

/**
 * The body of a plain form post (no files), for actions that do not take uploads. A body that is
 * not a form at all (another Content-Type, a truncated or forged multipart body) is the sender's
 * fault: answered like a guard's refusal, a thrown 400 with a message, never the TypeError that
 * `request.formData()` throws and that would become a 500. Browsers never send such a body, so the
 * error page is enough.
 */
export async function requireFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response("Bad Request: the request body is not a form", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
}
