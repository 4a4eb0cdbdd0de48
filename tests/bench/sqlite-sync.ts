// `npm run bench:sqlite [-- --transactions 1000 --rounds 3]`: what synchronous=FULL costs against
// NORMAL (both in WAL mode) for a submit-like write: one IMMEDIATE transaction that inserts a
// dossier row and its event and upserts the event's daily counters (the real recordEvent).
// The two modes run in alternating rounds on fresh files, so a busy machine slows both alike.
// Files go under data/ (BENCH_DIR to override): the file system the portal's database lives on,
// since fsync cost is a property of the disk (a tmpfs would make FULL look free).
import { benchProcedure, submitLike } from "./submit-like";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";
import type { Db } from "../../app/server/platform/db.server";
import type { SqliteSynchronous } from "../../app/server/platform/env.server";
import { recordEvent } from "../../app/server/statistics/events.server";

const { values: args } = parseArgs({ options: { transactions: { type: "string", default: "1000" }, rounds: { type: "string", default: "3" } } });
const TRANSACTIONS = Number(args.transactions);
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(TRANSACTIONS) || TRANSACTIONS < 1 || !Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error("--transactions and --rounds are positive integers");
const MODES: SqliteSynchronous[] = ["NORMAL", "FULL"];

const parent = path.resolve(process.env.BENCH_DIR ?? "data");
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(path.join(parent, "bench-sqlite-sync-"));

/** A migrated database with the one agency and procedure the dossiers point to. */
async function prepare(mode: SqliteSynchronous, round: number): Promise<{ db: Db; procedureId: number; agencyId: number }> {
  const db = await bootstrapFile(path.join(dir, `${mode.toLowerCase()}-${round}.db`), { seed: false, synchronous: mode });
  return { db, ...(await benchProcedure(db)) };
}

async function runRound(mode: SqliteSynchronous, round: number): Promise<{ seconds: number; latencies: number[] }> {
  const { db, procedureId, agencyId } = await prepare(mode, round);
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < TRANSACTIONS; i += 1) {
    const t0 = performance.now();
    await submitLike(db, { receiptCode: `B${round}-${i}`, procedureId, agencyId, now: new Date(), feeVnd: 0, record: recordEvent });
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  db.$client.close();
  return { seconds, latencies };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const results = new Map<SqliteSynchronous, { seconds: number; latencies: number[] }>(MODES.map((m) => [m, { seconds: 0, latencies: [] }]));
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const mode of round % 2 === 0 ? MODES : [...MODES].reverse()) {
      const r = await runRound(mode, round);
      const total = results.get(mode);
      if (total) {
        total.seconds += r.seconds;
        total.latencies.push(...r.latencies);
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `${TRANSACTIONS} submit-like transactions × ${ROUNDS} rounds per mode, WAL, on ${parent} — ${os.cpus().length} cores, load ${os.loadavg()[0]?.toFixed(1)}, ${new Date().toISOString()}`,
);
console.log("synchronous".padEnd(12), "tx/s".padStart(8), "p50 ms".padStart(8), "p99 ms".padStart(8), "max ms".padStart(8));
const rate = new Map<SqliteSynchronous, number>();
for (const [mode, r] of results) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  rate.set(mode, r.latencies.length / r.seconds);
  console.log(
    mode.padEnd(12),
    (r.latencies.length / r.seconds).toFixed(0).padStart(8),
    percentile(sorted, 50).toFixed(2).padStart(8),
    percentile(sorted, 99).toFixed(2).padStart(8),
    (sorted.at(-1) ?? 0).toFixed(2).padStart(8),
  );
}
console.log(`FULL runs at ${((100 * (rate.get("FULL") ?? 0)) / (rate.get("NORMAL") ?? 1)).toFixed(0)} % of NORMAL's rate`);
