// Cross-site request forgery, end to end: the real server (node server.js on the production build)
// refuses a state-changing request from another site before any action runs, and lets the portal's
// own posts through. The rule itself is unit-tested in app/core/security/same-origin.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProblem, startPortal, type PortalProcess } from "./portal-process";
import { answerOf, passSecondStep } from "./second-step";

const problem = buildProblem();
const title = problem ? `the running server refuses cross-site posts — SKIPPED: ${problem}` : "the running server refuses cross-site posts";

const EVIL = "https://evil.example";
const NO_SUCH_DOSSIER = "/officer/dossiers/260101-AAAAAA-0";

let server: PortalProcess | undefined;
let base = "";

async function startServer() {
  ({ portal: server, base } = await startPortal("csrf"));
}

/** A form post as a browser would send it; `from` is the page's origin (or headers a forger controls). */
function postForm(pathname: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(`${base}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields),
  });
}

const sameOrigin = () => ({ Origin: base, "Sec-Fetch-Site": "same-origin" });

/** The password step's answer and cookie (half signed in), then the session after the second step (decision 033). */
async function signIn(email: string, password: string) {
  const res = await postForm("/login", { email, password, redirectTo: "/officer" }, sameOrigin());
  const setCookie = res.headers.get("set-cookie") ?? "";
  const done = await passSecondStep({ base, email, answer: answerOf(res) });
  return { res, setCookie, cookie: done.cookie };
}

describe.skipIf(problem !== null)(title, () => {
  beforeAll(startServer, 40_000);
  afterAll(() => server?.stop("SIGTERM"));

  it("refuses a sign-in posted from another site, however it is marked", async () => {
    const credentials = { email: "can.bo.hoankiem@example.vn", password: "CanBo@2026" };
    const forged: Record<string, string>[] = [
      { Origin: EVIL },
      { "Sec-Fetch-Site": "cross-site" },
      { Origin: EVIL, "Sec-Fetch-Site": "cross-site" },
      { Origin: "null" },
      { Origin: "not a url" },
    ];
    for (const headers of forged) {
      const res = await postForm("/login", credentials, headers);
      expect({ headers, status: res.status, body: await res.text(), cookie: res.headers.get("set-cookie") }).toEqual({
        headers,
        status: 403,
        body: "Cross-site request refused",
        cookie: null,
      });
    }
  });

  it("signs in from the portal's own page with a Secure, HttpOnly, SameSite=Lax cookie (production)", async () => {
    const { res, setCookie } = await signIn("can.bo.hoankiem@example.vn", "CanBo@2026");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login/two-factor?redirectTo=%2Fofficer");
    expect(setCookie).toMatch(/^__session=[^;]+;/);
    expect(setCookie).toMatch(/;\s*Secure/i);
    expect(setCookie).toMatch(/;\s*HttpOnly/i);
    expect(setCookie).toMatch(/;\s*SameSite=Lax/i);
    // A wrong password from the same origin reaches the action (400), it is not refused as cross-site.
    expect((await postForm("/login", { email: "can.bo.hoankiem@example.vn", password: "wrong-password" }, sameOrigin())).status).toBe(400);
  });

  it("refuses an officer action posted from another site even with the officer's cookie", async () => {
    const { cookie } = await signIn("can.bo.hoankiem@example.vn", "CanBo@2026");
    const fields = { action: "receive", version: "1" };
    const forged: Record<string, string>[] = [{ Origin: EVIL }, { "Sec-Fetch-Site": "cross-site" }];
    for (const headers of forged) {
      const res = await postForm(NO_SUCH_DOSSIER, fields, { ...headers, Cookie: cookie });
      expect({ headers, status: res.status, body: await res.text() }).toEqual({ headers, status: 403, body: "Cross-site request refused" });
    }
    // The same post from the portal's own page reaches the action, which answers 404 for an unknown dossier.
    expect((await postForm(NO_SUCH_DOSSIER, fields, { ...sameOrigin(), Cookie: cookie })).status).toBe(404);
    // Reads are not refused: a link from another site still opens the page.
    const read = await fetch(`${base}/officer`, { redirect: "manual", headers: { Cookie: cookie, "Sec-Fetch-Site": "cross-site" } });
    expect(read.status).toBe(200);
  });
});
