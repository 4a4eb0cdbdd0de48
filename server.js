// The HTTP server: Express in front of the Remix build. Kept small on purpose; configuration, the
// database's start-up and the background jobs live in app/ (startup, bootstrap and startJobs, exported by
// app/entry.server.tsx), called here in that order.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { broadcastDevReady, createRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";
import compression from "compression";
import express from "express";

const build = await import("./build/index.js");
const { port, production, formActionOrigins, trustProxy } = build.entry.module.startup();
// Migrate, rebuild missing statistics counters and seed (unless SEED_ON_START=false), before the first request.
await build.entry.module.bootstrap();
const { isCrossSiteRequest, readRequestBody, tooLargeAnswer, createPostCheck, pageFromCache } = build.entry.module;
const reachesAction = createPostCheck(build.routes);

const app = express();
app.disable("x-powered-by");
// Whose X-Forwarded-For/-Proto to believe (TRUST_PROXY, by default a proxy on this machine only).
app.set("trust proxy", trustProxy);

app.use((req, res, next) => {
  // The hashed build files are scripts and styles, never documents: the document-only headers
  // do nothing on them and would add ~400 bytes to each of the ~20 files a page loads.
  if (req.path.startsWith("/build/")) {
    res.setHeader("X-Content-Type-Options", "nosniff");
    if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    return next();
  }
  res.locals.cspNonce = setDocumentHeaders(res);
  next();
});

/**
 * The headers of every answer but the build files, with a new CSP nonce (returned): a nonce per
 * response lets Remix's own inline scripts run under a CSP that forbids any other inline script.
 * One function for Express's answers and for the page cache's, sent before Express runs.
 */
function setDocumentHeaders(res, nonce = randomBytes(16).toString("base64")) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  res.setHeader("Content-Security-Policy", `${CSP_BEFORE_NONCE}${nonce}${CSP_AFTER_NONCE}`);
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  return nonce;
}
// The policy is the same on every answer but for its nonce: written once, around it.
const [CSP_BEFORE_NONCE, CSP_AFTER_NONCE] = [
  "default-src 'self'",
  "script-src 'self' 'nonce-{NONCE}'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  ["form-action 'self'", ...formActionOrigins].join(" "),
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
]
  .join("; ")
  .split("{NONCE}");

// Cross-site form posts are refused before they reach an action (CSRF); the rule is
// app/core/security/same-origin.ts, exported through the server build.
app.use((req, res, next) => {
  const facts = { method: req.method, path: req.path, host: req.get("host"), origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") };
  if (isCrossSiteRequest(facts)) {
    res.status(403).type("text/plain").send("Cross-site request refused");
    return;
  }
  next();
});

app.use(compression());
// Build file names carry a content hash: cached for a year and never revalidated, so no ETag,
// Last-Modified or byte ranges (headers each of a page's ~20 script requests would carry).
const IMMUTABLE = { immutable: true, maxAge: "1y", etag: false, lastModified: false, acceptRanges: false, index: false };
app.use("/build", precompressed("public/build"));
app.use("/build", express.static("public/build", IMMUTABLE));
// Page URLs never touch the disk: only the names at the top of public/ (favicon.ico, …) are looked
// up there, instead of a stat of every page's path on every request.
const PUBLIC_NAMES = new Set(readdirSync("public").filter((name) => name !== "build"));
const servePublic = express.static("public", { maxAge: "1h" });
app.use((req, res, next) => (PUBLIC_NAMES.has(req.path.split("/")[1] ?? "") ? servePublic(req, res, next) : next()));

// Method, path without query string, status and time: no personal data in logs.
app.use((req, res, next) => {
  logWhenFinished(req, res);
  next();
});

function logWhenFinished(req, res) {
  if (process.env.LOG_REQUESTS === "false") return;
  const start = process.hrtime.bigint();
  res.on("finish", () => {
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${req.method} ${req.url.split("?", 1)[0]} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
}

// The simulated VNeID identity provider (OpenID Connect, oidc-provider), only with SIMULATORS=on. Mounted
// before the body reader: the provider reads its own bodies (token endpoint, sign-out confirmation).
// Its interaction pages (/vneid-sim/interaction/:uid) go on to Remix.
const vneidSimulator = await build.entry.module.vneidSimulator();
if (vneidSimulator) app.use("/vneid-sim", vneidSimulator);

// Only the methods the portal uses. Anything else is refused here: Remix answers PUT or DELETE with
// 405 but logs a stack trace, and TRACE with a 500 (undici's Request refuses to build it).
const METHODS = new Set(["GET", "HEAD", "POST"]);
app.use((req, res, next) => {
  if (METHODS.has(req.method)) return next();
  res.status(405).set("Allow", "GET, HEAD, POST").type("text/plain").send("Method Not Allowed");
});

// Every POST body is read here, up to its route's limit (app/core/http/body-limits.ts), before Remix
// parses anything: a body over the limit is answered 413 and not read further, whatever its
// Content-Length says (or does not say, when chunked). The connection is then closed.
app.use((req, res, next) => {
  if (req.method !== "POST") return next();
  // A POST to a page or resource without an action: refused here, cleanly, with nothing read or logged.
  if (!reachesAction(req.path, new URL(req.originalUrl, "http://localhost").search)) {
    res.on("finish", () => lingerThenClose(req));
    res.status(405).set("Allow", "GET, HEAD").type("text/plain").send("Method Not Allowed");
    return;
  }
  readRequestBody(req).then(async (read) => {
    if (read.kind === "read") {
      res.locals.body = read.body;
      return next();
    }
    if (read.kind === "aborted") return req.socket.destroy();
    const answer = await tooLargeAnswer(req, read.limit);
    res.on("finish", () => lingerThenClose(req));
    res.status(413).set({ "Content-Type": answer.contentType, "Cache-Control": "no-store" }).send(answer.body);
  }, next);
});

/**
 * After a 413, the rest of the body is read and thrown away for a moment before the connection is
 * closed: a client still sending would otherwise get a reset that can wipe the answer before it
 * reads it (a "lingering close"). At most LINGER_BYTES more bytes or LINGER_MS, nothing is kept.
 */
const LINGER_BYTES = 4 * 1024 * 1024;
const LINGER_MS = 1_000;
function lingerThenClose(req) {
  const socket = req.socket;
  let drained = 0;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.on("close", () => clearTimeout(timer));
  req.on("data", (chunk) => {
    drained += chunk.length;
    if (drained > LINGER_BYTES) socket.destroy();
  });
  req.on("end", () => socket.end());
  req.resume();
}

const handleRemix = createRequestHandler(build, production ? "production" : "development");
app.all("*", async (req, res, next) => {
  try {
    const response = await handleRemix(remixRequest(req, res), { cspNonce: res.locals.cspNonce, clientIp: req.ip, pageCache: req[PAGE_CACHE_SLOT] });
    await sendRemixResponse(res, response);
  } catch (error) {
    next(error);
  }
});

/**
 * A visitor's home, catalog or procedure page kept from an earlier answer
 * (app/server/catalog/page-cache.server.ts) is sent here, before Express: with this answer's own
 * nonce and the same headers and log line as any page, but without the framework's ~20 steps, which
 * cost more than the kept page itself. Anything else goes on to Express, with the slot its page may
 * fill.
 */
const PAGE_CACHE_SLOT = Symbol("page cache slot");
async function answerFromPageCache(req, res) {
  if (req.method !== "GET" || req.url.startsWith("/build/")) return false;
  const nonce = randomBytes(16).toString("base64");
  const visit = {
    method: req.method,
    url: req.url,
    cookie: req.headers.cookie ?? null,
    userAgent: req.headers["user-agent"] ?? "",
    acceptsGzip: acceptedEncodings(req.headers["accept-encoding"] ?? "").has("gzip"),
  };
  const { answer, slot } = await pageFromCache(visit, nonce);
  if (!answer) {
    req[PAGE_CACHE_SLOT] = slot;
    return false;
  }
  logWhenFinished(req, res);
  setDocumentHeaders(res, nonce);
  for (const [name, value] of answer.headers) res.setHeader(name, value);
  res.statusCode = 200;
  res.end(answer.body);
  return true;
}

/**
 * The Fetch Request Remix sees, as @remix-run/express builds it, but with the body already read
 * (and bounded) above instead of the live stream.
 */
function remixRequest(req, res) {
  const [, forwardedPort] = req.get("X-Forwarded-Host")?.split(":") ?? [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p, 10)).find((p) => Number.isSafeInteger(p));
  // req.hostname respects the "trust proxy" setting.
  const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else if (values) headers.set(key, values);
  }
  // Loaders and actions are aborted when the client goes away before the answer is sent.
  let controller = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") init.body = res.locals.body ?? new Uint8Array(0);
  return new Request(url.href, init);
}

async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/**
 * The build's JS and CSS as the .br/.gz copies `npm run build` makes at the highest level
 * (scripts/precompress-assets.js), when the browser accepts them; brotli first. Only files
 * listed at start-up are served this way (no path from the request reaches the disk);
 * anything else falls through to express.static and the compression middleware.
 */
function precompressed(dir) {
  const ready = new Set();
  const walk = (sub) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const name = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(name);
      else if (/\.(js|css)\.(br|gz)$/.test(name)) ready.add(name);
    }
  };
  try {
    walk("/");
  } catch {
    // No build folder: nothing precompressed.
  }
  const encodings = { br: ".br", gzip: ".gz" };
  const serve = express.static(dir, {
    ...IMMUTABLE,
    setHeaders(res, file) {
      res.setHeader("Content-Encoding", file.endsWith(".br") ? "br" : "gzip");
      res.setHeader("Content-Type", /\.css\.(br|gz)$/.test(file) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8");
      res.setHeader("Vary", "Accept-Encoding");
    },
  });
  return (req, res, next) => {
    if (ready.size === 0 || (req.method !== "GET" && req.method !== "HEAD")) return next();
    const accepted = acceptedEncodings(req.get("accept-encoding") ?? "");
    const encoding = ["br", "gzip"].find((e) => accepted.has(e) && ready.has(req.path + encodings[e]));
    if (!encoding) return next();
    req.url = req.path + encodings[encoding];
    serve(req, res, next);
  };
}

/** Encodings an Accept-Encoding header allows (q > 0). */
function acceptedEncodings(header) {
  const allowed = new Set();
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && (!q || Number(q.slice(2)) > 0)) allowed.add(name);
  }
  return allowed;
}

const server = createServer((req, res) => {
  answerFromPageCache(req, res).then(
    (answered) => answered || app(req, res),
    // Nothing was sent (a kept page's view could not be recorded…): the page is rendered as if
    // not kept, so its loader meets the same failure and Remix answers with the portal's error page.
    (error) => {
      console.error(error);
      if (res.headersSent) res.destroy();
      else app(req, res);
    },
  );
});
server.listen(port, () => {
  console.log(`Portal listening on http://localhost:${port}`);
  build.entry.module.startJobs();
  // `npm run dev` (remix dev --manual) waits for this signal before it reloads the browser.
  if (!production && process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
