// The security the browser sees, checked on the real server (node server.js on the production
// build, its own temporary database): response headers on citizen pages, officer pages, the API
// and error pages; a CSP nonce per response; the session cookie's attributes; no redirect off the
// site; a body that is not a form answered 400, not 500; and no personal data in the request log
// (LOG_REQUESTS on). Cross-site posts are refused in csrf.test.ts (same server, not repeated here).
// docs/security.md maps these to OWASP ASVS.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileFields } from "../../app/core/forms/definition";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { validAnswers } from "../fixtures/answers";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { buildProblem, startPortal, type PortalProcess } from "./portal-process";
import { found } from "../../app/server/platform/http.server";
import { answerOf, passSecondStep } from "./second-step";

const problem = buildProblem();
const TITLE = "the production server's headers, cookies, redirects and logs";
const title = problem ? `${TITLE} — SKIPPED: ${problem}` : TITLE;

// What the submission below types in; none of it may reach the log.
const CODE = "1.001193"; // Đăng ký khai sinh: level 4, free, Hoàn Kiếm ward
const CCCD = "038195012777";
const PHONE_TYPED = "0977 123 456";
const PHONE_FORMS = ["0977 123 456", "0977+123+456", "0977%20123%20456", "0977123456", "+84977123456", "84977123456", "977123456"];
const EMAIL = "hoa.nhatky@example.vn";
const EMAIL_FORMS = [EMAIL, "hoa.nhatky%40example.vn"];

let server: PortalProcess | undefined;
let base = "";
/** Everything the server wrote to stdout and stderr. */
const log = () => server?.output ?? "";

async function startServer() {
  // Request logging on, as in production.
  ({ portal: server, base } = await startPortal("security", { LOG_REQUESTS: "true" }, { outputLimit: Number.POSITIVE_INFINITY }));
}

const sameOrigin = () => ({ Origin: base, "Sec-Fetch-Site": "same-origin" });

function postForm(pathname: string, fields: Record<string, string>, cookie?: string) {
  return fetch(`${base}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...sameOrigin(), ...(cookie ? { Cookie: cookie } : {}) },
    body: new URLSearchParams(fields),
  });
}
const getPage = (pathname: string, cookie?: string) => fetch(`${base}${pathname}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });

async function signIn(email: string, password: string, redirectTo = "/") {
  const res = await postForm("/login", { email, password, redirectTo });
  const setCookie = res.headers.get("set-cookie") ?? "";
  // Staff pass the second step (decision 033); a citizen's answer comes back as it is.
  return { res, setCookie, cookie: (await passSecondStep({ base, email, answer: answerOf(res) })).cookie };
}

/** The status of a request sent with node:http, for methods fetch will not send (TRACE). */
function rawStatus(method: string, pathname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${pathname}`, { method }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once("error", reject);
    req.end();
  });
}

/** The CSP header as directive → sources. */
function csp(res: Response): Map<string, string[]> {
  const header = res.headers.get("content-security-policy") ?? "";
  return new Map(
    header
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...sources]) => [name ?? "", sources]),
  );
}
const nonceOf = (res: Response) => (csp(res).get("script-src") ?? []).find((s) => s.startsWith("'nonce-"))?.slice(7, -1) ?? null;

describe.skipIf(problem !== null)(title, () => {
  let citizen = "";
  let officer = "";
  beforeAll(async () => {
    await startServer();
    citizen = (await signIn("cong.dan@example.vn", "CongDan@2026")).cookie;
    officer = (await signIn("can.bo.hoankiem@example.vn", "CanBo@2026")).cookie;
  }, 40_000);
  afterAll(() => server?.stop("SIGTERM"));

  it("sends the security headers on citizen pages, officer pages, the API and error pages", async () => {
    const pages = [
      { name: "catalog (public)", path: "/procedures", cookie: undefined, status: 200 },
      { name: "my applications (citizen)", path: "/applications", cookie: citizen, status: 200 },
      { name: "queue (officer)", path: "/officer", cookie: officer, status: 200 },
      { name: "catalog API", path: "/api/v1/procedures?q=khai%20sinh", cookie: undefined, status: 200 },
      { name: "not found", path: "/khong-co-trang-nay", cookie: undefined, status: 404 },
      { name: "forbidden (citizen in the officer area)", path: "/officer", cookie: citizen, status: 403 },
    ];
    for (const page of pages) {
      const res = await getPage(page.path, page.cookie);
      const policy = csp(res);
      const scriptSrc = policy.get("script-src") ?? [];
      expect({
        page: page.name,
        status: res.status,
        defaultSrc: policy.get("default-src"),
        scriptSelf: scriptSrc.includes("'self'"),
        scriptNonce: scriptSrc.filter((s) => /^'nonce-[A-Za-z0-9+/]{22}==?'$/.test(s)).length,
        // No inline script without the nonce, no eval, no wildcard or data: scripts.
        scriptUnsafe: scriptSrc.filter((s) => ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"].includes(s)),
        styleSrc: policy.get("style-src"),
        frameAncestors: policy.get("frame-ancestors"),
        objectSrc: policy.get("object-src"),
        baseUri: policy.get("base-uri"),
        formAction: policy.get("form-action")?.[0],
        xFrameOptions: res.headers.get("x-frame-options"),
        nosniff: res.headers.get("x-content-type-options"),
        referrerPolicy: res.headers.get("referrer-policy"),
        poweredBy: res.headers.get("x-powered-by"),
        permissionsPolicy: res.headers.get("permissions-policy"),
      }).toEqual({
        page: page.name,
        status: page.status,
        defaultSrc: ["'self'"],
        scriptSelf: true,
        scriptNonce: 1,
        scriptUnsafe: [],
        styleSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: "'self'",
        xFrameOptions: "DENY",
        nosniff: "nosniff",
        referrerPolicy: "strict-origin-when-cross-origin",
        poweredBy: null,
        permissionsPolicy: "camera=(), microphone=(), geolocation=()",
      });
      // HSTS: set by server.js in production. TLS itself ends at the reverse proxy (docs/security.md);
      // browsers ignore the header over plain HTTP and keep it once it arrives over HTTPS.
      const hsts = res.headers.get("strict-transport-security") ?? "";
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1] ?? 0)).toBeGreaterThanOrEqual(31_536_000);
      expect(hsts).toMatch(/includeSubDomains/);
    }
  });

  it("gives each response its own nonce, and every script in the page carries it", async () => {
    const first = await getPage("/procedures");
    const second = await getPage("/procedures");
    const nonces = [nonceOf(first), nonceOf(second)];
    expect(nonces[0]).not.toBeNull();
    expect(nonces[0]).not.toBe(nonces[1]);
    const html = await first.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonces[0]}"`);
    // No inline event handler attributes (a CSP with a nonce would block them anyway).
    expect(html).not.toMatch(/<[^>]+\son[a-z]+="/i);
  });

  it("sets the session cookie host-only, for the whole site, for eight hours at most, and clears it at sign-out", async () => {
    // Secure, HttpOnly and SameSite=Lax are checked in csrf.test.ts on this same kind of server.
    const { setCookie, cookie } = await signIn("tran.thi.binh@example.vn", "CongDan@2026");
    expect(setCookie).toMatch(/^__session=[^;]+;/);
    expect(setCookie).toMatch(/;\s*Path=\//i);
    expect(setCookie).not.toMatch(/;\s*Domain=/i);
    const maxAge = Number(/;\s*Max-Age=(\d+)/i.exec(setCookie)?.[1] ?? Infinity);
    expect(maxAge).toBeLessThanOrEqual(8 * 60 * 60);
    const out = await postForm("/logout", {}, cookie);
    expect(out.status).toBe(302);
    expect(out.headers.get("set-cookie") ?? "").toMatch(/__session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
    // The old cookie no longer opens a signed-in page.
    expect((await getPage("/applications", cookie)).headers.get("location")).toBe("/login?redirectTo=%2Fapplications");
  });

  it("never redirects off the site after sign-in, however redirectTo is written", async () => {
    const hostile = [
      "//evil.example",
      "https://evil.example",
      "//evil.example/%2F..",
      "/\\evil.example",
      "/\t/evil.example",
      "javascript:alert(1)",
      "https:evil.example",
    ];
    for (const redirectTo of hostile) {
      const posted = await signIn("cong.dan@example.vn", "CongDan@2026", redirectTo);
      expect({ redirectTo, status: posted.res.status, location: posted.res.headers.get("location") }).toEqual({ redirectTo, status: 302, location: "/" });
      // Already signed in, the sign-in page sends the browser on: to the same safe place.
      const shown = await getPage(`/login?redirectTo=${encodeURIComponent(redirectTo)}`, posted.cookie);
      expect({ redirectTo, status: shown.status, location: shown.headers.get("location") }).toEqual({ redirectTo, status: 302, location: "/" });
    }
    // A path on the site is kept.
    expect((await signIn("cong.dan@example.vn", "CongDan@2026", "/applications?page=2")).res.headers.get("location")).toBe("/applications?page=2");
  });

  it("serves the files at the top of public/ with an hour's cache, and leaves every other path to the pages", async () => {
    const icon = await getPage("/favicon.ico");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\//);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(new Uint8Array(await icon.arrayBuffer()).length).toBeGreaterThan(0);
    // Not a file: the portal's own 404 page (HTML, with its headers), not the static server's.
    const missing = await getPage("/favicon.png");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toMatch(/^text\/html/);
    expect(missing.headers.get("content-security-policy")).toContain("script-src");
  });

  it("answers 400, not 500, to a post whose body is not a form", async () => {
    const res = await fetch(`${base}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/json", ...sameOrigin() },
      body: JSON.stringify({ email: "a@b.vn", password: "x" }),
    });
    expect(res.status).toBe(400);
    const truncated = await fetch(`${base}/track`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "multipart/form-data; boundary=XYZ", ...sameOrigin() },
      body: '--XYZ\r\nContent-Disposition: form-data; name="code"\r\n\r\nhalf',
    });
    expect(truncated.status).toBe(400);
  });

  it("refuses the methods the portal does not use with 405, never a 500 (TRACE was one)", async () => {
    for (const method of ["TRACE", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const res = await fetch(`${base}/procedures`, { method, redirect: "manual" }).catch(() => null);
      // fetch itself refuses to send TRACE; a raw request shows what the server answers.
      const status = res ? res.status : await rawStatus(method, "/procedures");
      expect({ method, status }).toEqual({ method, status: 405 });
    }
  });

  it("writes no personal data to the server log: no CCCD, phone or e-mail, no query string, no body", async () => {
    // A citizen fills and submits a birth registration with a CCCD, a phone and an e-mail.
    const { form } = found(await onlineProcedure(CODE));
    const body = new FormData();
    for (const [k, v] of Object.entries({
      ...validAnswers(form.definition),
      applicant_cccd: CCCD,
      applicant_phone: PHONE_TYPED,
      applicant_email: EMAIL,
      intent: "continue",
    })) {
      for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    }
    for (const f of fileFields(form.definition)) {
      body.append(
        f.name,
        f.accept.includes("pdf") ? new Blob([PDF_BYTES], { type: "application/pdf" }) : new Blob([PNG_BYTES], { type: "image/png" }),
        f.accept.includes("pdf") ? "giay-to.pdf" : "anh.png",
      );
    }
    const filled = await fetch(`${base}/procedures/${CODE}/apply`, { method: "POST", redirect: "manual", headers: { ...sameOrigin(), Cookie: citizen }, body });
    expect(filled.headers.get("location")).toBe(`/procedures/${CODE}/apply/check`);
    const checkPage = await (await getPage(`/procedures/${CODE}/apply/check`, citizen)).text();
    const dossierId = /name="dossierId"[^>]*value="(\d+)"/.exec(checkPage)?.[1] ?? /value="(\d+)"[^>]*name="dossierId"/.exec(checkPage)?.[1];
    expect(dossierId).toMatch(/^\d+$/);
    const submitted = await postForm(`/procedures/${CODE}/apply/check`, { dossierId: dossierId ?? "", deliveryMode: "counter" }, citizen);
    const receiptCode = /^\/applications\/([^?]+)\?submitted=1$/.exec(submitted.headers.get("location") ?? "")?.[1];
    expect(receiptCode).toBeTruthy();

    // Personal data in query strings and bodies: the officer searches by CCCD and opens the full
    // record; anyone tracks the dossier with the phone; someone searches the catalog for the phone.
    expect((await getPage(`/officer?q=${CCCD}`, officer)).status).toBe(200);
    expect((await getPage(`/officer/dossiers/${receiptCode}?view=full`, officer)).status).toBe(200);
    expect((await postForm("/track", { code: receiptCode ?? "", factor: PHONE_TYPED })).status).toBe(200);
    expect((await getPage(`/procedures?q=${encodeURIComponent(PHONE_TYPED)}&email=${encodeURIComponent(EMAIL)}`)).status).toBe(200);
    expect((await postForm("/login", { email: EMAIL, password: CCCD })).status).toBe(400);
    // The notification job (every 5 s) sends the "submitted" message by SMS and e-mail; let it run.
    await new Promise((r) => setTimeout(r, 6_000));

    // Logging was on: the requests are there, by method, path and status…
    expect(log()).toMatch(new RegExp(`^POST /procedures/${CODE.replace(".", "\\.")}/apply 302 [\\d.]+ms$`, "m"));
    expect(log()).toMatch(/^POST \/track 200 [\d.]+ms$/m);
    // …and nothing of what was typed, in any spelling…
    for (const secret of [CCCD, ...PHONE_FORMS, ...EMAIL_FORMS]) expect({ secret, found: log().includes(secret) }).toEqual({ secret, found: false });
    // …because a line is the path without its query string.
    expect(log()).not.toMatch(/^(GET|POST) [^\s?]*\?/m);
    expect(log()).toMatch(/^GET \/officer 200 [\d.]+ms$/m);
  }, 40_000);
});
