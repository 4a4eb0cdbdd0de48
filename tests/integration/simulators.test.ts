// Issue 11, problems 3 and 7, on the real server (node server.js on the build): a production server
// has no payment gateway or post office simulator (404), refuses to start with SIMULATORS=on, and
// answers a POST to the IPN with a clean 405 and nothing in its log; a test server with
// SIMULATORS=on (NODE_ENV=test, as the Playwright suite runs) still has them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProblem, freePort, PortalProcess, productionEnv, send, startPortal } from "./portal-process";

const problem = buildProblem();
const TITLE = "simulators and the IPN's methods on the running server";
const title = problem ? `${TITLE} — SKIPPED: ${problem}` : TITLE;

/** How the Playwright suite and other tests that need the simulators run the build. */
const WITH_SIMULATORS = { NODE_ENV: "test", SIMULATORS: "on" };
const PARCEL = "/post-sim/RR123456785VN";
const SIMULATOR_REQUESTS: { method: "GET" | "POST"; path: string }[] = [
  { method: "GET", path: "/gateway/vnpay/pay?vnp_TxnRef=X" },
  { method: "POST", path: "/gateway/vnpay/pay?vnp_TxnRef=X" },
  { method: "GET", path: "/gateway/vnpay/querydr" },
  { method: "POST", path: "/gateway/vnpay/querydr" },
  { method: "GET", path: PARCEL },
  { method: "POST", path: PARCEL },
];

describe.skipIf(problem !== null)(title, () => {
  let production: { portal: PortalProcess; base: string } | undefined;
  let testServer: { portal: PortalProcess; base: string } | undefined;
  beforeAll(async () => {
    production = await startPortal("simulators-off", { LOG_REQUESTS: "true" }, { outputLimit: Number.POSITIVE_INFINITY });
    testServer = await startPortal("simulators-on", WITH_SIMULATORS);
  }, 90_000);
  afterAll(async () => {
    await production?.portal.stop("SIGTERM");
    await testServer?.portal.stop("SIGTERM");
  });

  const request = (base: string, r: { method: string; path: string }) =>
    send(`${base}${r.path}`, {
      method: r.method,
      headers: r.method === "POST" ? { "Content-Type": "application/x-www-form-urlencoded", Origin: base, "Sec-Fetch-Site": "same-origin" } : {},
      body: r.method === "POST" ? new TextEncoder().encode("intent=pay&bankCode=NCB&outcome=00&failed=no") : undefined,
    });

  it("answers 404 on every simulator route in production", async () => {
    const base = production?.base ?? "";
    const answers = await Promise.all(SIMULATOR_REQUESTS.map(async (r) => ({ ...r, status: (await request(base, r)).status })));
    expect(answers).toEqual(SIMULATOR_REQUESTS.map((r) => ({ ...r, status: 404 })));
  });

  it("still has the simulators on a test server with SIMULATORS=on", async () => {
    const base = testServer?.base ?? "";
    // The gateway refuses the unsigned request with its own page (400); querydr answers GET with 405.
    expect((await request(base, SIMULATOR_REQUESTS[0] ?? { method: "GET", path: "/" })).status).toBe(400);
    expect((await request(base, { method: "GET", path: "/gateway/vnpay/querydr" })).status).toBe(405);
    expect((await request(base, { method: "GET", path: PARCEL })).status).toBe(404); // no such parcel, but the route is there
    const querydr = await send(`${base}/gateway/vnpay/querydr`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new TextEncoder().encode("{}"),
    });
    expect(JSON.parse(querydr.body)).toMatchObject({ vnp_ResponseCode: "03" });
  });

  it("answers a POST to the IPN with 405 (Allow: GET), no error page and no stack trace in the log", async () => {
    const base = production?.base ?? "";
    const before = production?.portal.output.length ?? 0;
    const res = await fetch(`${base}/api/v1/payments/ipn`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "vnp_TxnRef=X",
    });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET");
    expect(await res.text()).toBe("Method Not Allowed");
    await new Promise((resolve) => setTimeout(resolve, 200));
    const log = production?.portal.output.slice(before) ?? "";
    expect(log).toContain("POST /api/v1/payments/ipn 405");
    expect(log).not.toMatch(/Unexpected Server Error|ErrorResponseImpl|\n\s+at /);
    // GET is still the IPN.
    expect(await (await fetch(`${base}/api/v1/payments/ipn?vnp_TxnRef=X`)).json()).toEqual({ RspCode: "99", Message: "Unknown error" });
  });

  it("refuses to start in production with SIMULATORS=on, saying why", async () => {
    const port = await freePort();
    const portal = new PortalProcess(productionEnv({ PORT: String(port), DATABASE_PATH: ":memory:", SIMULATORS: "on" }), 30_000);
    const started = portal.start().then(
      () => "started",
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const outcome = await started;
    if (outcome === "started") await portal.stop("SIGTERM");
    expect(outcome).toMatch(/server exited \(1\) before listening/);
    expect(outcome).toMatch(/SIMULATORS: the payment and post simulators are refused in production/);
  });
});
