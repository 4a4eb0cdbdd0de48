import { Writable } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import * as z from "zod";
import { NonceProvider } from "./components/nonce";
import { StringsProvider } from "./components/strings";
import { DEFAULT_LANGUAGE, LANGUAGES } from "./i18n";
import { env } from "./server/platform/env.server";
import { pageStringGroups } from "./page-strings";
import { stringsAsset } from "./server/platform/i18n.server";
import { keepPage } from "./server/catalog/page-cache.server";

// server.js checks every request with it before Remix sees it.
export { isCrossSiteRequest } from "./core/security/same-origin";
// server.js reads every POST body with the route's limit before Remix sees it.
export { readRequestBody, tooLargeAnswer } from "./server/platform/body-limits.server";
// server.js answers 405 to a POST no action takes, before reading its body.
export { createPostCheck } from "./server/platform/method-rule.server";
// server.js prepares the database before it listens and starts the background jobs once it does:
// exported from the build so they run in the same module instance as the routes' db().
export { bootstrap } from "./server/platform/bootstrap.server";
export { startJobs } from "./server/platform/jobs.server";
// server.js mounts the VNeID simulator (oidc-provider) at /vneid-sim when the simulators are on.
export { vneidSimulator } from "./simulators/vneid/provider.server";
// server.js answers a visitor's page from the page cache before Remix runs, when it can.
export { pageFromCache } from "./server/catalog/page-cache.server";

/** How long deferred data may stream (single fetch); the render is aborted a second later. */
export const streamTimeout = 5_000;

/**
 * Called once by server.js before anything else: validates the environment (a bad variable stops
 * the start with a clear message) and gives server.js what it needs from it.
 */
export function startup() {
  const config = env();
  // Browsers apply CSP form-action to the redirect after a form post: the pay form's redirect to an
  // external gateway must be allowed by origin.
  const gateway = /^https?:\/\//.test(config.PAYMENT_GATEWAY_URL) ? new URL(config.PAYMENT_GATEWAY_URL).origin : null;
  // The sign-out form's redirect goes on to VNeID's end-session endpoint when VNeID is another site.
  const vneid = config.VNEID_ISSUER ? new URL(config.VNEID_ISSUER).origin : null;
  // A test server (NODE_ENV=test: the Playwright suite, with the simulators) serves the build as
  // production does — headers, error pages without stack traces; only development differs.
  return {
    port: config.PORT,
    production: config.NODE_ENV !== "development",
    formActionOrigins: [gateway, vneid].filter((origin) => origin !== null),
    trustProxy: config.TRUST_PROXY,
  };
}

const RootDataSchema = z.object({ language: z.enum(LANGUAGES), stringSet: z.enum(["citizen", "staff"]), user: z.unknown() });

/** The strings the page is rendered with: those the root loader chose for the browser's script (the default language's when it failed). */
function renderStrings(remixContext: EntryContext) {
  const root = RootDataSchema.safeParse(remixContext.staticHandlerContext.loaderData.root);
  // The page's own groups too, exactly as its strings script carries them: a group it forgot to list shows as keys here first.
  const groups = pageStringGroups(remixContext.staticHandlerContext.matches.map((m) => m.route.id));
  // The asset's own object, made once: the page's i18next instance is made once per object too.
  return root.success ? stringsAsset(root.data.language, root.data.stringSet, {}, groups).strings : stringsAsset(DEFAULT_LANGUAGE, "citizen").strings;
}

/** What the page cache needs to decide whether a rendered page may be kept (server/catalog/page-cache.server.ts). */
function renderedPage(remixContext: EntryContext, status: number, headers: Headers, body: Buffer, nonce: string) {
  const root = RootDataSchema.safeParse(remixContext.staticHandlerContext.loaderData.root);
  const routeIds = remixContext.staticHandlerContext.matches.map((m) => m.route.id).filter((id) => id !== "root");
  return {
    status,
    headers,
    body,
    nonce,
    handles: routeIds.map((id) => remixContext.routeModules[id]?.handle),
    // Unknown (the root loader failed) counts as signed in: such a page is never kept.
    signedIn: !root.success || (root.data.user !== null && root.data.user !== undefined),
  };
}

/**
 * The whole document is rendered, then sent as one body. No loader defers data, so streaming would
 * send nothing earlier; and each streamed chunk crossed four streams and the compressor one by one,
 * which cost about 3 ms of a catalog page's 12 ms (measured with a sequential client on the
 * 125,336-procedure catalog). One body also gets one Content-Length and one compression pass.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // eslint-disable-next-line prefer-const -- set once the stream exists; the callbacks that clear it are made before
    let timeout: ReturnType<typeof setTimeout> | undefined;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <StringsProvider value={renderStrings(remixContext)}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </StringsProvider>
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          shellRendered = true;
          const chunks: Buffer[] = [];
          const collect = new Writable({
            write(chunk: Buffer, _encoding, done) {
              chunks.push(chunk);
              done();
            },
            final(done) {
              responseHeaders.set("Content-Type", "text/html; charset=utf-8");
              clearTimeout(timeout);
              const body = Buffer.concat(chunks);
              if (loadContext.pageCache?.key) keepPage(loadContext.pageCache, renderedPage(remixContext, responseStatusCode, responseHeaders, body, nonce));
              resolve(new Response(body, { headers: responseHeaders, status: responseStatusCode }));
              done();
            },
          });
          pipe(collect);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    timeout = setTimeout(abort, streamTimeout + 1_000);
  });
}

/**
 * Errors Remix reports while answering. A 4xx that Remix raises itself (no route for the address, no
 * action for a POST) is the client's mistake, answered as such: not logged, or the log would carry a
 * stack trace per stray request. Everything else is logged, unless the client went away.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  if (isRouteErrorResponse(error) && error.status < 500) return;
  console.error(error);
}
