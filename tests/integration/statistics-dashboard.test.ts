import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import * as adminLayout from "../../app/routes/admin";
import * as dashboard from "../../app/routes/admin.statistics";
import { vnDate } from "../../app/core/calendar/working-days";
import { METRICS } from "../../app/core/statistics/metrics";
import { db } from "../../app/server/platform/db.server";
import { recordEvent } from "../../app/server/statistics/events.server";
import { funnel, grouped, parseStatisticsQuery, rankings, summary, timeSeries, type StatisticsQuery } from "../../app/server/statistics/dashboard.server";
import { newCitizen, newStaff, signInAs } from "../fixtures/accounts";
import { get, run, sectionLinks, type Outcome } from "./helpers";
import { addToCounters } from "../../app/server/statistics/counters.server";

/**
 * The dashboard's loader over hand-made rollup rows (1–14 June 2026): it must hand the page
 * exactly what the query layer computes for the same query, and nothing for a bad request.
 */
const PERIOD = { from: "2026-06-01", to: "2026-06-14" };

const PageSchema = z.object({
  title: z.string(),
  wholeCountry: z.boolean(),
  agencies: z.array(z.object({ code: z.string(), level: z.number(), dissolved: z.boolean() })),
  presets: z.array(z.object({ preset: z.string(), from: z.string(), to: z.string() })),
  values: z.record(z.string(), z.string()),
  issues: z.array(z.object({ field: z.string(), message: z.string() })),
  report: z
    .object({
      query: z.object({ from: z.string(), to: z.string(), groupBy: z.string(), agency: z.string().nullable(), interval: z.string(), target: z.number() }),
      summary: z.object({
        period: z.unknown(),
        asOf: z.string(),
        agency: z.object({ code: z.string() }).nullable(),
        metrics: z.record(z.string(), z.unknown()),
        level4Target: z.unknown(),
      }),
      grouped: z.object({
        groupBy: z.string(),
        notApplicable: z.array(z.string()),
        truncated: z.boolean(),
        totalGroups: z.number(),
        rowCount: z.number(),
        rows: z.array(
          z.object({ key: z.string(), labelKey: z.string().nullable(), self: z.boolean(), cells: z.array(z.object({ id: z.string(), value: z.unknown() })) }),
        ),
      }),
      rankings: z.object({ units: z.number(), onlineServices: z.array(z.unknown()), onlineDossiers: z.array(z.unknown()), onlineShare: z.array(z.unknown()) }),
      previous: z.object({ from: z.string(), to: z.string(), days: z.number(), changes: z.array(z.object({ id: z.string(), change: z.unknown() })) }),
      expanded: z.object({ grouped: z.boolean(), rankings: z.boolean() }),
      series: z.looseObject({ interval: z.string(), points: z.array(z.looseObject({ bucket: z.string(), submitted: z.number(), viewed: z.number() })) }),
      funnel: z.unknown(),
    })
    .nullable(),
});
type Page = z.infer<typeof PageSchema>;

const open = async (cookie: string, params: Record<string, string> = {}): Promise<Outcome & { page: Page }> => {
  const outcome = await run(dashboard.loader, get(`/admin/statistics?${new URLSearchParams(params)}`, cookie));
  return { ...outcome, page: PageSchema.parse(outcome.data) };
};
const reportOf = (page: Page) => {
  if (!page.report) throw new Error(`no report: ${JSON.stringify(page.issues)}`);
  return page.report;
};
/** The query the query layer parses from the same parameters (the shared parser, not a copy). */
const queryFor = async (agencyPath: string, params: Record<string, string>): Promise<StatisticsQuery> => {
  const parsed = await parseStatisticsQuery({ agencyPath, params: new URLSearchParams(params) });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.query;
};

const agencyOf = async (code: string) => {
  const [row] = await db().select().from(schema.agencies).where(eq(schema.agencies.code, code)).limit(1);
  if (!row) throw new Error(`no agency ${code}`);
  return row;
};
/** The agency's first procedure of a level (by id: the same one each time). */
const procedureOf = async (agencyCode: string, level: number) => {
  const agencyId = (await agencyOf(agencyCode)).id;
  const [row] = await db()
    .select({ id: schema.procedures.id, code: schema.procedures.code })
    .from(schema.procedures)
    .where(and(eq(schema.procedures.agencyId, agencyId), eq(schema.procedures.level, level)))
    .orderBy(schema.procedures.id)
    .limit(1);
  if (!row) throw new Error(`no level-${level} procedure at ${agencyCode}`);
  return row;
};

let systemAdmin: { cookie: string };
let hanoiAdmin: { cookie: string };
let hanoiPath: string;

beforeAll(async () => {
  systemAdmin = await signInAs("quan.tri@example.vn");
  hanoiAdmin = await signInAs("quan.tri.hanoi@example.vn");
  hanoiPath = (await agencyOf("ha-noi")).path;
  const hk = await agencyOf("ha-noi-phuong-hoan-kiem");
  const kb = await agencyOf("bac-ninh-phuong-kinh-bac");
  const hk4 = await procedureOf("ha-noi-phuong-hoan-kiem", 4);
  const hk1 = await procedureOf("ha-noi-phuong-hoan-kiem", 1);
  const kb3 = await procedureOf("bac-ninh-phuong-kinh-bac", 3);
  const rows: [metric: string, day: string, agencyId: number, procedureId: number, channel: string, count: number][] = [
    ["viewed", "2026-06-01", hk.id, hk4.id, "", 120],
    ["form_started", "2026-06-01", hk.id, hk4.id, "online", 30],
    ["submitted", "2026-06-02", hk.id, hk4.id, "online", 12],
    ["submitted", "2026-06-03", hk.id, hk4.id, "assisted", 3],
    ["submitted", "2026-06-03", hk.id, hk1.id, "counter", 5],
    ["submitted_fee", "2026-06-02", hk.id, hk4.id, "online", 10],
    ["paid_online", "2026-06-04", hk.id, hk4.id, "online", 7],
    ["received", "2026-06-03", hk.id, hk4.id, "online", 14],
    ["not_received", "2026-06-03", hk.id, hk4.id, "online", 1],
    ["result_ready", "2026-06-10", hk.id, hk4.id, "online", 9],
    ["stopped", "2026-06-10", hk.id, hk4.id, "online", 1],
    ["finished_on_time", "2026-06-10", hk.id, hk4.id, "online", 8],
    ["finished_late", "2026-06-10", hk.id, hk4.id, "online", 2],
    ["viewed", "2026-06-05", kb.id, kb3.id, "", 40],
    ["submitted", "2026-06-05", kb.id, kb3.id, "online", 6],
    ["submitted", "2026-06-06", kb.id, kb3.id, "counter", 4],
    // Outside the period: never counted.
    ["submitted", "2026-05-31", hk.id, hk4.id, "online", 50],
  ];
  // Through the counters store, as any writer of counters (docs/decisions/021).
  await addToCounters(
    db(),
    rows.map(([metric, day, agencyId, procedureId, channel, count]) => ({ metric, day, agencyId, procedureId, channel, count })),
  );
});

describe("the statistics dashboard's loader", () => {
  it("hands the page exactly the query layer's figures for the same query", async () => {
    const params = { ...PERIOD, groupBy: "agency", interval: "week" };
    // Every row of the long tables asked for (the page shows their first rows otherwise).
    const { status, page } = await open(systemAdmin.cookie, { ...params, grouped: "all", rankings: "all" });
    expect(status).toBe(200);
    const report = reportOf(page);
    const query = await queryFor("/", params);
    expect(report.query).toEqual(query);

    const s = await summary({ agencyPath: "/", query });
    expect(report.summary.metrics).toEqual(s.metrics);
    expect(report.summary.level4Target).toEqual(s.level4Target);
    expect(report.summary.agency).toBeNull();
    // The figures are real ones, not an empty answer that happens to match.
    expect(report.summary.metrics.dossiers_submitted).toBe(30);
    expect(report.summary.metrics.online_share).toEqual({ numerator: 21, denominator: 25, value: 21 / 25 });
    expect(report.summary.metrics.on_time_rate).toEqual({ numerator: 8, denominator: 10, value: 0.8 });
    // Every metric of the registry has its tile.
    expect(Object.keys(report.summary.metrics).sort()).toEqual(METRICS.map((m) => m.id).sort());

    const g = await grouped({ agencyPath: "/", query });
    expect(report.grouped.rows.map((r) => r.key)).toEqual(g.rows.map((r) => r.key));
    for (const [i, row] of report.grouped.rows.entries()) {
      const expected = g.rows[i];
      expect(row.cells.map((c) => c.id)).toEqual([...dashboard.GROUPED_COLUMNS]);
      for (const [j, id] of dashboard.GROUPED_COLUMNS.entries()) expect(row.cells[j]?.value, `${row.key} ${id}`).toEqual(expected?.metrics[id]);
    }
    expect(report.grouped.rows.find((r) => r.key === "ha-noi")?.cells.find((c) => c.id === "dossiers_submitted")?.value).toBe(20);

    const ranked = await rankings({ agencyPath: "/", query });
    expect(report.rankings).toEqual({
      units: ranked.onlineServices.length,
      onlineServices: ranked.onlineServices,
      onlineDossiers: ranked.onlineDossiers,
      onlineShare: ranked.onlineShare,
    });
    expect(report.series).toEqual(await timeSeries({ agencyPath: "/", query }));
    expect(report.series.points.map((p) => [p.bucket, p.submitted])).toEqual([
      ["2026-06-01", 30],
      ["2026-06-08", 0],
    ]);
    expect(report.funnel).toEqual((await funnel({ agencyPath: "/", query })).steps);
    // The form shows the query in force.
    expect(page.values).toEqual({ from: PERIOD.from, to: PERIOD.to, groupBy: "agency", agency: "", interval: "week", target: String(query.target) });
  });

  it("cuts the long tables to their first 10 rows unless all are asked for, saying how many there are", async () => {
    const params = { ...PERIOD, groupBy: "agency", interval: "week" };
    const query = await queryFor("/", params);
    const g = await grouped({ agencyPath: "/", query });
    const ranked = await rankings({ agencyPath: "/", query });
    expect(g.rows.length).toBeGreaterThan(dashboard.PREVIEW_ROWS * 4);
    const cut = reportOf((await open(systemAdmin.cookie, params)).page);
    expect(cut.expanded).toEqual({ grouped: false, rankings: false });
    expect(cut.grouped.rows.map((r) => r.key)).toEqual(g.rows.slice(0, dashboard.PREVIEW_ROWS).map((r) => r.key));
    expect(cut.grouped.rowCount).toBe(g.rows.length);
    expect(cut.rankings.units).toBe(ranked.onlineServices.length);
    expect(cut.rankings.onlineDossiers).toEqual(ranked.onlineDossiers.slice(0, 10));
    // One table in full, the other still cut.
    const one = reportOf((await open(systemAdmin.cookie, { ...params, grouped: "all" })).page);
    expect(one.grouped.rows.length).toBe(g.rows.length);
    expect(one.rankings.onlineShare.length).toBe(10);
  });

  it("compares the key figures with the previous period of the same length", async () => {
    // 1–14 June against 18–31 May, which has only the 50 online dossiers of 31 May (level 4, Hoàn Kiếm).
    const { page } = await open(systemAdmin.cookie, { ...PERIOD, groupBy: "level" });
    const report = reportOf(page);
    expect(report.previous).toMatchObject({ from: "2026-05-18", to: "2026-05-31", days: 14 });
    const change = (id: string) => report.previous.changes.find((c) => c.id === id)?.change;
    expect(report.previous.changes.map((c) => c.id)).toEqual([...dashboard.KEY_METRICS]);
    expect(change("dossiers_submitted")).toEqual({ kind: "count", previous: 50, delta: -20, relative: -0.4 });
    const share = change("online_share");
    expect(share).toMatchObject({ kind: "ratio", previous: { numerator: 50, denominator: 50, value: 1 } });
    expect(z.object({ points: z.number() }).parse(share).points).toBeCloseTo(-16, 10); // 84 % against 100 %
    expect(change("visits")).toEqual({ kind: "count", previous: 0, delta: 160, relative: null });
    expect(change("on_time_rate")).toMatchObject({ kind: "ratio", points: null }); // nothing finished in May
    // The catalog and the backlog are as of today in both periods: no change is claimed for them.
    expect(change("level4_share")).toBeNull();
    expect(change("late_backlog")).toBeNull();
  });

  it("switches the grouped table with groupBy", async () => {
    const byLevel = reportOf((await open(systemAdmin.cookie, { ...PERIOD, groupBy: "level" })).page).grouped;
    expect(byLevel.groupBy).toBe("level");
    expect(byLevel.rows.map((r) => [r.key, r.cells.find((c) => c.id === "dossiers_submitted")?.value])).toEqual([
      ["1", 5],
      ["2", 0],
      ["3", 10],
      ["4", 15],
    ]);
    const byChannel = reportOf((await open(systemAdmin.cookie, { ...PERIOD, groupBy: "channel" })).page).grouped;
    expect(byChannel.rows.map((r) => r.key)).toEqual(expect.arrayContaining(["online", "assisted", "counter"]));
    expect(byChannel.rows.find((r) => r.key === "online")?.cells.find((c) => c.id === "online_dossiers")?.value).toBe(18);
    // The catalog has no channel: the page shows those columns as not applicable.
    expect(byChannel.notApplicable).toEqual(expect.arrayContaining(["online_services_level3", "online_services_level4", "level4_share"]));
    const byProcedure = reportOf((await open(systemAdmin.cookie, { ...PERIOD, groupBy: "procedure" })).page).grouped;
    expect(byProcedure.rows[0]?.key).toBe((await procedureOf("ha-noi-phuong-hoan-kiem", 4)).code);
  });

  it("draws a period without an interval at a suited one, and keeps the interval asked for", async () => {
    expect(reportOf((await open(systemAdmin.cookie, PERIOD)).page).series.interval).toBe("day");
    const quarter = await open(systemAdmin.cookie, { from: "2026-04-01", to: "2026-06-30", interval: "" });
    expect(reportOf(quarter.page).query.interval).toBe("week");
    expect(reportOf(quarter.page).series.interval).toBe("week");
    // The form keeps "automatic", so the next period gets its own interval.
    expect(quarter.page.values.interval).toBe("");
    const year = reportOf((await open(systemAdmin.cookie, { from: "2026-01-01", to: "2026-12-31" })).page);
    expect(year.series.points).toHaveLength(12);
    expect(reportOf((await open(systemAdmin.cookie, { from: "2026-01-01", to: "2026-12-31", interval: "day" })).page).series.points).toHaveLength(365);
  });

  it("counts an event recorded today in today's figures", async () => {
    const today = vnDate(new Date());
    const before = reportOf((await open(systemAdmin.cookie, { from: today, to: today })).page).summary.metrics.visits;
    const hk4 = await procedureOf("ha-noi-phuong-hoan-kiem", 4);
    const hk = await agencyOf("ha-noi-phuong-hoan-kiem");
    await recordEvent(db(), { type: "procedure_viewed", procedureId: hk4.id, agencyId: hk.id, data: { language: "vi" } });
    const after = reportOf((await open(systemAdmin.cookie, { from: today, to: today })).page).summary.metrics.visits;
    expect(after).toBe(Number(before) + 1);
  });

  it("answers bad parameters with 400, the problems and the form as typed — no figures, never a 500", async () => {
    const bad = await open(systemAdmin.cookie, { from: "2026-02-30", to: "2026-06-14", groupBy: "province", interval: "hour", target: "x" });
    expect(bad.status).toBe(400);
    expect(bad.page.report).toBeNull();
    expect(bad.page.issues).toEqual(
      expect.arrayContaining([
        { field: "from", message: "form.errors.date_not_real" },
        { field: "groupBy", message: "stats.errors.group_by_invalid" },
        { field: "interval", message: "stats.errors.interval_invalid" },
        { field: "target", message: "stats.errors.target_invalid" },
      ]),
    );
    expect(bad.page.values).toEqual({ from: "2026-02-30", to: "2026-06-14", groupBy: "province", agency: "", interval: "hour", target: "x" });

    const reversed = await open(systemAdmin.cookie, { from: "2026-06-14", to: "2026-06-01" });
    expect(reversed.status).toBe(400);
    expect(reversed.page.issues).toEqual([{ field: "to", message: "stats.errors.range_reversed" }]);
    const tooLong = await open(systemAdmin.cookie, { from: "2020-01-01", to: "2026-01-01" });
    expect(tooLong.page.issues).toEqual([{ field: "from", message: "stats.errors.range_too_long" }]);
    const unknown = await open(systemAdmin.cookie, { agency: "khong-co-co-quan-nay" });
    expect(unknown.status).toBe(400);
    expect(unknown.page.issues).toEqual([{ field: "agency", message: "stats.errors.agency_not_found" }]);
  });

  it("refuses officers and citizens with 403 and sends visitors to sign in", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const seededOfficer = await signInAs("can.bo.hoankiem@example.vn");
    const citizen = await newCitizen();
    for (const who of [officer, seededOfficer, citizen]) {
      expect((await run(dashboard.loader, get("/admin/statistics", who.cookie))).status).toBe(403);
      expect((await run(dashboard.loader, get(`/admin/statistics?${new URLSearchParams(PERIOD)}`, who.cookie))).status).toBe(403);
    }
    const anonymous = await run(dashboard.loader, get("/admin/statistics"));
    expect(anonymous).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fadmin%2Fstatistics" });
  });

  it("shows an agency administrator their own subtree only", async () => {
    const params = { ...PERIOD, groupBy: "agency" };
    const { status, page } = await open(hanoiAdmin.cookie, params);
    expect(status).toBe(200);
    const report = reportOf(page);
    const query = await queryFor(hanoiPath, params);
    expect(report.summary.agency?.code).toBe("ha-noi");
    expect(report.summary.metrics).toEqual((await summary({ agencyPath: hanoiPath, query })).metrics);
    expect(report.summary.metrics.dossiers_submitted).toBe(20); // Bắc Ninh's 10 are not in it
    expect(report.grouped.rows.some((r) => r.key.startsWith("bac-ninh"))).toBe(false);
    expect(report.grouped.rows.find((r) => r.key === "ha-noi-phuong-hoan-kiem")?.cells.find((c) => c.id === "dossiers_submitted")?.value).toBe(20);
    // The agency select lists the scope only.
    expect(page.wholeCountry).toBe(false);
    expect(page.agencies.map((a) => a.code)).toContain("ha-noi-cong-an");
    expect(page.agencies.every((a) => a.code.startsWith("ha-noi"))).toBe(true);

    // A sub-agency of the scope narrows the figures; an agency outside it is "not found", with no figures.
    const ward = reportOf((await open(hanoiAdmin.cookie, { ...PERIOD, agency: "ha-noi-cong-an" })).page);
    expect(ward.summary.agency?.code).toBe("ha-noi-cong-an");
    expect(ward.summary.metrics.dossiers_submitted).toBe(0);
    const outside = await open(hanoiAdmin.cookie, { ...PERIOD, agency: "bac-ninh" });
    expect(outside.status).toBe(400);
    expect(outside.page.report).toBeNull();
    expect(outside.page.issues).toEqual([{ field: "agency", message: "stats.errors.agency_not_found" }]);
  });

  it("is the first section of the administration area for those who may read statistics", async () => {
    for (const who of [systemAdmin, hanoiAdmin]) {
      const layout = await run(adminLayout.loader, get("/admin", who.cookie));
      expect(sectionLinks(layout.data)[0]).toBe("/admin/statistics");
    }
  });
});
