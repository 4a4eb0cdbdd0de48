import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { slugify } from "../../app/core/text/fold";
import { getForm, getProcedure, listProcedures } from "../../app/server/catalog/catalog.server";
import { db, openDatabase } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { EVENT_TYPES } from "../../app/server/statistics/events.server";
import { verifyRollups } from "../../app/server/statistics/rollup.server";
import { funnel, parseStatisticsQuery, summary } from "../../app/server/statistics/dashboard.server";
import { apportion } from "../../db/scale/catalog";
import { databaseFiles, generateScaleDb, type ScaleOptions, type ScaleResult } from "../../db/scale/generate";
import { readReportedCsv } from "../../db/seed";

// A small scale database: 2,000 procedures (scaled down from the appendix's 125,336) and 20,000
// events over 120 days. It is written to this test file's own DATABASE_PATH, so the app's query
// layer and catalog run on it as they would on a generated benchmark database.
const OPTIONS = { events: 20_000, procedures: 2_000, seed: 7, days: 120, end: "2026-06-30", now: new Date("2026-07-01T00:00:00Z") } satisfies Omit<
  ScaleOptions,
  "file"
>;
const PERIOD_START = Date.parse("2026-03-03T00:00:00+07:00");
const PERIOD_END = Date.parse("2026-07-01T00:00:00+07:00");

const CountRowSchema = z.object({ root: z.string(), level: z.number(), synthetic: z.number(), n: z.number() });

/** A digest of everything generated: the catalog, the log and the counters, in a fixed order. */
function checksum(file: string): string {
  const sqlite = new Database(file, { readonly: true });
  try {
    const hash = createHash("sha256");
    const statements = [
      "select code, name_vi, agency_id, field_id, level, processing_days, fee_vnd, delivery_modes from procedures order by id",
      "select id, type, occurred_at, procedure_id, agency_id, actor_role, channel, from_status, to_status, data from dossier_events order by id",
      "select metric, day, agency_id, procedure_id, channel, count from daily_counts order by metric, day, agency_id, procedure_id, channel",
    ];
    for (const sql of statements) for (const row of sqlite.prepare(sql).raw().iterate()) hash.update(JSON.stringify(row));
    return hash.digest("hex");
  } finally {
    sqlite.close();
  }
}

async function timed(options: ScaleOptions): Promise<{ result: ScaleResult; ms: number }> {
  const t = performance.now();
  const result = await generateScaleDb(options);
  return { result, ms: performance.now() - t };
}

let generated: { result: ScaleResult; ms: number };
beforeAll(async () => {
  // The generator creates its file, as `npm run db:scale` does: the copied template goes first (a seed run
  // on an already seeded file uses up row ids, so the catalog's ids, and the events drawn on them, would
  // differ from those of the fresh files compared below).
  for (const file of databaseFiles(env().DATABASE_PATH)) rmSync(file);
  generated = await timed({ ...OPTIONS, file: env().DATABASE_PATH });
}, 120_000);

describe("the scale generator (db/generate-scale.ts)", () => {
  it("writes exactly the events asked for, within the period, with the columns and values the app writes", () => {
    expect(generated.result.events).toBe(20_000);
    expect(generated.result.period).toEqual({ from: "2026-03-03", to: "2026-06-30" });
    const stats = z.object({ n: z.number(), first: z.number(), last: z.number(), dossiers: z.number(), actors: z.number(), ordered: z.number() }).parse(
      db()
        .$client.prepare(
          `select count(*) as n, min(occurred_at) as first, max(occurred_at) as last, count(dossier_id) as dossiers, count(actor_id) as actors,
             (select count(*) from dossier_events e2 join dossier_events e1 on e1.id = e2.id - 1 where e2.occurred_at < e1.occurred_at) as ordered
           from dossier_events`,
        )
        .get(),
    );
    expect(stats.n).toBe(20_000);
    expect(stats.first).toBeGreaterThanOrEqual(PERIOD_START);
    expect(stats.last).toBeLessThan(PERIOD_END);
    // No dossier or user rows exist for these events: no ids that a real dossier could later claim.
    expect(stats.dossiers).toBe(0);
    expect(stats.actors).toBe(0);
    // Ids follow time to the millisecond, as in the app's log.
    expect(stats.ordered).toBe(0);
    const types = z.array(z.string()).parse(db().$client.prepare("select distinct type from dossier_events").pluck().all());
    for (const t of types) expect(EVENT_TYPES).toContain(t);
    const channels = z.array(z.string().nullable()).parse(db().$client.prepare("select distinct channel from dossier_events").pluck().all());
    expect(new Set(channels)).toEqual(new Set([null, "online", "assisted", "counter"]));
    // The views carry no channel and no actor, like recordProcedureView's.
    expect(
      db()
        .$client.prepare("select count(*) from dossier_events where type = 'procedure_viewed' and (channel is not null or actor_role is not null)")
        .pluck()
        .get(),
    ).toBe(0);
  });

  it("fills the catalog to each agency's share, with the appendix's level-4 proportion (the seed kept where it is larger)", () => {
    const reported = readReportedCsv();
    const shares = apportion(
      2_000,
      reported.map((r) => r.total_procedures),
    );
    const rows = z.array(CountRowSchema).parse(
      db()
        .$client.prepare(
          `select root.code as root, p.level as level, sum(p.code glob 'S.[0-9]*') as synthetic, count(*) as n
           from procedures p join agencies a on a.id = p.agency_id join agencies root on root.depth = 0 and a.path glob root.path || '*'
           group by root.code, p.level`,
        )
        .all(),
    );
    const of = (root: string, level?: number) => rows.filter((r) => r.root === root && (level === undefined || r.level === level));
    const sum = (list: { n: number }[]) => list.reduce((s, r) => s + r.n, 0);
    let exactAgencies = 0;
    for (const [i, r] of reported.entries()) {
      const code = slugify(r.agency);
      const share = shares[i] ?? 0;
      const level4 = Math.round((share * r.level4_services) / r.total_procedures);
      const seeded = of(code).reduce((s, x) => s + x.n - x.synthetic, 0);
      const seededLevel4 = of(code, 4).reduce((s, x) => s + x.n - x.synthetic, 0);
      expect(sum(of(code, 4)), code).toBe(Math.max(level4, seededLevel4));
      if (seeded === 0) {
        expect(sum(of(code)), code).toBe(share);
        exactAgencies += 1;
      }
    }
    expect(exactAgencies).toBeGreaterThan(70);
    expect(db().$client.prepare("select count(*) from procedures").pluck().get()).toBe(generated.result.procedures);
    expect(generated.result.procedures).toBeGreaterThanOrEqual(2_000);
    expect(generated.result.procedures).toBeLessThan(2_030);
  });

  it("keeps the daily counters equal to the log (the check behind npm run stats:verify)", async () => {
    const check = await verifyRollups(db());
    expect(check.checkedEvents).toBe(20_000);
    expect(check.mismatches).toEqual([]);
    expect(check.actualRows).toBe(generated.result.rollupRows);
    // And the subtree counters, their totals, the portal use and catalog counts summed in bulk after the load.
    expect(check.derived.mismatches).toEqual([]);
    expect(check.derived.actualRows).toBeGreaterThan(check.actualRows / 10);
  });

  it("leaves a catalog the portal can search and show, synthetic procedures included", async () => {
    // Their English names say "load-test procedure", which no real procedure does.
    const found = await listProcedures({ q: "load-test procedure", page: 1 });
    expect(found.total).toBe(generated.result.syntheticProcedures);
    expect(found.items[0]?.code).toMatch(/^S\.\d{6}$/);
    const byCode = await listProcedures({ q: "S.000010", page: 1 });
    expect(byCode.items.map((i) => i.code)).toContain("S.000010");
    const online = db().$client.prepare("select code from procedures where code glob 'S.*' and level >= 3 order by id limit 1").pluck().get();
    const shown = await getProcedure(z.string().parse(online));
    expect(shown?.details.legalBasis[0]).toMatch(/thử tải/);
    expect((await getForm(shown?.procedure.id ?? 0))?.version).toBe(1);
  });

  it("gives the dashboard a funnel that narrows and channels in the expected proportions", async () => {
    const parsed = await parseStatisticsQuery({ agencyPath: "/", params: { from: "2026-03-03", to: "2026-06-30" } });
    if (!parsed.success) throw new Error("query");
    const s = await summary({ agencyPath: "/", query: parsed.query });
    const steps = new Map((await funnel({ agencyPath: "/", query: parsed.query })).steps.map((st) => [st.step, st.count]));
    const viewed = steps.get("viewed") ?? 0;
    const started = steps.get("form_started") ?? 0;
    const submitted = steps.get("submitted") ?? 0;
    expect(viewed).toBeGreaterThan(10 * started);
    expect(started).toBeGreaterThan(submitted);
    expect(submitted).toBeGreaterThan(0);
    expect(s.counts.received).toBeLessThanOrEqual(s.counts.submitted);
    expect(s.counts.result_ready).toBeLessThan(s.counts.received);
    expect(s.counts.submitted_counter).toBeGreaterThan(s.counts.submitted_assisted);
    expect(s.counts.finished_early + s.counts.finished_on_time + s.counts.finished_late).toBe(s.counts.result_ready + s.counts.stopped);
    expect(s.counts.finished_late).toBeGreaterThan(0);
    expect(s.counts.rated_very_satisfied + s.counts.rated_satisfied + s.counts.rated_not_satisfied).toBeGreaterThan(0);
    // Events need no dossiers rows: the late backlog (a snapshot of dossiers) is empty.
    expect(s.counts.late_backlog).toBe(0);
  });

  it("is deterministic for a seed, and a different seed gives different data", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "scale-"));
    const again = await timed({ ...OPTIONS, file: path.join(dir, "same.db") });
    const other = await timed({ ...OPTIONS, seed: 8, file: path.join(dir, "other.db") });
    expect(checksum(path.join(dir, "same.db"))).toBe(checksum(env().DATABASE_PATH));
    expect(checksum(path.join(dir, "other.db"))).not.toBe(checksum(env().DATABASE_PATH));
    // Runtime: a few seconds for this size (seeding the portal included), on a shared two-core machine.
    for (const run of [generated, again, other]) expect(run.ms).toBeLessThan(60_000);
  }, 180_000);

  it("refuses to add a second synthetic year to a database that already has one", async () => {
    await expect(generateScaleDb({ ...OPTIONS, file: env().DATABASE_PATH })).rejects.toThrow(/already has events/);
    // Still one catalog and one log.
    const reopened = openDatabase(env().DATABASE_PATH);
    try {
      expect(reopened.$client.prepare("select count(*) from dossier_events").pluck().get()).toBe(20_000);
    } finally {
      reopened.$client.close();
    }
  });
});
