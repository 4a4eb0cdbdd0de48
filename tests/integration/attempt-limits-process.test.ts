// Attempt limits on the real server (issue 11, problem 4): kept in the database, so they hold across a
// restart and across two server processes on one database file, and shaped so a stranger failing from
// many addresses slows the owner down but never locks them out. Addresses are set with
// X-Forwarded-For, which the server trusts from loopback (server.js: trust proxy "loopback").
import Database from "better-sqlite3";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeReceiptCode } from "../../app/core/dossiers/receipt-code";
import { buildProblem, freePort, PortalProcess, productionEnv, startPortal } from "./portal-process";

const problem = buildProblem();
const title = problem ? `attempt limits on the running server — SKIPPED: ${problem}` : "attempt limits on the running server";

const OWNER = "cong.dan@example.vn";
const PASSWORD = "CongDan@2026";

let first: PortalProcess | undefined;
let second: PortalProcess | undefined;
let base = "";
let secondBase = "";
let dir = "";

function post(at: string, pathname: string, fields: Record<string, string>, address: string) {
  return fetch(`${at}${pathname}`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: at, "Sec-Fetch-Site": "same-origin", "X-Forwarded-For": address },
    body: new URLSearchParams(fields),
  });
}

const signIn = (address: string, password: string, email = OWNER, at = base) =>
  post(at, "/login", { email, password, redirectTo: "/" }, address).then((r) => r.status);
const track = (address: string, code: string, factor: string, at = base) => post(at, "/track", { code, factor }, address).then((r) => r.status);

async function restart() {
  await first?.stop("SIGTERM");
  await first?.start();
}

/** A counter dossier written straight into the server's database, tracked with its phone. */
function insertDossier(phone: string): string {
  const file = new Database(path.join(dir, "portal.db"));
  try {
    file.pragma("busy_timeout = 5000");
    const procedure = file.prepare("select id, agency_id as agencyId from procedures limit 1").get() as { id: number; agencyId: number };
    const code = makeReceiptCode(
      "2026-12-05",
      Array.from({ length: 6 }, (_, i) => (Date.now() + i * 7) % 32),
    );
    file
      .prepare(
        "insert into dossiers (receipt_code, procedure_id, agency_id, form_version, channel, status, answers, language, applicant_phone, submitted_at) values (?, ?, ?, 1, 'counter', 1, '{}', 'vi', ?, ?)",
      )
      .run(code, procedure.id, procedure.agencyId, phone, Date.now());
    return code;
  } finally {
    file.close();
  }
}

describe.skipIf(problem !== null)(title, () => {
  beforeAll(async () => {
    let port: number;
    ({ portal: first, base, dir, port } = await startPortal("limits"));
    const secondPort = await freePort();
    expect(secondPort).not.toBe(port);
    second = new PortalProcess(productionEnv({ PORT: String(secondPort), DATABASE_PATH: path.join(dir, "portal.db"), STORAGE_DIR: path.join(dir, "storage") }));
    await second.start();
    secondBase = `http://127.0.0.1:${secondPort}`;
  }, 120_000);
  afterAll(async () => {
    await first?.stop("SIGTERM");
    await second?.stop("SIGTERM");
  });

  it("lets the owner sign in from their own address after wrong passwords from five, then eleven, other addresses (slowed, not locked)", async () => {
    for (let i = 1; i <= 5; i += 1) expect(await signIn(`203.0.113.${i}`, `sai-mat-khau-${i}`)).toBe(400);
    expect(await signIn("198.51.100.7", PASSWORD)).toBe(302);
    // Past the per-account ceiling (ten failures in the window) the answer is delayed, never refused.
    for (let i = 6; i <= 11; i += 1) expect(await signIn(`203.0.113.${i}`, `sai-mat-khau-${i}`)).toBe(400);
    const started = Date.now();
    expect(await signIn("198.51.100.7", PASSWORD)).toBe(302);
    expect(Date.now() - started).toBeGreaterThanOrEqual(450);
  }, 120_000);

  it("keeps refusing a guesser on one account from one address across a restart", async () => {
    const email = "tran.thi.binh@example.vn";
    for (let i = 0; i < 5; i += 1) expect(await signIn("192.0.2.10", `sai-${i}-mat-khau`, email)).toBe(400);
    await restart();
    expect(await signIn("192.0.2.10", PASSWORD, email)).toBe(429);
    expect(await signIn("192.0.2.11", PASSWORD, email)).toBe(302);
  }, 120_000);

  it("shares the counts between two server processes on one database (an administrator's account)", async () => {
    const email = "quan.tri@example.vn";
    for (let i = 0; i < 3; i += 1) expect(await signIn("192.0.2.20", `sai-${i}-mat-khau`, email, base)).toBe(400);
    for (let i = 3; i < 5; i += 1) expect(await signIn("192.0.2.20", `sai-${i}-mat-khau`, email, secondBase)).toBe(400);
    expect(await signIn("192.0.2.20", PASSWORD, email, base)).toBe(429);
    expect(await signIn("192.0.2.20", PASSWORD, email, secondBase)).toBe(429);
  }, 120_000);

  it("limits /track per address and code, across a restart, while the owner gets in from a fresh address", async () => {
    const code = insertDossier("0987654321");
    for (let i = 0; i < 10; i += 1) expect(await track("192.0.2.30", code, String(1000 + i), i % 2 === 0 ? base : secondBase)).toBe(404);
    expect(await track("192.0.2.30", code, "0987654321")).toBe(429);
    expect(await track("198.51.100.30", code, "0987654321")).toBe(200);
    await restart();
    expect(await track("192.0.2.30", code, "0987654321")).toBe(429);
    expect(await track("198.51.100.31", code, "0987654321", secondBase)).toBe(200);
  }, 120_000);

  it("limits /track guesses across many codes from one address", async () => {
    for (let i = 0; i < 30; i += 1)
      expect(await track("192.0.2.40", makeReceiptCode("2026-12-01", [i, 1, 2, 3, 4, 5]), "0900000000", i % 2 === 0 ? base : secondBase)).toBe(404);
    expect(await track("192.0.2.40", makeReceiptCode("2026-12-01", [9, 9, 9, 9, 9, 9]), "0900000000")).toBe(429);
  }, 120_000);

  it("limits registrations per address, across a restart and the second process", async () => {
    const register = (n: number, at: string) =>
      post(
        at,
        "/register",
        { fullName: "Người Thử", email: `dang.ky.${n}@example.vn`, phone: "", password: "mat-khau-rat-dai-2026", confirm: "mat-khau-rat-dai-2026" },
        "192.0.2.50",
      ).then((r) => r.status);
    for (let i = 0; i < 6; i += 1) expect(await register(i, base)).toBe(200);
    await restart();
    for (let i = 6; i < 10; i += 1) expect(await register(i, secondBase)).toBe(200);
    expect(await register(10, base)).toBe(429);
  }, 180_000);
});
