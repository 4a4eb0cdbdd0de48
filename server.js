// The HTTP server: Express in front of the Remix build. Kept small on purpose;
// configuration, database start-up and everything else live in app/ (see startup()).
import { randomBytes } from "node:crypto";
import { createRequestHandler } from "@remix-run/express";
import { broadcastDevReady } from "@remix-run/node";
import compression from "compression";
import express from "express";

const build = await import("./build/index.js");
const { port, production, formActionOrigins } = build.entry.module.startup();
const { isCrossSiteRequest } = build.entry.module;

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", "loopback");

app.use((req, res, next) => {
  // A nonce per response lets Remix's own inline scripts run under a CSP that forbids any other inline script.
  const nonce = randomBytes(16).toString("base64");
  res.locals.cspNonce = nonce;
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      `script-src 'self' 'nonce-${nonce}'`,
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      ["form-action 'self'", ...formActionOrigins].join(" "),
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join("; "),
  );
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
  if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

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
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

// Method, path without query string, status and time: no personal data in logs.
app.use((req, res, next) => {
  const start = process.hrtime.bigint();
  res.on("finish", () => {
    if (process.env.LOG_REQUESTS === "false") return;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    console.log(`${req.method} ${req.path} ${res.statusCode} ${ms.toFixed(1)}ms`);
  });
  next();
});

// Only the methods the portal uses. Anything else is refused here: Remix answers PUT or DELETE with
// 405 but logs a stack trace, and TRACE with a 500 (undici's Request refuses to build it).
const METHODS = new Set(["GET", "HEAD", "POST"]);
app.use((req, res, next) => {
  if (METHODS.has(req.method)) return next();
  res.status(405).set("Allow", "GET, HEAD, POST").type("text/plain").send("Method Not Allowed");
});

app.all("*", createRequestHandler({ build, mode: production ? "production" : "development", getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce, clientIp: req.ip }) }));

const server = app.listen(port, () => {
  console.log(`Portal listening on http://localhost:${port}`);
  build.entry.module.startBackgroundJobs();
  // `npm run dev` (remix dev --manual) waits for this signal before it reloads the browser.
  if (!production && process.env.REMIX_DEV_ORIGIN) broadcastDevReady(build);
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
