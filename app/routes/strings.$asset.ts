import type { LoaderFunctionArgs } from "@remix-run/node";
import { isLanguage } from "~/i18n";
import { PAGE_GROUP_SETS } from "~/server/platform/page-string-sets.server";
import { stringsAsset } from "~/server/platform/i18n.server";

const ASSET = /^(vi|en)-(citizen|staff)-([0-9a-f]{12})(?:-([a-z_]+(?:\.[a-z_]+)*))?\.js$/;

/**
 * The browser's strings (root.tsx puts this script in every page's head; a page reached by a link
 * loads its own groups). The name carries the set's version (a hash of its text) and the page's
 * groups: the current version is cached for a year; a page rendered before a deploy asks for an
 * older one and gets today's strings, not cached.
 */
export function loader({ params, request }: LoaderFunctionArgs) {
  const match = ASSET.exec(params.asset ?? "");
  const language = match?.[1];
  const set = match?.[2] === "staff" ? "staff" : "citizen";
  // Only the group lists pages have (decision 019): any other name is not an asset, and is not made.
  const groups = match?.[4];
  if (!match || !isLanguage(language) || (groups !== undefined && (set === "staff" || !PAGE_GROUP_SETS.has(groups))))
    throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const asset = stringsAsset(language, set, {}, groups?.split(".") ?? []);
  const headers = new Headers({
    "Content-Type": "text/javascript; charset=utf-8",
    "Cache-Control": match[3] === asset.hash ? "public, max-age=31536000, immutable" : "no-cache",
    Vary: "Accept-Encoding",
  });
  // Sent as compressed once at start-up (brotli first), else as text.
  const accepted = acceptedEncodings(request.headers.get("Accept-Encoding"));
  const encoded = accepted.has("br") ? { name: "br", bytes: asset.brotli } : accepted.has("gzip") ? { name: "gzip", bytes: asset.gzip } : null;
  if (!encoded) return new Response(asset.body, { headers });
  headers.set("Content-Encoding", encoded.name);
  headers.set("Content-Length", String(encoded.bytes.length));
  return new Response(new Uint8Array(encoded.bytes), { headers });
}

/** The codings an Accept-Encoding header allows ("br;q=0" refuses brotli). */
function acceptedEncodings(header: string | null): Set<string> {
  const allowed = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && !(q && Number(q.slice(2)) === 0)) allowed.add(name);
  }
  return allowed;
}
