import { LRUCache } from "lru-cache";
import { catalogGeneration } from "./catalog-version.server";
import { languageOfCookies } from "../platform/i18n.server";
import { SplicedText } from "../platform/spliced-text.server";

/**
 * Whole pages for visitors who are not signed in, kept per address and language until the catalog
 * changes: the home page, the catalog with its searches, a procedure's page. Rendering one costs
 * ~4 ms of CPU (React, the strings, the route data written into the page) against ~0.05 ms to send
 * a kept one (docs/performance.md), and these are the pages everyone opens. What makes it safe:
 *
 * - Only pages whose every route says so (`handle.pageCache`), answered 200, to a request with no
 *   session cookie, rendered without a signed-in user and without setting a cookie. Anyone with a
 *   session cookie is never answered from here, so nobody sees another person's page.
 * - The key carries the catalog's generation read *before* the page's loaders ran: a change made
 *   while it rendered leaves it under a generation no one asks for again. Another process's
 *   changes reach it within a second (shared-generations.server.ts); a TTL bounds what a change
 *   written by hand could leave stale, as for the catalog's own caches.
 * - The CSP nonce is fresh on every answer: the kept page holds the places where its nonce was, and
 *   each answer writes the new one there (a nonce seen once must not unlock the next page).
 * - Kept compressed too (platform/spliced-text.server.ts): an answer adds only its nonce, uncompressed.
 * - What a page's loader records (a procedure's view, an event of the statistics) is recorded again
 *   on every answer from here: the loader registers it with `repeatOnHit`.
 */
export type PageCacheSlot = {
  /** The address's key when the request may be answered from, or stored in, the cache; null otherwise. */
  readonly key: string | null;
  /** What the page's loader did that must happen again each time the kept page is sent. */
  readonly repeats: Repeat[];
  repeatOnHit(repeat: Repeat): void;
};

/**
 * What the cache reads of a request: server.js asks before it builds the Fetch Request Remix needs,
 * which costs more than sending a kept page.
 */
export type Visit = { method: string; url: string; cookie: string | null; userAgent: string; acceptsGzip: boolean };

type Repeat = (visit: Pick<Visit, "userAgent">) => unknown;

type KeptPage = { text: SplicedText; headers: [string, string][]; repeats: Repeat[] };

/** A kept page as server.js sends it. */
export type KeptAnswer = { headers: [string, string][]; body: Buffer };

const MAX_BYTES = 32 * 1024 * 1024;

const pages = new LRUCache<string, KeptPage>({
  maxSize: MAX_BYTES,
  sizeCalculation: (page) => page.text.size + 1024,
  ttl: 5 * 60_000,
});

const SESSION_COOKIE = /(?:^|;\s*)__session=/;

/** Called first for every request: the kept page for it (sent gzip-compressed when accepted), or the slot its rendering may fill. */
export async function pageFromCache(visit: Visit, nonce: string): Promise<{ answer: KeptAnswer | null; slot: PageCacheSlot }> {
  const key = await cacheKey(visit);
  const repeats: Repeat[] = [];
  const slot: PageCacheSlot = { key, repeats, repeatOnHit: (repeat) => repeats.push(repeat) };
  const kept = key === null ? undefined : pages.get(key);
  if (!kept) return { answer: null, slot };
  for (const repeat of kept.repeats) await repeat(visit);
  const body = visit.acceptsGzip ? kept.text.gzipWith(nonce) : kept.text.plainWith(nonce);
  const headers: [string, string][] = [...kept.headers, ["X-Page-Cache", "hit"], ["Vary", "Accept-Encoding"], ["Content-Length", String(body.length)]];
  if (visit.acceptsGzip) headers.push(["Content-Encoding", "gzip"]);
  return { answer: { headers, body }, slot };
}

async function cacheKey(visit: Visit): Promise<string | null> {
  if (visit.method !== "GET") return null;
  if (SESSION_COOKIE.test(visit.cookie ?? "")) return null;
  // Single-fetch data requests (client navigations) are answered by the loaders, not rendered.
  const [pathname = ""] = visit.url.split("?", 1);
  if (!pathname.startsWith("/") || pathname.endsWith(".data")) return null;
  return `${catalogGeneration()}|${await languageOfCookies(visit.cookie)}|${visit.url}`;
}

/** What entry.server.tsx knows of a rendered page, to decide whether it may be kept. */
export type RenderedPage = {
  status: number;
  headers: Headers;
  /** The page as rendered: decoded only when it is kept (most pages are not). */
  body: Buffer;
  nonce: string;
  /** Every matched route's `handle` but the root's. */
  handles: unknown[];
  /** Whether the page was rendered for a signed-in user (the root loader's answer). */
  signedIn: boolean;
};

/** Keeps a rendered page when the slot and the page allow it; the page is sent as it is either way. */
export function keepPage(slot: PageCacheSlot | undefined, page: RenderedPage): void {
  if (!slot?.key || page.status !== 200 || page.signedIn || page.headers.has("set-cookie")) return;
  if (page.handles.length === 0 || !page.handles.every(allowsPageCache)) return;
  // Without a nonce the cut would be meaningless; a page rendered without one is not kept.
  if (page.nonce.length < 16) return;
  const headers = [...page.headers.entries()].filter(([name]) => name !== "content-length" && name !== "content-encoding" && name !== "vary");
  pages.set(slot.key, { text: new SplicedText(page.body.toString("utf8").split(page.nonce)), headers, repeats: [...slot.repeats] });
}

/** A route's `handle` that lets its page be kept: `{ pageCache: true }`. */
function allowsPageCache(handle: unknown): boolean {
  return typeof handle === "object" && handle !== null && "pageCache" in handle && handle.pageCache === true;
}
