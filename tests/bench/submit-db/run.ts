// `npm run bench:submit-db [-- --seconds 10 --concurrency 8 --rounds 2]`: submission writes per
// second on SQLite and on PostgreSQL, from one process and from two at once, beside a bare baseline
// on each database (the same two rows through the driver alone), in one sitting (issue 15).
// Each variant gets a fresh database: a SQLite file under data/ (BENCH_DIR to override: the disk the
// portal's file would live on) or a database of a throwaway PostgreSQL cluster started here
// (tests/setup/postgres-cluster.ts; fsync off, as the test cluster is — see the note printed below).
// Workers are separate processes (worker.ts), each writing from --concurrency concurrent requests.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";
import { startPostgresCluster } from "../../setup/postgres-cluster";

const { values } = parseArgs({
  options: { seconds: { type: "string", default: "10" }, concurrency: { type: "string", default: "8" }, rounds: { type: "string", default: "2" } },
});
const SECONDS = z.coerce.number().positive().parse(values.seconds);
const CONCURRENCY = z.coerce.number().int().positive().parse(values.concurrency);
const ROUNDS = z.coerce.number().int().positive().parse(values.rounds);

const ROOT = path.resolve(import.meta.dirname, "../../..");
const parent = path.resolve(process.env.BENCH_DIR ?? "data");
mkdirSync(parent, { recursive: true });
const scratch = mkdtempSync(path.join(parent, "bench-submit-db-"));
const cluster = await startPostgresCluster();

type Database = "sqlite" | "postgres";
type Mode = "portal" | "bare";
type Variant = { database: Database; mode: Mode; processes: 1 | 2 };
const VARIANTS: Variant[] = (["sqlite", "postgres"] as const).flatMap((database) =>
  (["bare", "portal"] as const).flatMap((mode) => ([1, 2] as const).map((processes) => ({ database, mode, processes }))),
);
const label = (v: Variant) => `${v.database} ${v.mode} ×${v.processes}`;

const SetupSchema = z.object({ procedureId: z.number(), agencyId: z.number() });
const RunSchema = z.object({ commits: z.number(), seconds: z.number(), latencies: z.array(z.number()) });

function runWorker(env: Record<string, string>, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tests/bench/submit-db/worker.ts", ...args], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: "production",
        SESSION_SECRET: "s".repeat(40),
        PAYMENT_HASH_SECRET: "p".repeat(40),
        PAYMENT_TMN_CODE: "BENCH001",
        RESULT_SIGNING_SECRET: "r".repeat(40),
        TWO_FACTOR_KEY: "t".repeat(40),
        SEARCH_WORKERS: "off",
        ...env,
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${args.join(" ")} exited with ${code}`))));
  });
}

let fresh = 0;
async function measure(v: Variant) {
  fresh += 1;
  const env: Record<string, string> =
    v.database === "postgres"
      ? await cluster.createDatabase(`bench_${fresh}`).then(() => ({ DATABASE_URL: cluster.url(`bench_${fresh}`), DATABASE_POOL_SIZE: String(CONCURRENCY) }))
      : { DATABASE_PATH: path.join(scratch, `bench-${fresh}.db`) };
  const ids = SetupSchema.parse(JSON.parse(await runWorker(env, ["--task", "setup"])));
  const runEnv = { ...env, BENCH_PROCEDURE_ID: String(ids.procedureId), BENCH_AGENCY_ID: String(ids.agencyId) };
  const args = ["--task", "run", "--mode", v.mode, "--seconds", String(SECONDS), "--concurrency", String(CONCURRENCY)];
  const outs = await Promise.all(Array.from({ length: v.processes }, () => runWorker(runEnv, args)));
  const runs = outs.map((o) => RunSchema.parse(JSON.parse(o)));
  return { commits: runs.reduce((s, r) => s + r.commits, 0), seconds: Math.max(...runs.map((r) => r.seconds)), latencies: runs.flatMap((r) => r.latencies) };
}

const results = new Map<string, { commits: number; seconds: number; latencies: number[] }>();
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternate the order, so a machine slowing down over the sitting weighs on every variant alike.
    for (const v of round % 2 === 0 ? VARIANTS : [...VARIANTS].reverse()) {
      const r = await measure(v);
      const total = results.get(label(v)) ?? { commits: 0, seconds: 0, latencies: [] };
      total.commits += r.commits;
      total.seconds += r.seconds;
      for (const l of r.latencies) total.latencies.push(l);
      results.set(label(v), total);
    }
  }
} finally {
  cluster.stop();
  rmSync(scratch, { recursive: true, force: true });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
const rate = (v: Variant) => {
  const r = results.get(label(v));
  return r ? r.commits / r.seconds : Number.NaN;
};
console.log(
  `# Submission writes per second — ${ROUNDS} rounds × ${SECONDS} s per variant, ${CONCURRENCY} concurrent requests per process; ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}, ${new Date().toISOString()}`,
);
console.log("SQLite: WAL, synchronous=NORMAL, on", parent, "— PostgreSQL: throwaway cluster, fsync off (the test settings: commits not forced to disk)");
console.log("| variant | writes/s | p50 ms | p99 ms | portal ÷ bare |");
console.log("|---|---:|---:|---:|---:|");
for (const v of VARIANTS) {
  const r = results.get(label(v));
  if (!r) continue;
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const share = v.mode === "portal" ? `${((100 * rate(v)) / rate({ ...v, mode: "bare" })).toFixed(1)} %` : "";
  console.log(`| ${label(v)} | ${rate(v).toFixed(0)} | ${percentile(sorted, 50).toFixed(2)} | ${percentile(sorted, 99).toFixed(2)} | ${share} |`);
}
