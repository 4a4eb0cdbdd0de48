// The dashboard page as an administrator opens it (issue 14): `GET /admin/statistics` over HTTP from
// the production server (node server.js on the build), signed in through the login form, on a scale
// database — what the query timings of stats-dashboard.ts leave out (the loader's other calls, React's
// render, the formatting of every figure, gzip). Used by stats-dashboard.ts, which compares each page
// with its in-process query time.
import autocannon from "autocannon";
import argon2 from "argon2";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { schema } from "../../app/server/platform/schema.server";
import type { Db } from "../../app/server/platform/db.server";
import { buildProblem, freePort, PortalProcess, productionEnv } from "../integration/portal-process";

/** One page's timing; `htmlKib` (the uncompressed page) only from the sequential run, p95 only where measured (autocannon gives p97.5). */
export type HttpTiming = { connections: number; requests: number; p50: number; p95: number | null; p99: number; reqPerSec: number; htmlKib: number | null };

/** Nearest-rank percentile of sorted samples. */
const percentile = (sorted: readonly number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;

/**
 * A bench administrator on the scale database (kept: the scale file is the bench's own): a system
 * administrator for the whole country, or an agency administrator of one agency. Its password is
 * new and random on every run, so an administrator account left in a file never has one anybody knows.
 */
export async function ensureBenchAdmin(db: Db, scope: { agencyId: number | null }): Promise<{ email: string; password: string }> {
  const email = scope.agencyId === null ? "bench-admin@scale.invalid" : `bench-admin-${scope.agencyId}@scale.invalid`;
  const password = randomBytes(24).toString("base64url");
  const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
  // Awaited, the form both databases' builders share (bench:stats --postgres runs this on PostgreSQL).
  await db
    .insert(schema.users)
    .values({ email, fullName: "Bench administrator", passwordHash, role: scope.agencyId === null ? "system_admin" : "agency_admin", agencyId: scope.agencyId })
    .onConflictDoUpdate({ target: schema.users.email, set: { passwordHash } });
  return { email, password };
}

/**
 * The portal's production server on `file` (not seeded: the scale catalog stays as generated), or,
 * with `file` null, on the DATABASE_URL it inherits from this process (bench:stats --postgres).
 */
export async function startScalePortal(file: string | null, profileDir?: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const problem = buildProblem();
  if (problem) throw new Error(`the HTTP figures need the production build: ${problem} (or pass --skip-http)`);
  const port = await freePort();
  const storage = mkdtempSync(path.join(tmpdir(), "stats-http-"));
  // A V8 CPU profile of the server, written when it stops (tests/bench/profile-summary.ts reads it).
  const profile = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(profileDir)}`] : [];
  const portal = new PortalProcess(
    productionEnv({
      PORT: String(port),
      DATABASE_PATH: file ? path.resolve(file) : path.join(storage, "unused.db"),
      STORAGE_DIR: storage,
      SEED_ON_START: "false",
    }),
    180_000,
    20_000,
    profile,
  );
  await portal.start();
  return {
    base: `http://127.0.0.1:${port}`,
    stop: async () => {
      await portal.stop("SIGTERM");
      rmSync(storage, { recursive: true, force: true });
    },
  };
}

/** Signs in through the login form, as a person does; the session cookie. */
export async function signInCookie(base: string, { email, password }: { email: string; password: string }): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.includes("="))
    ?.split(";")[0];
  if (res.status !== 302 || !cookie) throw new Error(`signing in as ${email} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  return cookie;
}

/**
 * The page fetched one request after another (one connection, keep-alive), `warmup` times untimed
 * then `runs` times, each answer checked: 200, and the figure `expect` (e.g. the period's submitted
 * dossiers as the page writes them) in the HTML — a page of errors or a sign-in form is not timed.
 */
export async function timeSequential(url: string, cookie: string, expect: string, runs: number, warmup: number): Promise<HttpTiming> {
  const samples: number[] = [];
  let bytes = 0;
  for (let i = 0; i < warmup + runs; i += 1) {
    const t = performance.now();
    const res = await fetch(url, { headers: { Cookie: cookie, "Accept-Encoding": "gzip" }, redirect: "manual" });
    const body = await res.text();
    const ms = performance.now() - t;
    if (res.status !== 200 || !body.includes(expect))
      throw new Error(`${url} answered ${res.status} without "${expect}": ${body.replace(/\s+/g, " ").slice(0, 300)}`);
    if (i >= warmup) {
      samples.push(ms);
      bytes = body.length;
    }
  }
  samples.sort((a, b) => a - b);
  const total = samples.reduce((s, x) => s + x, 0);
  return {
    connections: 1,
    requests: runs,
    p50: percentile(samples, 0.5),
    p95: percentile(samples, 0.95),
    p99: percentile(samples, 0.99),
    reqPerSec: (1000 * runs) / total,
    htmlKib: bytes / 1024,
  };
}

/** The page under `connections` concurrent administrators for `seconds` (closed loop, autocannon), after a short warm-up. */
export async function timeConcurrent(url: string, cookie: string, connections: number, seconds: number): Promise<HttpTiming> {
  const run = (duration: number) => autocannon({ url, connections, duration, timeout: 30, headers: { Cookie: cookie, "Accept-Encoding": "gzip" } });
  await run(Math.min(3, seconds));
  const result = await run(seconds);
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
    throw new Error(`${url} at ${connections} connections: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  return {
    connections,
    requests: result.requests.total,
    p50: result.latency.p50,
    p95: null,
    p99: result.latency.p99,
    reqPerSec: result.requests.total / result.duration,
    htmlKib: null,
  };
}
