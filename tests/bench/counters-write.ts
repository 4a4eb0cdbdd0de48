// `npm run bench:counters [-- --transactions 2000 --rounds 4]`: what keeping the counters costs a
// write, triggers against TypeScript (docs/decisions/021). A submit-like transaction — IMMEDIATE,
// insert a dossier, record its `submitted` event — on a commune three levels deep (its counts go
// to 4 subtrees: the commune, its district, its province, the country), without a fee (1 counter
// cell) and with one (2 cells: submitted and submitted_fee).
//   triggers (recordEvent as it was): the event and its daily_counts upsert built by drizzle per call,
//               the other tables kept by migration 0005's 19 triggers, re-created from that file after migrating;
//   triggers:   the same with the daily_counts upsert prepared once, as the store prepares its own
//               statements — so the two differ only in who keeps the derived tables;
//   typescript: the real recordEvent, the counters store (app/server/statistics/counters.server.ts).
// Every round runs each variant on a fresh file, in alternating order, so a busy machine slows
// both alike; then both files are checked equal (same counters, same derived tables).
import { sql } from "drizzle-orm";
import { submitLike } from "./submit-like";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { rollupRows } from "../../app/core/statistics/rollup";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";
import { inTransaction, openDatabase, type Db, type Tx } from "../../app/server/platform/db.server";
import { recordEvent, type NewEvent } from "../../app/server/statistics/events.server";
import { addToCatalogCounts } from "../../app/server/statistics/counters.server";
import { schema } from "../../app/server/platform/schema.server";

const { values: args } = parseArgs({ options: { transactions: { type: "string", default: "2000" }, rounds: { type: "string", default: "4" } } });
const TRANSACTIONS = Number(args.transactions);
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(TRANSACTIONS) || TRANSACTIONS < 1 || !Number.isInteger(ROUNDS) || ROUNDS < 1)
  throw new Error("--transactions and --rounds are positive integers");

const VARIANTS = ["triggers (recordEvent as it was)", "triggers", "typescript"] as const;
type Variant = (typeof VARIANTS)[number];
const WORKLOADS = [
  { name: "submit, 1 cell", feeVnd: 0 },
  { name: "submit + fee, 2 cells", feeVnd: 50_000 },
] as const;

const parent = path.resolve(process.env.BENCH_DIR ?? "data");
mkdirSync(parent, { recursive: true });
const dir = mkdtempSync(path.join(parent, "bench-counters-"));

/** Migration 0005's CREATE TRIGGER statements, as the file has them. */
const TRIGGERS = readFileSync(path.resolve("db/migrations/0005_subtree-counters.sql"), "utf8")
  .split("--> statement-breakpoint")
  .map((s) =>
    s
      .split("\n")
      .filter((line) => !line.startsWith("--"))
      .join("\n")
      .trim(),
  )
  .filter((s) => s.startsWith("CREATE TRIGGER"));
if (TRIGGERS.length !== 19) throw new Error(`expected the 19 triggers of migration 0005, found ${TRIGGERS.length}`);

/** recordEvent before decision 021: the event and its daily_counts upserts; the triggers did the rest. */
async function recordEventAsItWas(tx: Tx, event: NewEvent): Promise<void> {
  const row = { ...event, occurredAt: event.occurredAt ?? new Date() };
  await inTransaction(async (inner) => {
    await inner.insert(schema.dossierEvents).values(row);
    for (const key of rollupRows(row)) {
      await inner
        .insert(schema.dailyCounts)
        .values({ ...key, count: 1 })
        .onConflictDoUpdate({
          target: [schema.dailyCounts.metric, schema.dailyCounts.day, schema.dailyCounts.agencyId, schema.dailyCounts.procedureId, schema.dailyCounts.channel],
          set: { count: sql`${schema.dailyCounts.count} + 1` },
        });
    }
  }, tx);
}

/** The same with the daily_counts upsert prepared once for the file (the fair comparison with the store, which prepares its statements). */
function recordEventPrepared(db: Db): (tx: Tx, event: NewEvent) => Promise<void> {
  const upsert = db
    .insert(schema.dailyCounts)
    .values({
      metric: sql.placeholder("metric"),
      day: sql.placeholder("day"),
      agencyId: sql.placeholder("agencyId"),
      procedureId: sql.placeholder("procedureId"),
      channel: sql.placeholder("channel"),
      count: 1,
    })
    .onConflictDoUpdate({
      target: [schema.dailyCounts.metric, schema.dailyCounts.day, schema.dailyCounts.agencyId, schema.dailyCounts.procedureId, schema.dailyCounts.channel],
      set: { count: sql`${schema.dailyCounts.count} + 1` },
    })
    .prepare();
  return async (tx, event) => {
    const row = { ...event, occurredAt: event.occurredAt ?? new Date() };
    await inTransaction(async (inner) => {
      await inner.insert(schema.dossierEvents).values(row);
      for (const key of rollupRows(row)) await upsert.execute(key);
    }, tx);
  };
}

/** A migrated database with a province › district › commune and one level-3 procedure of the commune. */
async function prepare(variant: Variant, file: string): Promise<{ db: Db; procedureId: number; agencyId: number }> {
  const db = await bootstrapFile(file, { seed: false });
  if (variant !== "typescript") for (const t of TRIGGERS) db.$client.exec(t);
  const { procedureId, agencyId } = await inTransaction(async (tx) => {
    let parentPath = "/";
    let agencyId = 0;
    for (const [depth, kind] of (["province", "district", "commune"] as const).entries()) {
      const [agency] = await tx
        .insert(schema.agencies)
        .values({ code: `bench-${depth}`, kind, nameVi: `Cơ quan thử ${depth}`, path: `${parentPath}x/`, depth })
        .returning();
      if (!agency) throw new Error("the new agency's row was not returned");
      parentPath = `${parentPath}${agency.id}/`;
      await tx
        .update(schema.agencies)
        .set({ path: parentPath })
        .where(sql`id = ${agency.id}`);
      agencyId = agency.id;
    }
    const [field] = await tx.insert(schema.fields).values({ code: "bench", nameVi: "Thử" }).returning();
    if (!field) throw new Error("the new field's row was not returned");
    const [procedure] = await tx
      .insert(schema.procedures)
      .values({ code: "9.999999", nameVi: "Thủ tục thử", agencyId, fieldId: field.id, level: 3, processingDays: 5, details: {}, deliveryModes: ["counter"] })
      .returning();
    if (!procedure) throw new Error("the new procedure's row was not returned");
    // The triggers counted the procedure into the catalog's size; without them, the store does (as the seed does).
    if (variant === "typescript") await addToCatalogCounts(tx, [{ agencyId, level: procedure.level, count: 1 }]);
    return { procedureId: procedure.id, agencyId };
  }, db);
  return { db, procedureId, agencyId };
}

async function runRound(
  variant: Variant,
  workload: (typeof WORKLOADS)[number],
  round: number,
): Promise<{ seconds: number; latencies: number[]; file: string }> {
  const file = path.join(dir, `${VARIANTS.indexOf(variant)}-${workload.feeVnd}-${round}.db`);
  const { db, procedureId, agencyId } = await prepare(variant, file);
  const record = variant === "typescript" ? recordEvent : variant === "triggers" ? recordEventPrepared(db) : recordEventAsItWas;
  const latencies: number[] = [];
  // The same instants on both variants (a day's worth of submissions, one a minute), so their counters can be compared.
  const start0 = Date.UTC(2026, 11, 1, 1, 0, 0);
  const start = performance.now();
  for (let i = 0; i < TRANSACTIONS; i += 1) {
    const t0 = performance.now();
    const now = new Date(start0 + i * 60_000);
    await submitLike(db, { receiptCode: `B${round}-${i}`, procedureId, agencyId, now, feeVnd: workload.feeVnd, record });
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - start) / 1000;
  db.$client.close();
  return { seconds, latencies, file };
}

/** Every counter table of a file, as text, to compare the two variants. */
function dump(file: string): string {
  const db = openDatabase(file);
  const tables = [
    "daily_counts",
    "subtree_daily",
    "subtree_monthly",
    "subtree_totals_daily",
    "subtree_totals_monthly",
    "procedure_portal_use",
    "catalog_counts",
  ];
  const text = tables.map((t) => `${t}: ${JSON.stringify(db.$client.prepare(`select * from ${t} order by 1, 2, 3`).all())}`).join("\n");
  db.$client.close();
  return text;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

type Total = { seconds: number; latencies: number[] };
const results = new Map<string, Total>();
const load = [os.loadavg()[0] ?? 0];
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const workload of WORKLOADS) {
      const files: string[] = [];
      // Each round starts with another variant (a rotation), so none always runs first or last.
      for (const variant of VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] ?? "typescript")) {
        const r = await runRound(variant, workload, round);
        files.push(r.file);
        const key = `${workload.name}|${variant}`;
        const total = results.get(key) ?? { seconds: 0, latencies: [] };
        total.seconds += r.seconds;
        total.latencies.push(...r.latencies);
        results.set(key, total);
      }
      const [a, ...others] = files.map(dump);
      for (const b of others) if (a !== b) throw new Error(`round ${round}, ${workload.name}: the variants' counter tables differ:\n${a}\n${b}`);
    }
    load.push(os.loadavg()[0] ?? 0);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `${TRANSACTIONS} submit-like transactions × ${ROUNDS} rounds per variant and workload, WAL, synchronous NORMAL, on ${parent} — ${os.cpus().length} cores, load ${load.map((l) => l.toFixed(1)).join(" → ")}, ${new Date().toISOString()}`,
);
console.log("| workload | counters kept by | tx/s | p50 ms | p99 ms | max ms |");
console.log("|---|---|---:|---:|---:|---:|");
for (const workload of WORKLOADS) {
  const p50 = new Map<Variant, number>();
  const rate = new Map<Variant, number>();
  for (const variant of VARIANTS) {
    const r = results.get(`${workload.name}|${variant}`);
    if (!r) continue;
    const sorted = [...r.latencies].sort((x, y) => x - y);
    rate.set(variant, r.latencies.length / r.seconds);
    p50.set(variant, percentile(sorted, 50));
    console.log(
      `| ${workload.name} | ${variant} | ${(r.latencies.length / r.seconds).toFixed(0)} | ${percentile(sorted, 50).toFixed(3)} | ${percentile(sorted, 99).toFixed(3)} | ${(sorted.at(-1) ?? 0).toFixed(2)} |`,
    );
  }
  for (const base of ["triggers", "triggers (recordEvent as it was)"] as const) {
    const ratio = (rate.get(base) ?? 0) / (rate.get("typescript") ?? 1);
    console.log(
      `| ${workload.name} | typescript ÷ ${base} | time per write × ${ratio.toFixed(2)} | × ${((p50.get("typescript") ?? 0) / (p50.get(base) ?? 1)).toFixed(2)} | | |`,
    );
  }
}
console.log("The variants' counter tables were equal after every round.");
