import type { IncomingMessage } from "node:http";
import { allFields } from "../../core/forms/definition";
import { bodyKind, formPolicy, isApiPath, maxBodyBytes, PLAIN_POLICY, uploadRouteOf, type BodyPolicy } from "../../core/http/body-limits";
import { AUTHORISATION_UPLOAD } from "../../core/dossiers/representation";
import { RESULT_FILE_FIELD } from "../../core/results/result-fields";
import { MAX_REPORTED_BYTES } from "../../core/statistics/reported";
import { getForm, getProcedure } from "../catalog/catalog.server";
import { getTFor, languageCookie } from "./i18n.server";
import { isLanguage, DEFAULT_LANGUAGE } from "../../i18n";
import { dossierFormByReceipt } from "../dossiers/supplement.server";
import { draftDefinitionOf } from "../forms/form-drafts.server";

/** A result PDF to verify: the portal's own are far smaller. */
const VERIFY_FILE_BYTES = 10 * 1024 * 1024;

/** What the route at this address takes (its form's text budget and file fields); a plain form post when it takes no files. */
export async function bodyPolicyFor(pathname: string, search: string): Promise<BodyPolicy> {
  const route = uploadRouteOf(pathname, search);
  if (!route) return PLAIN_POLICY;
  switch (route.kind) {
    case "apply":
    case "intake": {
      const procedure = await getProcedure(route.procedureCode);
      const form = procedure ? await getForm(procedure.procedure.id) : null;
      return form ? formPolicy(allFields(form.definition)) : PLAIN_POLICY;
    }
    case "supplement": {
      const definition = await dossierFormByReceipt(route.receiptCode);
      return definition ? formPolicy(allFields(definition)) : PLAIN_POLICY;
    }
    case "form-preview": {
      // The draft's files as a citizen would send them (the route itself checks who may preview).
      const definition = await draftDefinitionOf(route.procedureCode);
      return definition ? formPolicy(allFields(definition)) : PLAIN_POLICY;
    }
    case "verify":
      return { ...PLAIN_POLICY, files: { document: VERIFY_FILE_BYTES } };
    case "authorisation":
      return { ...PLAIN_POLICY, files: { [AUTHORISATION_UPLOAD.name]: AUTHORISATION_UPLOAD.maxSizeMb * 1024 * 1024 } };
    case "reported":
      return { ...PLAIN_POLICY, files: { file: MAX_REPORTED_BYTES } };
    case "result":
      // The result fields fit a plain post (core/results/result-fields.ts); the signed PDF has its own limit.
      return { ...PLAIN_POLICY, files: { [RESULT_FILE_FIELD.name]: RESULT_FILE_FIELD.maxSizeMb * 1024 * 1024 } };
  }
}

export type BodyRead = { kind: "read"; body: Buffer } | { kind: "too_large"; limit: number } | { kind: "aborted" };

/**
 * Reads a POST body up to the route's limit, counting bytes as they arrive: Content-Length may be
 * absent (chunked) or wrong. At the first byte over the limit it stops listening and answers
 * too_large; what was read is dropped, nothing more is buffered. Called by server.js before Remix.
 */
export async function readRequestBody(req: IncomingMessage): Promise<BodyRead> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const limit = maxBodyBytes(await bodyPolicyFor(url.pathname, url.search), bodyKind(req.headers["content-type"]));
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: "too_large", limit });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (read: BodyRead) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onAbort);
      req.off("aborted", onAbort);
      resolve(read);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        req.pause();
        done({ kind: "too_large", limit });
      } else chunks.push(chunk);
    };
    const onEnd = () => done({ kind: "read", body: Buffer.concat(chunks, size) });
    const onAbort = () => done({ kind: "aborted" });
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onAbort);
    req.on("aborted", onAbort);
  });
}

/**
 * The 413 answer: a short page in the visitor's language for a browser's form post, plain text for
 * the API. It says that what was saved before is kept (a refused post changes nothing).
 */
export async function tooLargeAnswer(req: IncomingMessage, limit: number): Promise<{ contentType: string; body: string }> {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (isApiPath(url.pathname)) return { contentType: "text/plain; charset=utf-8", body: `Payload Too Large: the body may be at most ${limit} bytes\n` };
  const chosen: unknown = await languageCookie.parse(req.headers.cookie ?? null).catch(() => null);
  const language = isLanguage(chosen) ? chosen : DEFAULT_LANGUAGE;
  const t = await getTFor(language);
  const title = escapeHtml(t("body_limits.title"));
  const message = escapeHtml(t("body_limits.message", { size: formatSize(limit, language) }));
  const back = escapeHtml(t("body_limits.back"));
  const body = `<!DOCTYPE html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body><main><h1>${title}</h1><p>${message}</p><p><a href="${escapeHtml(url.pathname + url.search)}">${back}</a></p></main></body></html>`;
  return { contentType: "text/html; charset=utf-8", body };
}

function formatSize(bytes: number, language: string): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(mb)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
