/**
 * Cross-site request forgery: a state-changing request must come from the portal's own pages.
 * Browsers send `Origin` on every POST and `Sec-Fetch-Site` on every request, so a form posted from
 * another site is told apart before it reaches an action. The session cookie is also SameSite=Lax;
 * this check is the second layer (older browsers, same-site subdomains, top-level POST navigations).
 * Pure, so server.js can call it on Express's request and tests can call it on plain values.
 */
export type RequestFacts = {
  method: string;
  /** The path without the query string. */
  path: string;
  /** The Host header the request came in on. */
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
};

const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/** Server-to-server calls, authenticated by their own signature rather than by a browser session. */
const EXEMPT_PATHS: ReadonlySet<string> = new Set(["/api/v1/payments/ipn"]);

export function isCrossSiteRequest(request: RequestFacts): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (EXEMPT_PATHS.has(request.path)) return false;
  if (request.secFetchSite === "cross-site") return true;
  // No Origin at all: not a browser form post (curl, server-to-server); the cookie's SameSite still applies.
  if (request.origin === undefined) return false;
  // "null" is what sandboxed frames, data: URLs and some cross-origin redirects send.
  if (request.origin === "null") return true;
  if (!URL.canParse(request.origin)) return true;
  return new URL(request.origin).host !== request.host;
}
