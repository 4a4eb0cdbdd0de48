// The subtree counters (migration 0005, docs/decisions/009-subtree-counters.md) must give exactly
// what summing daily_counts over the scope gave before them. Random counter cells over several
// agency trees and months are written through the counters store (as a repair or a fixture would:
// every writer goes through it, docs/decisions/021), then every figure of the query layer is
// compared with a reference computed the old way — daily_counts joined with agencies by path and
// with procedures for their current level — before and after procedures change level and cells are corrected.
import { and, asc, between, countDistinct, desc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { addRollupRow, COUNT_KEYS, DAILY_COUNT_METRICS, emptyCounts, type Counts } from "../../app/core/statistics/metrics";
import { bucketStart, type Interval } from "../../app/core/statistics/query";
import { db, inTransaction, onPostgres, selectRaw } from "../../app/server/platform/db.server";
import { asNumber, prefixPattern, startsWith } from "../../app/server/platform/dialect.server";
import { funnel, grouped, parseStatisticsQuery, rankings, summary, timeSeries } from "../../app/server/statistics/dashboard.server";
import { addToCounters, moveProcedure } from "../../app/server/statistics/counters.server";

const dc = schema.dailyCounts;
const ag = schema.agencies;
const pr = schema.procedures;

const NOW = new Date("2026-04-20T03:00:00Z");
const SCOPES = ["/", "ha-noi", "bac-ninh"];
const PERIODS: [string, string][] = [
  ["2026-01-20", "2026-04-10"], // whole months in the middle, days at both ends
  ["2026-02-01", "2026-03-31"], // whole months only
  ["2026-02-10", "2026-02-20"], // days within one month
  ["2026-01-25", "2026-02-28"], // days, then a whole month
  ["2026-03-01", "2026-04-05"], // a whole month, then days
];
// Events in every figure; the catalog ones come from the procedures table; the backlog from dossiers (none here).
const EVENT_KEYS = COUNT_KEYS.filter((k) => !k.startsWith("procedures_") && k !== "late_backlog");

/** A small deterministic generator (the same cells on every run). */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
    return s % n;
  };
}

const RefRowSchema = z.object({
  agency_id: z.number(),
  path: z.string(),
  day: z.string(),
  metric: z.string(),
  channel: z.string(),
  level: z.number().nullable(),
  n: z.number(),
});

async function pathOf(scope: string): Promise<string> {
  if (scope === "/") return "/";
  const [row] = await db().select({ path: ag.path }).from(ag).where(eq(ag.code, scope)).limit(1);
  if (!row) throw new Error(`no agency ${scope}`);
  return row.path;
}

/** The old way: daily_counts cells of the scope and period, with the procedure's current level. */
async function referenceRows(path: string, from: string, to: string) {
  return z.array(RefRowSchema).parse(
    await db()
      .select({
        agency_id: dc.agencyId,
        path: ag.path,
        day: dc.day,
        metric: dc.metric,
        channel: dc.channel,
        level: pr.level,
        n: asNumber(sql`sum(${dc.count})`),
      })
      .from(dc)
      .innerJoin(ag, eq(ag.id, dc.agencyId))
      .leftJoin(pr, eq(pr.id, dc.procedureId))
      .where(and(between(dc.day, from, to), startsWith(ag.path, prefixPattern(path))))
      .groupBy(dc.agencyId, ag.path, dc.day, dc.metric, dc.channel, pr.level),
  );
}

function countsOf(rows: readonly z.infer<typeof RefRowSchema>[]): Counts {
  const counts = emptyCounts();
  for (const r of rows) addRollupRow(counts, { metric: r.metric, channel: r.channel, level: r.level, count: r.n });
  return counts;
}

const events = (c: Counts) => Object.fromEntries(EVENT_KEYS.map((k) => [k, c[k]]));

/** Level-3/4 procedures of the scope's catalog with a portal dossier in the period, by their agency (the old distinct count). */
async function referenceUsed(path: string, from: string, to: string) {
  return await db()
    .select({ agency_id: pr.agencyId, level: pr.level, n: countDistinct(pr.id) })
    .from(dc)
    .innerJoin(pr, eq(pr.id, dc.procedureId))
    .innerJoin(ag, eq(ag.id, pr.agencyId))
    .where(
      and(
        eq(dc.metric, "submitted"),
        between(dc.day, from, to),
        inArray(dc.channel, ["online", "assisted"]),
        gt(dc.count, 0),
        inArray(pr.level, [3, 4]),
        startsWith(ag.path, prefixPattern(path)),
      ),
    )
    .groupBy(pr.agencyId, pr.level);
}

async function checkEverything() {
  const agencies = await db().select({ id: ag.id, code: ag.code, path: ag.path }).from(ag);
  const codeById = new Map(agencies.map((a) => [String(a.id), a.code]));
  for (const scope of SCOPES) {
    const path = await pathOf(scope);
    for (const [from, to] of PERIODS) {
      const label = `${scope} ${from}…${to}`;
      const ref = await referenceRows(path, from, to);
      const used = await referenceUsed(path, from, to);
      const parse = async (params: Record<string, string>) => {
        const parsed = await parseStatisticsQuery({ agencyPath: path, params: { from, to, ...params } });
        if (!parsed.success) throw new Error(`${label}: ${JSON.stringify(parsed.issues)}`);
        return { agencyPath: path, query: parsed.query, now: NOW };
      };

      const s = await summary(await parse({}));
      expect(events(s.counts), label).toEqual(events(countsOf(ref)));
      expect([s.counts.procedures_level3_used, s.counts.procedures_level4_used], `${label} used`).toEqual(
        [3, 4].map((l) => used.filter((u) => u.level === l).reduce((sum, u) => sum + u.n, 0)),
      );

      // By agency: each row is a child's subtree (or the scope's own cells, the "self" row).
      const childOf = (agencyPath: string) => {
        const first = agencyPath.slice(path.length).split("/")[0] ?? "";
        return codeById.get(first) ?? "self";
      };
      const byAgency = await grouped(await parse({ groupBy: "agency" }));
      for (const row of byAgency.rows) {
        const key = row.self ? "self" : row.key;
        expect(events(row.counts), `${label} agency ${key}`).toEqual(events(countsOf(ref.filter((r) => childOf(r.path) === key))));
        const usedHere = used.filter((u) => childOf(agencies.find((a) => a.id === u.agency_id)?.path ?? "") === key);
        expect([row.counts.procedures_level3_used, row.counts.procedures_level4_used], `${label} agency ${key} used`).toEqual(
          [3, 4].map((l) => usedHere.filter((u) => u.level === l).reduce((sum, u) => sum + u.n, 0)),
        );
      }
      const withFigures = new Set(ref.filter((r) => r.n !== 0).map((r) => childOf(r.path)));
      for (const key of withFigures)
        expect(
          byAgency.rows.some((r) => (r.self ? "self" : r.key) === key),
          `${label} row ${key}`,
        ).toBe(true);
      const ranked = await rankings(await parse({ groupBy: "agency" }));
      for (const r of ranked.onlineDossiers)
        expect(r.value.submitted, `${label} ranking ${r.code}`).toBe(countsOf(ref.filter((x) => childOf(x.path) === r.code)).submitted);

      for (const [groupBy, keyOf] of [
        ["level", (r: z.infer<typeof RefRowSchema>) => (r.level === null ? "none" : String(r.level))],
        ["channel", (r: z.infer<typeof RefRowSchema>) => r.channel || "none"],
      ] as const) {
        const result = await grouped(await parse({ groupBy }));
        for (const row of result.rows)
          expect(events(row.counts), `${label} ${groupBy} ${row.key}`).toEqual(events(countsOf(ref.filter((r) => keyOf(r) === row.key))));
      }

      for (const interval of ["day", "week", "month"] satisfies Interval[]) {
        const series = await timeSeries(await parse({ interval }));
        for (const pt of series.points) {
          const inBucket = ref.filter((r) => bucketStart(r.day, interval) === pt.bucket);
          const sum = (metric: string, channel?: string) =>
            inBucket.filter((r) => r.metric === metric && (channel === undefined || r.channel === channel)).reduce((n, r) => n + r.n, 0);
          expect(
            [pt.viewed, pt.submitted, pt.submitted_online, pt.submitted_assisted, pt.submitted_counter, pt.result_ready],
            `${label} ${interval} ${pt.bucket}`,
          ).toEqual([
            sum("viewed"),
            sum("submitted"),
            sum("submitted", "online"),
            sum("submitted", "assisted"),
            sum("submitted", "counter"),
            sum("result_ready"),
          ]);
        }
      }

      const steps = (await funnel(await parse({}))).steps;
      for (const step of steps) {
        const n = ref.filter((r) => r.metric === step.step && (r.metric === "viewed" || r.channel === "online")).reduce((sum, r) => sum + r.n, 0);
        expect(step.count, `${label} funnel ${step.step}`).toBe(n);
      }
    }
  }
}

let touched: { id: number; level: number }[] = [];

beforeAll(async () => {
  const random = lcg(2026);
  const agencies = await db()
    .select({ id: ag.id, code: ag.code, path: ag.path })
    .from(ag)
    .where(or(startsWith(ag.code, prefixPattern("ha-noi")), startsWith(ag.code, prefixPattern("bac-ninh")), eq(ag.code, "bo-cong-an")))
    .orderBy(ag.id);
  // In id order: the generator picks from these lists by position.
  const procedures = await db().select({ id: pr.id, agency_id: pr.agencyId, level: pr.level }).from(pr).orderBy(pr.id);
  const channels = ["online", "assisted", "counter"];
  const cells = new Map<string, { metric: string; day: string; agencyId: number; procedureId: number; channel: string; count: number }>();
  for (let i = 0; i < 1_500; i += 1) {
    const agency = agencies[random(agencies.length)];
    if (!agency) continue;
    const own = procedures.filter((p) => p.agency_id === agency.id);
    // Mostly the agency's own procedures, sometimes another's or none (a cell can name any procedure).
    const procedure = random(10) === 0 ? 0 : (own[random(Math.max(own.length, 1))]?.id ?? procedures[random(procedures.length)]?.id ?? 0);
    const metric = random(3) === 0 ? "submitted" : (DAILY_COUNT_METRICS[random(DAILY_COUNT_METRICS.length)] ?? "viewed");
    const channel = metric === "viewed" ? "" : (channels[random(channels.length)] ?? "online");
    const day = new Date(Date.UTC(2026, 0, 15 + random(95))).toISOString().slice(0, 10);
    const key = [metric, day, agency.id, procedure, channel].join("|");
    const cell = cells.get(key) ?? { metric, day, agencyId: agency.id, procedureId: procedure, channel, count: 0 };
    cell.count += 1 + random(5);
    cells.set(key, cell);
  }
  // A cell of an unknown agency counts in no scope; "no agency" (0) neither.
  cells.set("orphan", { metric: "submitted", day: "2026-02-11", agencyId: 99_999, procedureId: 0, channel: "online", count: 7 });
  cells.set("none", { metric: "viewed", day: "2026-02-12", agencyId: 0, procedureId: 0, channel: "", count: 5 });
  const rows = [...cells.values()];
  await addToCounters(db(), rows);
  touched = [...new Set(rows.map((r) => r.procedureId).filter((id) => id > 0))]
    .slice(0, 12)
    .map((id) => ({ id, level: procedures.find((p) => p.id === id)?.level ?? 1 }));
});

describe("the subtree counters", () => {
  it("give every figure of the page exactly as summing daily_counts over the scope did", async () => {
    await checkEverything();
  });

  it("still do after procedures change level (their counts move to the new level)", async () => {
    for (const [i, p] of touched.entries()) {
      const level = ((p.level + i) % 4) + 1;
      // As the administrator's change does: the row and its counts in one transaction.
      await inTransaction(async (tx) => {
        const [before] = await tx.select().from(schema.procedures).where(eq(schema.procedures.id, p.id));
        if (!before) throw new Error(`no procedure ${p.id}`);
        await tx.update(schema.procedures).set({ level }).where(eq(schema.procedures.id, p.id));
        await moveProcedure(tx, p.id, before, { agencyId: before.agencyId, level });
      });
    }
    await checkEverything();
  });

  it("still do after cells are corrected, deleted and added by hand", async () => {
    // Repairs through the store: an amount added to a cell, a cell brought to 0, cells taken away whole.
    const cells = async (where: ReturnType<typeof and>, order: ReturnType<typeof asc>, limit: number) =>
      await db().select().from(dc).where(where).orderBy(order).limit(limit);
    await addToCounters(
      db(),
      (await cells(eq(dc.metric, "submitted"), asc(dc.day), 20)).map((c) => ({ ...c, count: 3 })),
    );
    await addToCounters(
      db(),
      (await cells(and(eq(dc.metric, "submitted"), eq(dc.channel, "online")), desc(dc.day), 10)).map((c) => ({ ...c, count: -c.count })),
    );
    await addToCounters(
      db(),
      (await cells(and(eq(dc.metric, "submitted"), eq(dc.channel, "assisted")), desc(dc.day), 10)).map((c) => ({ ...c, count: -c.count })),
    );
    await addToCounters(
      db(),
      (await cells(eq(dc.metric, "viewed"), asc(dc.agencyId), 30)).map((c) => ({ ...c, count: -c.count })),
    );
    await checkEverything();
  });

  // SQLite's query plan (PostgreSQL's planner scans a table this small whatever its indexes).
  it.skipIf(onPostgres(db()))("find a procedure's cells by an index when its level changes, not by scanning daily_counts", () => {
    // The read of moveProcedure (the counters store), as its own statement.
    const read = db().select().from(dc).where(eq(dc.procedureId, 1)).toSQL();
    const plan = db()
      .$client.prepare(`explain query plan ${read.sql}`)
      .all(...read.params)
      .map((row) => z.object({ detail: z.string() }).parse(row).detail);
    expect(plan.join("\n")).toMatch(/SEARCH daily_counts USING INDEX daily_counts_procedure_idx \(procedure_id=\?\)/);
    expect(plan.some((d) => /^SCAN daily_counts\b/.test(d))).toBe(false);
  });

  it("are kept without triggers, by the counters store alone (decision 021: the same code on every database)", async () => {
    const tables = sql.raw(
      "('daily_counts', 'subtree_daily', 'subtree_monthly', 'subtree_totals_daily', 'subtree_totals_monthly', 'procedure_portal_use', 'catalog_counts', 'procedures')",
    );
    const triggers = await selectRaw(
      db(),
      onPostgres(db())
        ? sql`select trigger_name from information_schema.triggers where event_object_table in ${tables}`
        : sql`select name from sqlite_master where type = 'trigger' and tbl_name in ${tables}`,
    );
    expect(triggers).toEqual([]);
  });
});
