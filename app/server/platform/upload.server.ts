import { Busboy, type BusboyInstance } from "@fastify/busboy";
import { bodyKind, MAX_FIELD_BYTES, MAX_PARTS, type BodyPolicy } from "../../core/http/body-limits";
import { bodyPolicyFor } from "./body-limits.server";

export type ParsedForm = { form: FormData; oversized: Set<string> } | { error: "too_large" | "malformed" };

/**
 * Reads a form post, with or without files. server.js has already bounded the body by the route's
 * limit (./body-limits.server.ts); here each part is checked against the route's form: only its own
 * file fields are kept (one file each), a file over its field's limit is dropped and reported by
 * field name (so the rest of the form still arrives and nothing typed is lost), and too many parts
 * or a text part over 64 KiB end the parse as too large.
 *
 * Multipart is parsed with @fastify/busboy rather than Remix's parser, which refuses file names with
 * `=` or `;` that browsers send (docs/decisions/012-multipart-parser.md).
 */
export async function readForm(request: Request): Promise<ParsedForm> {
  const type = request.headers.get("content-type") ?? "";
  if (bodyKind(type) !== "multipart") {
    try {
      const form = await request.formData();
      return holdsNul(form) ? { error: "malformed" } : { form, oversized: new Set() };
    } catch {
      return { error: "malformed" };
    }
  }
  const url = new URL(request.url);
  const parsed = await parseMultipart(request, type, await bodyPolicyFor(url.pathname, url.search));
  return "form" in parsed && holdsNul(parsed.form) ? { error: "malformed" } : parsed;
}

/**
 * Whether a value or a file name of the form holds a NUL character. No one can type it, and
 * PostgreSQL refuses it in text and jsonb (answers are jsonb): a form holding one is malformed, a
 * 400 for every action alike, never a 500 on one database and a stored answer on the other.
 */
export function holdsNul(form: FormData): boolean {
  for (const value of form.values()) if ((typeof value === "string" ? value : value.name).includes("\0")) return true;
  return false;
}

/**
 * A file name as the browser sent it: browsers write `"`, CR and LF as %22, %0D and %0A inside the
 * quoted name (HTML's multipart/form-data encoding) and everything else as is, in UTF-8.
 */
export function browserFileName(sent: string): string {
  return sent.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
}

function parseMultipart(request: Request, contentType: string, policy: BodyPolicy): Promise<ParsedForm> {
  const body = request.body;
  if (!body) return Promise.resolve({ error: "malformed" });
  let parser: BusboyInstance;
  try {
    parser = new Busboy({
      headers: { "content-type": contentType },
      limits: { parts: MAX_PARTS, fields: MAX_PARTS, files: MAX_PARTS, fieldSize: MAX_FIELD_BYTES, fieldNameSize: 100, headerPairs: 20 },
    });
  } catch {
    return Promise.resolve({ error: "malformed" }); // no boundary, or not multipart at all
  }
  const form = new FormData();
  const oversized = new Set<string>();
  const files: Promise<void>[] = [];
  let failure: "too_large" | "malformed" | null = null;
  const fail = (why: "too_large" | "malformed") => (failure ??= why);

  parser.on("field", (name, value, nameTruncated, valueTruncated) => {
    if (nameTruncated || valueTruncated) fail("too_large");
    else form.append(name, value);
  });
  parser.on("file", (name, stream, sentFilename, _encoding, mimeType) => {
    // A part with no filename parameter at all (not a browser, but a client may send one) comes with an
    // undefined name despite the type: it is a nameless file, never a crash of the whole server.
    const filename: string = typeof sentFilename === "string" ? sentFilename : "";
    const limit = policy.files[name];
    // Not one of this form's file fields, or a second file for the same field: read past, not kept.
    if (limit === undefined || form.has(name) || oversized.has(name)) {
      // Read past, but a body cut off inside this part still fails the post (not the process: an unheard 'error' throws).
      stream.on("error", () => fail("malformed"));
      stream.resume();
      return;
    }
    files.push(
      new Promise<void>((resolve) => {
        const chunks: Uint8Array<ArrayBuffer>[] = [];
        let size = 0;
        stream.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size <= limit) chunks.push(new Uint8Array(chunk));
        });
        stream.on("end", () => {
          if (size > limit) oversized.add(name);
          else if (size > 0 || filename !== "") form.append(name, new File(chunks, browserFileName(filename), { type: mimeType }));
          resolve();
        });
        stream.on("error", () => {
          fail("malformed");
          resolve();
        });
      }),
    );
  });
  for (const limit of ["partsLimit", "filesLimit", "fieldsLimit"]) parser.on(limit, () => fail("too_large"));

  return new Promise((resolve) => {
    const done = () => {
      void Promise.all(files).then(() => resolve(failure ? { error: failure } : { form, oversized }));
    };
    parser.on("finish", done);
    parser.on("error", () => {
      fail("malformed"); // a truncated or forged body is the sender's fault: a 400, never a 500
      done();
    });
    pump(body, parser).catch(() => parser.destroy(new Error("request body failed")));
  });
}

/** Feeds the request body to the parser, waiting when it is busy. */
async function pump(body: ReadableStream<Uint8Array>, parser: BusboyInstance): Promise<void> {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done || parser.destroyed) break;
    if (!parser.write(value)) {
      await new Promise<void>((resolve) => {
        for (const event of ["drain", "close", "error"]) parser.once(event, () => resolve());
      });
    }
  }
  parser.end();
}

/**
 * The body of a plain form post (no files), for actions that do not take uploads. A body that is
 * not a form at all (another Content-Type, a truncated or forged multipart body) is the sender's
 * fault: answered like a guard's refusal, a thrown 400 with a message, never the TypeError that
 * `request.formData()` throws and that would become a 500. Browsers never send such a body, so the
 * error page is enough.
 */
export async function requireFormData(request: Request): Promise<FormData> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw new Response("Bad Request: the request body is not a form", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  if (holdsNul(form))
    throw new Response("Bad Request: the form holds a NUL character, which no answer can contain", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  return form;
}
