import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import * as z from "zod";
import { NonceProvider } from "./components/nonce";
import { StringsProvider } from "./components/strings";
import { DEFAULT_LANGUAGE, LANGUAGES } from "./i18n";
import { db } from "./server/db.server";
import { env, querydrUrl } from "./server/env.server";
import { stringsOf } from "./server/i18n.server";
import { deliverPendingNotifications, senderFromEnv } from "./server/notifications.server";
import { httpQuerydr, reconcilePayments } from "./server/payments.server";

// server.js checks every request with it before Remix sees it.
export { isCrossSiteRequest } from "./core/security/same-origin";

/** How long deferred data may stream (single fetch); the render is aborted a second later. */
export const streamTimeout = 5_000;

/**
 * Called once by server.js before it listens: validates the environment (a bad
 * variable stops the start with a clear message) and opens, migrates and seeds
 * the database so the first request does not pay for it.
 */
export function startup() {
  const config = env();
  db();
  // Browsers apply CSP form-action to the redirect after a form post: the pay form's redirect to an
  // external gateway must be allowed by origin.
  const gateway = /^https?:\/\//.test(config.PAYMENT_GATEWAY_URL) ? new URL(config.PAYMENT_GATEWAY_URL).origin : null;
  return { port: config.PORT, production: config.NODE_ENV === "production", formActionOrigins: gateway ? [gateway] : [] };
}

/**
 * Called by server.js after it listens. Reconciliation every five minutes: pending payments whose
 * IPN was lost are settled from the gateway's status query (`npm run payments:reconcile` runs it
 * once). Notification delivery every five seconds (`npm run notifications:deliver` runs it once).
 */
export function startBackgroundJobs() {
  const sender = senderFromEnv();
  let delivering = false; // a slow provider must not make two runs send the same message
  const delivery = setInterval(() => {
    if (delivering) return;
    delivering = true;
    deliverPendingNotifications({ sender, limit: 50 })
      .then(
        (summary) => {
          if (summary.retrying + summary.failed > 0) console.log(`notifications: ${JSON.stringify(summary)}`);
        },
        (error: unknown) => console.error("notification delivery failed", error),
      )
      .finally(() => {
        delivering = false;
      });
  }, 5_000);
  delivery.unref();

  const query = httpQuerydr(querydrUrl(env()));
  const timer = setInterval(() => {
    reconcilePayments({ query }).then(
      (summary) => {
        if (summary.checked > 0) console.log(`reconciliation: ${JSON.stringify(summary)}`);
      },
      (error: unknown) => console.error("reconciliation failed", error),
    );
  }, 5 * 60_000);
  timer.unref();
}

const RootDataSchema = z.object({ language: z.enum(LANGUAGES), stringSet: z.enum(["citizen", "staff"]) });

/** The strings the page is rendered with: those the root loader chose for the browser's script (the default language's when it failed). */
function renderStrings(remixContext: EntryContext) {
  const root = RootDataSchema.safeParse(remixContext.staticHandlerContext.loaderData.root);
  return root.success ? stringsOf(root.data.language, root.data.stringSet) : stringsOf(DEFAULT_LANGUAGE, "citizen");
}

export default function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext, loadContext: AppLoadContext) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : "";
  // Bots and no-JS clients get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <StringsProvider value={renderStrings(remixContext)}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </StringsProvider>
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
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
    setTimeout(abort, streamTimeout + 1_000);
  });
}
