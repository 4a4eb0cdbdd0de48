// The whole VNeID sign-in (issue 17) in this process: the simulated provider (oidc-provider) serves
// its protocol over real HTTP on a free port, the portal's routes run as Remix would call them, and
// openid-client talks to the provider over HTTP as it does in production. A browser is played by a
// cookie jar that keeps each cookie's path. Attacks — a wrong state, a wrong nonce, a replayed code, a
// tampered ID token, a wrong PKCE verifier — are each refused with a 4xx and no session.
import type { LoaderFunctionArgs, ActionFunctionArgs } from "@remix-run/node";
import express from "express";
import { mkdtempSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { freePort } from "./portal-process";

type Route = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

let base = "";
let server: Server | undefined;
let app: Awaited<ReturnType<typeof loadApp>>;

async function loadApp() {
  return {
    start: await import("~/routes/auth.vneid"),
    callback: await import("~/routes/auth.vneid_.callback"),
    interaction: await import("~/routes/vneid-sim.interaction.$uid"),
    logout: await import("~/routes/logout"),
    account: await import("~/routes/account._index"),
    session: await import("~/server/auth/session.server"),
    vneid: await import("~/server/auth/vneid.server"),
    simulator: await import("~/simulators/vneid/provider.server"),
    population: await import("~/simulators/vneid/population"),
    platform: await import("~/server/platform/db.server"),
    schema: (await import("~/server/platform/schema.server")).schema,
  };
}

beforeAll(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  // Before the portal's modules read their configuration (env() is read once).
  process.env.PORT = String(port);
  process.env.PUBLIC_URL = base;
  process.env.SIMULATORS = "on";
  process.env.VNEID_SIM_DB = path.join(mkdtempSync(path.join(tmpdir(), "vneid-sim-")), "sim.db");
  app = await loadApp();
  const simulator = await app.simulator.vneidSimulator();
  if (!simulator) throw new Error("the simulator should be mounted with SIMULATORS=on");
  const web = express();
  web.use("/vneid-sim", simulator);
  await new Promise<void>((resolve) => {
    server = web.listen(port, resolve);
  });
}, 30_000);

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** A browser's cookies, each with its path (the provider scopes its resume cookie to one interaction). */
class Browser {
  private jar = new Map<string, { value: string; path: string }>();

  cookieFor(url: string): string {
    const pathname = new URL(url, base).pathname;
    return [...this.jar.entries()]
      .filter(([, c]) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`) || c.path === "/")
      .map(([name, c]) => `${name}=${c.value}`)
      .join("; ");
  }

  take(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith("path="))?.slice(5) ?? "/";
      const expired = attributes.some((a) => /^max-age=0$/i.test(a) || /^expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === "") this.jar.delete(name);
      else this.jar.set(name, { value, path: pathAttr });
    }
  }

  has(name: string): boolean {
    return this.jar.has(name);
  }

  /** A request to the provider over HTTP, not following redirects. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(new URL(url, base), { ...init, redirect: "manual", headers: { ...init.headers, Cookie: this.cookieFor(url) } });
    this.take(res.headers.getSetCookie());
    return res;
  }

  /** A portal route, run as Remix runs it: what it returned or threw, as a Response when it is one. */
  async route(
    fn: Route,
    url: string,
    init: RequestInit = {},
    params: Record<string, string> = {},
  ): Promise<{ status: number; location: string | null; data: unknown }> {
    const request = new Request(new URL(url, base), { ...init, headers: { ...init.headers, Cookie: this.cookieFor(url) } });
    let value: unknown;
    try {
      value = await fn({ request, params, context: {} });
    } catch (thrown) {
      value = thrown;
    }
    if (value instanceof Response) {
      this.take(value.headers.getSetCookie());
      return { status: value.status, location: value.headers.get("Location"), data: null };
    }
    if (typeof value === "object" && value !== null && "type" in value && value.type === "DataWithResponseInit" && "init" in value && "data" in value) {
      const responseInit: unknown = value.init;
      const status =
        typeof responseInit === "object" && responseInit !== null && "status" in responseInit && typeof responseInit.status === "number"
          ? responseInit.status
          : 200;
      return { status, location: null, data: value.data };
    }
    if (value instanceof Error) throw value;
    return { status: 200, location: null, data: value };
  }
}

const location = (answer: { status: number; location: string | null }): string => {
  if (answer.status < 300 || answer.status >= 400 || !answer.location) throw new Error(`expected a redirect, got ${answer.status}`);
  return answer.location;
};

/**
 * One sign-in up to the provider's answer: starts at /auth/vneid, signs in at the simulator as `cccd`
 * with `level`, and gives the callback address VNeID sent the browser to (not yet opened).
 */
async function untilCallback(browser: Browser, cccd: string, level: "1" | "2", start = "/auth/vneid?redirectTo=/applications"): Promise<string> {
  const authorize = location(await browser.route(app.start.loader, start));
  expect(authorize.startsWith(`${base}/vneid-sim/auth?`)).toBe(true);
  const toInteraction = await browser.fetch(authorize);
  const interactionUrl = toInteraction.headers.get("location") ?? "";
  const uid = /\/vneid-sim\/interaction\/([\w-]+)$/.exec(interactionUrl)?.[1] ?? "";
  expect(uid).not.toBe("");
  const page = await browser.route(app.interaction.loader, interactionUrl, {}, { uid });
  expect(page.status).toBe(200);
  const answered = await browser.route(
    app.interaction.action,
    interactionUrl,
    { method: "POST", body: new URLSearchParams({ cccd, level, intent: "sign_in" }) },
    { uid },
  );
  const resume = await browser.fetch(location(answered));
  const callback = resume.headers.get("location") ?? "";
  expect(callback.startsWith(`${base}/auth/vneid/callback?`)).toBe(true);
  return callback;
}

const sessionCount = async () => (await app.platform.db().select({ id: app.schema.sessions.id }).from(app.schema.sessions)).length;

async function signedInName(browser: Browser): Promise<string | null> {
  const user = await app.session.getSessionUser(new Request(`${base}/applications`, { headers: { Cookie: browser.cookieFor("/applications") } }));
  return user?.fullName ?? null;
}

/** Residents no other test uses, so each test starts from a VNeID never seen by the portal. */
let nextResident = 0;
function freshResident() {
  const candidates = app.population.signInCandidates();
  const resident = candidates[nextResident];
  nextResident += 7;
  if (!resident || !resident.email) throw new Error("no resident left");
  return resident;
}

/** Expects a refusal: a 4xx page, no portal session in the browser or the database; `because`: the check that refused it (logged). */
async function expectRefused(browser: Browser, callback: string, status = 400, because?: RegExp) {
  const before = await sessionCount();
  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  let answer: Awaited<ReturnType<Browser["route"]>>;
  let logged = "";
  try {
    answer = await browser.route(app.callback.loader, callback);
    logged = warn.mock.calls.map((c) => c.join(" ")).join("\n");
  } finally {
    warn.mockRestore();
  }
  if (because) expect(logged).toMatch(because);
  expect(answer.status).toBe(status);
  expect(browser.has("__session")).toBe(false);
  expect(await sessionCount()).toBe(before);
  expect(await signedInName(browser)).toBeNull();
  return answer;
}

describe("signing in with the simulated VNeID", () => {
  it("publishes its discovery document at the stable address", async () => {
    const res = await fetch(`${base}/vneid-sim/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const meta: unknown = await res.json();
    expect(meta).toMatchObject({
      issuer: `${base}/vneid-sim`,
      authorization_endpoint: `${base}/vneid-sim/auth`,
      token_endpoint: `${base}/vneid-sim/token`,
      code_challenge_methods_supported: ["S256"],
      acr_values_supported: ["urn:vneid:level:1", "urn:vneid:level:2"],
    });
  });

  it("creates a citizen account on the first sign-in, recording the CCCD and the level, and signs in again to the same account", async () => {
    const resident = freshResident();
    const browser = new Browser();
    const callback = await untilCallback(browser, resident.cccd, "1");
    const answer = await browser.route(app.callback.loader, callback);
    expect(answer).toMatchObject({ status: 302, location: "/applications" });
    expect(browser.has("__vneid_auth")).toBe(false);
    expect(await signedInName(browser)).toBe(resident.fullName);

    const { userIdentities, users } = app.schema;
    const { eq } = await import("drizzle-orm");
    const [row] = await app.platform
      .db()
      .select({ userId: userIdentities.userId, level: userIdentities.level, email: users.email, role: users.role, passwordHash: users.passwordHash })
      .from(userIdentities)
      .innerJoin(users, eq(users.id, userIdentities.userId))
      .where(eq(userIdentities.subject, resident.cccd));
    expect(row).toMatchObject({ level: 1, email: resident.email, role: "citizen" });
    // No password sign-in for an account VNeID made.
    expect(row?.passwordHash.startsWith("$argon2")).toBe(false);

    // Again, now at level 2: the same account, its level updated.
    const again = new Browser();
    const second = await again.route(app.callback.loader, await untilCallback(again, resident.cccd, "2"));
    expect(second.status).toBe(302);
    const rows = await app.platform.db().select().from(userIdentities).where(eq(userIdentities.subject, resident.cccd));
    expect(rows.map((r) => [r.userId, r.level])).toEqual([[row?.userId, 2]]);
  });

  it("refuses an answer whose state is not the one this browser sent", async () => {
    const browser = new Browser();
    const callback = new URL(await untilCallback(browser, freshResident().cccd, "2"));
    callback.searchParams.set("state", client.randomState());
    await expectRefused(browser, callback.href, 400, /unexpected "state"/);
  });

  it("refuses an answer when the browser has no sign-in in progress (a callback link sent to someone else)", async () => {
    const attacker = new Browser();
    const callback = await untilCallback(attacker, freshResident().cccd, "2");
    await expectRefused(new Browser(), callback, 400, /no sign-in in progress/);
  });

  it("refuses an ID token whose nonce is not the one sent", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser, freshResident().cccd, "2");
    const pending = await app.vneid.pendingCookie.parse(browser.cookieFor("/auth/vneid/callback"));
    if (!pending) throw new Error("a sign-in should be in progress");
    browser.take([await app.vneid.pendingCookie.serialize({ ...pending, nonce: client.randomNonce() })]);
    await expectRefused(browser, callback, 400, /"nonce" claim/);
  });

  it("refuses a code exchanged with another PKCE verifier", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser, freshResident().cccd, "2");
    const pending = await app.vneid.pendingCookie.parse(browser.cookieFor("/auth/vneid/callback"));
    if (!pending) throw new Error("a sign-in should be in progress");
    browser.take([await app.vneid.pendingCookie.serialize({ ...pending, verifier: client.randomPKCECodeVerifier() })]);
    await expectRefused(browser, callback, 400, /invalid_grant/);
  });

  it("refuses a replayed authorization code, even with the sign-in's own cookie", async () => {
    const browser = new Browser();
    const callback = await untilCallback(browser, freshResident().cccd, "2");
    const saved = browser.cookieFor("/auth/vneid/callback");
    expect((await browser.route(app.callback.loader, callback)).status).toBe(302);
    // The attacker kept the callback address and the cookie: the provider refuses the used code.
    const replayer = new Browser();
    replayer.take(saved.split("; ").map((pair) => `${pair}; Path=/auth/vneid`));
    await expectRefused(replayer, callback, 400, /invalid_grant/);
  });

  it("refuses a tampered ID token (its signature no longer matches)", async () => {
    const configured = app.vneid.vneidConfiguration();
    if (!configured) throw new Error("VNeID should be configured");
    const config = await configured;
    const tokenEndpoint = config.serverMetadata().token_endpoint;
    // The token endpoint's answer is altered on its way, while `tampering`: the ID token names someone else.
    let tampering = true;
    config[client.customFetch] = async (url, options) => {
      // The library's requests carry a form or no body (the token request, the key set).
      const sent = typeof options.body === "string" || options.body instanceof URLSearchParams ? options.body : undefined;
      const res = await fetch(url, { method: options.method, headers: options.headers, body: sent, redirect: options.redirect, signal: options.signal });
      if (!tampering || url !== tokenEndpoint || !res.ok) return res;
      const body: unknown = await res.json();
      if (typeof body !== "object" || body === null || !("id_token" in body) || typeof body.id_token !== "string") throw new Error("no ID token");
      const [header, payload, signature] = body.id_token.split(".");
      const claims: unknown = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
      const forged = Buffer.from(JSON.stringify({ ...(typeof claims === "object" ? claims : {}), sub: "001099000001" })).toString("base64url");
      return new Response(JSON.stringify({ ...body, id_token: `${header}.${forged}.${signature}` }), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    };
    try {
      const browser = new Browser();
      await expectRefused(browser, await untilCallback(browser, freshResident().cccd, "2"), 400, /signature verification failed/);
    } finally {
      tampering = false;
    }
    // Untouched again, the same steps sign in.
    const browser = new Browser();
    expect((await browser.route(app.callback.loader, await untilCallback(browser, freshResident().cccd, "2"))).status).toBe(302);
  });

  it("never links to an existing account by its e-mail: the e-mail's owner is told to sign in and link it", async () => {
    const resident = freshResident();
    const { users, userIdentities } = app.schema;
    await app.platform
      .db()
      .insert(users)
      .values({ email: resident.email ?? "", fullName: "Người khác", passwordHash: "$argon2id$v=19$m=65536,t=3,p=4$x$y", role: "citizen" });
    const browser = new Browser();
    const answer = await expectRefused(browser, await untilCallback(browser, resident.cccd, "2"), 409);
    expect(answer.data).toMatchObject({ error: "email_taken" });
    const { eq } = await import("drizzle-orm");
    expect(await app.platform.db().select().from(userIdentities).where(eq(userIdentities.subject, resident.cccd))).toEqual([]);
  });

  it("links VNeID to the signed-in citizen's account when they start from it", async () => {
    const resident = freshResident();
    const browser = new Browser();
    const { users, userIdentities } = app.schema;
    const { eq } = await import("drizzle-orm");
    const [owner] = await app.platform.db().select().from(users).where(eq(users.email, "cong.dan@example.vn"));
    if (!owner) throw new Error("the seeded citizen is missing");
    browser.take([(await app.session.signIn(new Request(`${base}/login`), owner.id, "/account")).headers.getSetCookie().join("")]);
    const callback = await untilCallback(browser, resident.cccd, "2", "/auth/vneid?link=1");
    const answer = await browser.route(app.callback.loader, callback);
    expect(answer).toMatchObject({ status: 302, location: "/account" });
    const rows = await app.platform.db().select().from(userIdentities).where(eq(userIdentities.subject, resident.cccd));
    expect(rows.map((r) => r.userId)).toEqual([owner.id]);
    // The account keeps its own name and e-mail; the identity carries VNeID's.
    expect(await signedInName(browser)).toBe(owner.fullName);
    // Its account page shows the link, with only the CCCD's last four digits.
    const page = await browser.route(app.account.loader, "/account");
    expect(page.data).toMatchObject({ vneid: { level: 2, masked: `••••••••${resident.cccd.slice(-4)}` } });
    expect(JSON.stringify(page.data)).not.toContain(resident.cccd);
  });

  it("answers a cancelled sign-in with a 4xx page and no session", async () => {
    const browser = new Browser();
    const authorize = location(await browser.route(app.start.loader, "/auth/vneid"));
    const interactionUrl = (await browser.fetch(authorize)).headers.get("location") ?? "";
    const uid = interactionUrl.split("/").pop() ?? "";
    const answered = await browser.route(app.interaction.action, interactionUrl, { method: "POST", body: new URLSearchParams({ intent: "cancel" }) }, { uid });
    const callback = (await browser.fetch(location(answered))).headers.get("location") ?? "";
    expect(callback).toContain("error=access_denied");
    const answer = await expectRefused(browser, callback);
    expect(answer.data).toMatchObject({ error: "cancelled" });
  });

  it("the simulator's page refuses an unknown resident with a message, and an unknown interaction with 404", async () => {
    const browser = new Browser();
    const authorize = location(await browser.route(app.start.loader, "/auth/vneid"));
    const interactionUrl = (await browser.fetch(authorize)).headers.get("location") ?? "";
    const uid = interactionUrl.split("/").pop() ?? "";
    const wrong = await browser.route(
      app.interaction.action,
      interactionUrl,
      { method: "POST", body: new URLSearchParams({ cccd: "999999999999", level: "2", intent: "sign_in" }) },
      { uid },
    );
    expect(wrong).toMatchObject({ status: 400, data: { errors: { cccd: "vneidsim.errors.resident_required" } } });
    const noLevel = await browser.route(
      app.interaction.action,
      interactionUrl,
      { method: "POST", body: new URLSearchParams({ cccd: freshResident().cccd, level: "3", intent: "sign_in" }) },
      { uid },
    );
    expect(noLevel).toMatchObject({ status: 400, data: { errors: { level: "vneidsim.errors.level_required" } } });
    expect((await browser.route(app.interaction.loader, `${base}/vneid-sim/interaction/nosuchinteraction00`, {}, { uid: "nosuchinteraction00" })).status).toBe(
      404,
    );
  });

  it("signs out of the portal and on to VNeID's own sign-out after a VNeID sign-in", async () => {
    const browser = new Browser();
    expect((await browser.route(app.callback.loader, await untilCallback(browser, freshResident().cccd, "2"))).status).toBe(302);
    const out = await browser.route(app.logout.action, "/logout", { method: "POST" });
    expect(out.status).toBe(302);
    const endSession = new URL(out.location ?? "");
    expect(endSession.href.startsWith(`${base}/vneid-sim/session/end?`)).toBe(true);
    expect(endSession.searchParams.get("post_logout_redirect_uri")).toBe(`${base}/`);
    expect(await signedInName(browser)).toBeNull();
    // The provider's own confirmation page (no script needed), which returns to the portal.
    const confirm = await browser.fetch(endSession.href);
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('name="logout"');
  });
});
