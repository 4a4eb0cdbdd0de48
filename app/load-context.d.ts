import "@remix-run/node";
import type { PageCacheSlot } from "./server/catalog/page-cache.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce?: string;
    /** The client address as Express sees it (behind a trusted local proxy), for the payment gateway. */
    clientIp?: string;
    /** The page cache's slot for this request (server/catalog/page-cache.server.ts): set by server.js. */
    pageCache?: PageCacheSlot;
  }
}

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}
