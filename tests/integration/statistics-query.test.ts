import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { percentDisplay } from "../../app/core/statistics/metrics";
import { db } from "../../app/server/platform/db.server";
import { requirePermission } from "../../app/server/auth/guards.server";
import {
  funnel,
  grouped,
  parseStatisticsQuery,
  rankings,
  StatisticsQuerySchema,
  summary,
  timeSeries,
  type StatisticsQuery,
} from "../../app/server/statistics/dashboard.server";
import { signInAs } from "../fixtures/accounts";
import { get } from "./helpers";
import { getTFor } from "../../app/server/platform/i18n.server";
import { addToCounters } from "../../app/server/statistics/counters.server";

/**
 * Hand-made rollup rows over the seeded catalog: Hà Nội (a ward, the city police and the police's
 * own ward office under it) and Bắc Ninh (a ward), 1–14 June 2026 plus a row on each side of it.
 */
const NOW = new Date("2026-06-15T03:00:00Z"); // 10:00 in Vietnam on Monday 15 June 2026
const PERIOD = { from: "2026-06-01", to: "2026-06-14" };

const agencyOf = async (code: string) => {
  const [row] = await db().select().from(schema.agencies).where(eq(schema.agencies.code, code)).limit(1);
  if (!row) throw new Error(`no agency ${code}`);
  return row;
};
/** The agency's first procedure of a level and field (by id: the same one each time). */
const procedureOf = async (agencyCode: string, level: number, fieldCode: string) => {
  const agencyId = (await agencyOf(agencyCode)).id;
  const [row] = await db()
    .select({ id: schema.procedures.id, code: schema.procedures.code })
    .from(schema.procedures)
    .innerJoin(schema.fields, eq(schema.fields.id, schema.procedures.fieldId))
    .where(and(eq(schema.procedures.agencyId, agencyId), eq(schema.procedures.level, level), eq(schema.fields.code, fieldCode)))
    .orderBy(schema.procedures.id)
    .limit(1);
  if (!row) throw new Error(`no level-${level} ${fieldCode} procedure at ${agencyCode}`);
  return row;
};

/** Level and procedure counts of the seeded catalog under a path, computed here in plain JS (not SQL). */
const catalogUnder = async (path: string) => {
  const paths = new Map((await db().select({ id: schema.agencies.id, path: schema.agencies.path }).from(schema.agencies)).map((r) => [r.id, r.path]));
  const procs = (await db().select().from(schema.procedures)).filter((p) => (paths.get(p.agencyId) ?? "").startsWith(path));
  const level = (n: number) => procs.filter((p) => p.level === n).length;
  return { total: procs.length, l1: level(1), l2: level(2), l3: level(3), l4: level(4) };
};

const query = (over: Record<string, string> = {}): StatisticsQuery => StatisticsQuerySchema.parse({ ...PERIOD, ...over });

let A: Record<"hn" | "hnCa" | "hnCaHk" | "hnHk" | "bn" | "bnKb", typeof schema.agencies.$inferSelect>;
let P: Record<"hk4" | "hk1" | "caHk4" | "caHk3" | "ca4" | "kb3" | "kb4", { id: number; code: string }>;

beforeAll(async () => {
  A = {
    hn: await agencyOf("ha-noi"),
    hnCa: await agencyOf("ha-noi-cong-an"),
    hnCaHk: await agencyOf("ha-noi-cong-an-phuong-hoan-kiem"),
    hnHk: await agencyOf("ha-noi-phuong-hoan-kiem"),
    bn: await agencyOf("bac-ninh"),
    bnKb: await agencyOf("bac-ninh-phuong-kinh-bac"),
  };
  P = {
    hk4: await procedureOf("ha-noi-phuong-hoan-kiem", 4, "ho-tich"),
    hk1: await procedureOf("ha-noi-phuong-hoan-kiem", 1, "chung-thuc"),
    caHk4: await procedureOf("ha-noi-cong-an-phuong-hoan-kiem", 4, "cu-tru"),
    caHk3: await procedureOf("ha-noi-cong-an-phuong-hoan-kiem", 3, "cu-tru"),
    ca4: await procedureOf("ha-noi-cong-an", 4, "ly-lich-tu-phap"),
    kb3: await procedureOf("bac-ninh-phuong-kinh-bac", 3, "ho-tich"),
    kb4: await procedureOf("bac-ninh-phuong-kinh-bac", 4, "thanh-lap-hoat-dong-ho-kinh-doanh"),
  };
  type Cell = [metric: string, day: string, agency: keyof typeof A, procedure: keyof typeof P | null, channel: string, count: number];
  const cells: Cell[] = [
    // Hà Nội, phường Hoàn Kiếm
    ["viewed", "2026-06-01", "hnHk", "hk4", "", 100],
    ["form_started", "2026-06-01", "hnHk", "hk4", "online", 20],
    ["submitted", "2026-06-01", "hnHk", "hk4", "online", 10],
    ["submitted", "2026-06-02", "hnHk", "hk4", "assisted", 2],
    ["submitted", "2026-06-03", "hnHk", "hk1", "counter", 4],
    ["received", "2026-06-02", "hnHk", "hk4", "online", 11],
    ["not_received", "2026-06-02", "hnHk", "hk4", "online", 1],
    ["result_ready", "2026-06-10", "hnHk", "hk4", "online", 6],
    ["result_ready", "2026-06-12", "hnHk", "hk4", "assisted", 1],
    ["finished_early", "2026-06-10", "hnHk", "hk4", "online", 3],
    ["finished_on_time", "2026-06-10", "hnHk", "hk4", "online", 3],
    ["returned", "2026-06-11", "hnHk", "hk4", "online", 6],
    ["rated_very_satisfied", "2026-06-11", "hnHk", "hk4", "online", 2],
    ["rated_satisfied", "2026-06-11", "hnHk", "hk4", "online", 1],
    ["rated_not_satisfied", "2026-06-11", "hnHk", "hk4", "online", 1],
    // Outside the period, on both sides
    ["submitted", "2026-05-31", "hnHk", "hk4", "online", 7],
    ["submitted", "2026-06-15", "hnHk", "hk4", "online", 9],
    // Công an Hà Nội itself, and its ward office (a sub-agency of a sub-agency)
    ["submitted", "2026-06-04", "hnCa", "ca4", "online", 1],
    ["submitted_fee", "2026-06-04", "hnCa", "ca4", "online", 1],
    ["viewed", "2026-06-08", "hnCaHk", "caHk4", "", 50],
    ["submitted", "2026-06-09", "hnCaHk", "caHk4", "online", 5],
    ["submitted_fee", "2026-06-09", "hnCaHk", "caHk4", "online", 5],
    ["submitted", "2026-06-09", "hnCaHk", "caHk3", "counter", 3],
    ["paid_online", "2026-06-10", "hnCaHk", "caHk4", "online", 4],
    ["stopped", "2026-06-10", "hnCaHk", "caHk4", "online", 2],
    ["result_ready", "2026-06-12", "hnCaHk", "caHk4", "online", 2],
    ["finished_late", "2026-06-12", "hnCaHk", "caHk4", "online", 4],
    // Bắc Ninh, phường Kinh Bắc
    ["viewed", "2026-06-05", "bnKb", "kb3", "", 30],
    ["submitted", "2026-06-05", "bnKb", "kb3", "online", 8],
    ["submitted", "2026-06-05", "bnKb", "kb4", "counter", 2],
    ["result_ready", "2026-06-06", "bnKb", "kb3", "online", 1],
  ];
  // Through the counters store, as any writer of counters (docs/decisions/021).
  await addToCounters(
    db(),
    cells.map(([metric, day, agency, procedure, channel, count]) => ({
      metric,
      day,
      agencyId: A[agency].id,
      procedureId: procedure ? P[procedure].id : 0,
      channel,
      count,
    })),
  );

  // Open dossiers for the late backlog (a snapshot at NOW: Vietnam date 2026-06-15).
  const dossier = (agency: keyof typeof A, procedure: keyof typeof P, status: number, dueOn: string, pausedAt: Date | null = null) => ({
    procedureId: P[procedure].id,
    agencyId: A[agency].id,
    formVersion: 1,
    channel: "online" as const,
    status,
    answers: {},
    language: "vi" as const,
    dueOn,
    pausedAt,
  });
  await db()
    .insert(schema.dossiers)
    .values([
      dossier("hnHk", "hk4", 4, "2026-06-10"), // late
      dossier("hnHk", "hk4", 2, "2026-06-15"), // due today: not late yet
      dossier("hnCaHk", "caHk4", 6, "2026-06-01"), // late, in the sub-sub-agency
      dossier("hnHk", "hk4", 5, "2026-06-01", new Date("2026-06-05T03:00:00Z")), // waiting on the citizen: clock stopped
      dossier("hnHk", "hk4", 9, "2026-06-01"), // result ready: not open
      dossier("bnKb", "kb3", 4, "2026-06-12"), // late, Bắc Ninh
    ]);
});

describe("summary", () => {
  it("sums every counter of Hà Nội's subtree over the period and computes each metric from the sums", async () => {
    const s = await summary({ agencyPath: A.hn.path, query: query(), now: NOW });
    expect(s.period).toEqual(PERIOD);
    expect(s.asOf).toBe("2026-06-15");
    expect(s.counts).toMatchObject({
      viewed: 150,
      form_started: 20,
      submitted: 25,
      submitted_online: 16,
      submitted_assisted: 2,
      submitted_counter: 7,
      submitted_level34: 21,
      submitted_level34_portal: 18,
      submitted_fee: 6,
      paid_online: 4,
    });
    const m = s.metrics;
    expect(m.visits).toBe(150);
    expect(m.dossiers_submitted).toBe(25); // 7 and 9 outside the period are not counted
    expect(m.online_dossiers).toBe(18);
    expect(m.online_share).toEqual({ numerator: 18, denominator: 21, value: 18 / 21 }); // the level-1 counter dossiers are not in it
    expect(m.self_service_share).toEqual({ numerator: 16, denominator: 18, value: 16 / 18 });
    expect(m.success_rate).toEqual({ numerator: 9, denominator: 11, value: 9 / 11 });
    expect(m.refusal_rate).toEqual({ numerator: 1, denominator: 12, value: 1 / 12 });
    expect(m.on_time_rate).toEqual({ numerator: 6, denominator: 10, value: 0.6 });
    expect(m.online_payment_share).toEqual({ numerator: 4, denominator: 6, value: 4 / 6 });
    expect(m.satisfaction).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
    expect(m.rating_coverage).toEqual({ numerator: 4, denominator: 6, value: 4 / 6 });
    expect(m.late_backlog).toBe(2);
  });

  it("takes the catalog counts from the procedures table of the scope, and judges the level-4 share on the target", async () => {
    const s = await summary({ agencyPath: A.hn.path, query: query({ target: "30" }), now: NOW });
    const c = await catalogUnder(A.hn.path);
    expect(c.l4).toBeGreaterThan(0);
    expect(s.metrics.procedures_total).toBe(c.total);
    expect([s.metrics.procedures_level1, s.metrics.procedures_level2, s.metrics.online_services_level3, s.metrics.online_services_level4]).toEqual([
      c.l1,
      c.l2,
      c.l3,
      c.l4,
    ]);
    expect(s.metrics.level4_share).toEqual({ numerator: c.l4, denominator: c.total, value: c.l4 / c.total });
    expect(s.level4Target).toEqual({ percent: 30, met: c.l4 * 100 >= 30 * c.total });
    // A target just above the exact share is not met, just at it is.
    const exact = (c.l4 * 100) / c.total;
    expect((await summary({ agencyPath: A.hn.path, query: query({ target: String(Math.floor(exact * 100) / 100) }), now: NOW })).level4Target.met).toBe(true);
    expect((await summary({ agencyPath: A.hn.path, query: query({ target: String(Math.ceil(exact * 100 + 1e-9) / 100) }), now: NOW })).level4Target.met).toBe(
      false,
    );
  });

  it("counts a level-3/4 procedure as used when it received a portal dossier in the period (counter ones do not count)", async () => {
    const s = await summary({ agencyPath: A.hn.path, query: query(), now: NOW });
    const c = await catalogUnder(A.hn.path);
    expect(s.metrics.online_services_used_level4).toEqual({ numerator: 3, denominator: c.l4, value: 3 / c.l4 }); // hk4, ca4, caHk4
    expect(s.metrics.online_services_used_level3).toEqual({ numerator: 0, denominator: c.l3, value: 0 }); // caHk3 had counter dossiers only
  });

  it("covers the whole country for a system administrator's scope", async () => {
    const s = await summary({ agencyPath: "/", query: query(), now: NOW });
    expect(s.agency).toBeNull();
    expect(s.metrics.dossiers_submitted).toBe(35);
    expect(s.metrics.online_dossiers).toBe(26);
    expect(s.metrics.visits).toBe(180);
    expect(s.metrics.late_backlog).toBe(3);
    expect(s.metrics.procedures_total).toBe((await catalogUnder("/")).total);
  });

  it("gives no value to any event ratio in an empty period (shown as —), while the catalog stays", async () => {
    const s = await summary({ agencyPath: "/", query: query({ from: "2020-01-01", to: "2020-01-31" }), now: NOW });
    for (const id of [
      "online_share",
      "self_service_share",
      "success_rate",
      "refusal_rate",
      "on_time_rate",
      "online_payment_share",
      "satisfaction",
      "rating_coverage",
    ] as const) {
      expect(s.metrics[id], id).toEqual({ numerator: 0, denominator: 0, value: null });
      expect(percentDisplay(s.metrics[id], "vi")).toBe("—");
    }
    expect(s.metrics.visits).toBe(0);
    expect(s.metrics.online_services_used_level4.numerator).toBe(0);
    expect(s.metrics.level4_share.value).not.toBeNull();
  });

  it("returns plain JSON", async () => {
    const s = await summary({ agencyPath: A.hn.path, query: query(), now: NOW });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });
});

describe("grouped", () => {
  it("by agency over the country: one row per top-level unit with its whole subtree rolled up", async () => {
    const g = await grouped({ agencyPath: "/", query: query({ groupBy: "agency" }), now: NOW });
    expect(g.groupBy).toBe("agency");
    const hn = g.rows.find((r) => r.key === "ha-noi");
    const bn = g.rows.find((r) => r.key === "bac-ninh");
    expect(hn?.counts.submitted).toBe(25);
    expect(hn?.name).toEqual({ vi: A.hn.nameVi, en: A.hn.nameEn });
    expect(bn?.counts.submitted).toBe(10);
    expect(bn?.metrics.online_share).toEqual({ numerator: 8, denominator: 10, value: 0.8 });
    // No sub-agency has a row of its own here, and the rows add up to the summary.
    expect(g.rows.some((r) => r.key === "ha-noi-phuong-hoan-kiem")).toBe(false);
    expect(g.rows.reduce((n, r) => n + r.counts.submitted, 0)).toBe(35);
    expect(g.rows.reduce((n, r) => n + r.counts.procedures_level4, 0)).toBe((await catalogUnder("/")).l4);
  });

  it("by agency under Hà Nội: each child with its sub-agencies (the police's ward office is in the police's row)", async () => {
    const g = await grouped({ agencyPath: "/", query: query({ groupBy: "agency", agency: "ha-noi" }), now: NOW });
    expect(g.agency?.code).toBe("ha-noi");
    const police = g.rows.find((r) => r.key === "ha-noi-cong-an");
    const ward = g.rows.find((r) => r.key === "ha-noi-phuong-hoan-kiem");
    expect(police?.counts.submitted).toBe(9); // 1 at the police itself + 5 + 3 at its ward office
    expect(police?.counts.late_backlog).toBe(1);
    expect(police?.metrics.online_payment_share).toEqual({ numerator: 4, denominator: 6, value: 4 / 6 });
    expect(police?.counts.procedures_level4).toBe((await catalogUnder(A.hnCa.path)).l4);
    expect(ward?.counts.submitted).toBe(16);
    expect(g.rows.some((r) => r.key === "ha-noi-cong-an-phuong-hoan-kiem")).toBe(false);
    expect(g.rows.some((r) => r.self)).toBe(false); // nothing is attached to the city itself
  });

  it("by agency under the police: the police's own figures in a 'self' row, its ward office in its own", async () => {
    const g = await grouped({ agencyPath: "/", query: query({ groupBy: "agency", agency: "ha-noi-cong-an" }), now: NOW });
    expect(g.rows.map((r) => [r.key, r.self, r.counts.submitted])).toEqual([
      ["ha-noi-cong-an", true, 1],
      ["ha-noi-cong-an-phuong-hoan-kiem", false, 8],
    ]);
    expect(g.rows[0]?.labelKey).toBe("stats.group.self");
  });

  it("by level, field, channel and procedure", async () => {
    const level = await grouped({ agencyPath: A.hn.path, query: query({ groupBy: "level" }), now: NOW });
    expect(level.rows.map((r) => [r.key, r.counts.submitted])).toEqual([
      ["1", 4],
      ["2", 0],
      ["3", 3],
      ["4", 18],
    ]);
    expect(level.rows[3]?.labelKey).toBe("stats.level.4");

    const field = await grouped({ agencyPath: A.hn.path, query: query({ groupBy: "field" }), now: NOW });
    expect(field.rows.find((r) => r.key === "cu-tru")?.counts.submitted).toBe(8);
    expect(field.rows.find((r) => r.key === "ho-tich")?.counts.submitted).toBe(12);

    const channel = await grouped({ agencyPath: A.hn.path, query: query({ groupBy: "channel" }), now: NOW });
    expect(channel.rows.map((r) => [r.key, r.counts.submitted])).toEqual([
      ["online", 16],
      ["counter", 7],
      ["assisted", 2],
      ["none", 0],
    ]);
    expect(channel.rows.find((r) => r.key === "none")?.counts.viewed).toBe(150); // views have no channel
    expect(channel.notApplicable).toContain("level4_share");
    expect(level.notApplicable).toEqual([]);

    const procedure = await grouped({ agencyPath: A.hn.path, query: query({ groupBy: "procedure" }), now: NOW });
    expect(procedure.rows[0]).toMatchObject({ key: P.hk4.code, counts: { submitted: 12 } });
    expect(procedure.rows.map((r) => r.key).slice(1, 3)).toEqual([P.caHk4.code, P.hk1.code]);
    expect(procedure.totalGroups).toBe((await catalogUnder(A.hn.path)).total);
    expect(procedure.truncated).toBe(false);

    // Every row label the dashboard will translate exists in both languages.
    const labelKeys = [
      level,
      field,
      channel,
      procedure,
      await grouped({ agencyPath: "/", query: query({ groupBy: "agency", agency: "ha-noi-cong-an" }), now: NOW }),
    ].flatMap((g) => g.rows.map((r) => r.labelKey));
    expect(labelKeys).toContain("stats.group.self");
    for (const lang of ["vi", "en"] as const) {
      const t = await getTFor(lang);
      for (const key of labelKeys.filter((k) => k !== null)) expect(t(key), `${lang} ${key}`).not.toBe(key);
    }
  });

  it("by procedure over the country lists the 50 most submitted and says it cut the list", async () => {
    const all = (await catalogUnder("/")).total;
    const g = await grouped({ agencyPath: "/", query: query({ groupBy: "procedure" }), now: NOW });
    expect(g.totalGroups).toBe(all);
    expect(g.rows).toHaveLength(Math.min(50, all));
    expect(g.truncated).toBe(all > 50);
    expect(g.rows.slice(0, 3).map((r) => [r.key, r.counts.submitted])).toEqual([
      [P.hk4.code, 12],
      [P.kb3.code, 8],
      [P.caHk4.code, 5],
    ]);
  });
});

describe("rankings", () => {
  it("ranks the top-level units by online services, online dossiers and online share", async () => {
    const r = await rankings({ agencyPath: "/", query: query(), now: NOW });
    expect(r.onlineDossiers.slice(0, 2).map((e) => [e.rank, e.code, e.value.online])).toEqual([
      [1, "ha-noi", 18],
      [2, "bac-ninh", 8],
    ]);
    expect(r.onlineDossiers[2]?.rank).toBe(3); // every other unit ties at 0
    expect(r.onlineDossiers.at(-1)?.rank).toBe(3);
    expect(r.onlineShare.slice(0, 2).map((e) => [e.rank, e.code, e.value.numerator, e.value.denominator])).toEqual([
      [1, "ha-noi", 18, 21],
      [2, "bac-ninh", 8, 10],
    ]);
    expect(r.onlineShare[2]?.rank).toBeNull(); // no dossiers: unranked, shown as —

    const services = r.onlineServices;
    for (let i = 1; i < services.length; i += 1) expect(services[i - 1]?.value.total).toBeGreaterThanOrEqual(services[i]?.value.total ?? Infinity);
    const hn = services.find((e) => e.code === "ha-noi");
    const c = await catalogUnder(A.hn.path);
    expect(hn?.value).toMatchObject({ level3: c.l3, level4: c.l4, total: c.l3 + c.l4 });
    expect(hn?.rank).toBe(1 + services.filter((e) => e.value.total > c.l3 + c.l4).length);
  });
});

describe("time series", () => {
  it("buckets by ISO week starting on Monday, clipped to the period, with every bucket present", async () => {
    const t = await timeSeries({ agencyPath: A.hn.path, query: query({ from: "2026-06-03", to: "2026-06-14", interval: "week" }) });
    expect(
      t.points.map((p) => [p.bucket, p.from, p.to, p.viewed, p.submitted, p.submitted_online, p.submitted_assisted, p.submitted_counter, p.result_ready]),
    ).toEqual([
      ["2026-06-01", "2026-06-03", "2026-06-07", 0, 5, 1, 0, 4, 0], // the 1st and 2nd are outside the period
      ["2026-06-08", "2026-06-08", "2026-06-14", 50, 8, 5, 0, 3, 9],
    ]);
  });

  it("by day and by month", async () => {
    const days = await timeSeries({ agencyPath: "/", query: query({ interval: "day" }) });
    expect(days.points).toHaveLength(14);
    expect(days.points[0]).toMatchObject({ bucket: "2026-06-01", viewed: 100, submitted: 10 });
    expect(days.points[4]).toMatchObject({ bucket: "2026-06-05", viewed: 30, submitted: 10, submitted_online: 8, submitted_counter: 2 });
    expect(days.points[6]).toMatchObject({ bucket: "2026-06-07", viewed: 0, submitted: 0, result_ready: 0 });
    const months = await timeSeries({ agencyPath: "/", query: query({ from: "2026-05-01", to: "2026-06-30", interval: "month" }) });
    expect(months.points.map((p) => [p.bucket, p.submitted])).toEqual([
      ["2026-05-01", 7],
      ["2026-06-01", 44],
    ]);
  });
});

describe("funnel", () => {
  it("follows the citizen's own path: views, forms started, then self-service dossiers only", async () => {
    const f = await funnel({ agencyPath: A.hn.path, query: query() });
    expect(f.steps.map((s) => [s.step, s.count])).toEqual([
      ["viewed", 150],
      ["form_started", 20],
      ["submitted", 16],
      ["paid_online", 4],
      ["result_ready", 8], // the assisted result is not the citizen's own path
    ]);
    expect(f.steps[1]?.fromPrevious).toEqual({ numerator: 20, denominator: 150, value: 20 / 150 });
  });
});

describe("scope and parameters", () => {
  it("an agency administrator of Hà Nội sees only Hà Nội", async () => {
    const admin = await signInAs("quan.tri.hanoi@example.vn");
    const user = await requirePermission(get("/admin/statistics", admin.cookie), "statistics:read");
    expect(user.agencyPath).toBe(A.hn.path);
    const s = await summary({ agencyPath: user.agencyPath, query: query(), now: NOW });
    expect(s.agency?.code).toBe("ha-noi");
    expect(s.metrics.dossiers_submitted).toBe(25);
    expect(s.metrics.late_backlog).toBe(2);
    const g = await grouped({ agencyPath: user.agencyPath, query: query({ groupBy: "agency" }), now: NOW });
    expect(g.rows.some((r) => r.key.startsWith("bac-ninh"))).toBe(false);
    expect((await rankings({ agencyPath: user.agencyPath, query: query(), now: NOW })).onlineDossiers.every((e) => e.code.startsWith("ha-noi-"))).toBe(true);
    expect((await timeSeries({ agencyPath: user.agencyPath, query: query({ interval: "month" }) })).points[0]?.viewed).toBe(150);
    expect((await funnel({ agencyPath: user.agencyPath, query: query() })).steps[0]?.count).toBe(150);
  });

  it("accepts an agency within the scope and refuses one outside it, as an issue", async () => {
    const inside = await parseStatisticsQuery({ agencyPath: A.hn.path, params: new URLSearchParams({ agency: "ha-noi-cong-an" }) });
    expect(inside.success).toBe(true);
    const outside = await parseStatisticsQuery({ agencyPath: A.hn.path, params: new URLSearchParams({ agency: "bac-ninh" }) });
    expect(outside).toEqual({ success: false, issues: [{ field: "agency", message: "stats.errors.agency_not_found" }] });
    const unknown = await parseStatisticsQuery({ agencyPath: "/", params: { agency: "khong-co" } });
    expect(unknown).toEqual(outside);
  });

  it("refuses a foreign agency passed straight to a query function, never answering with its figures", async () => {
    // Routes never get here (parseStatisticsQuery reports the code as an issue: 400); a caller that skips the
    // parse is a bug, and the store stops it with an error rather than an HTTP answer (decision 022).
    await expect(summary({ agencyPath: A.hn.path, query: query({ agency: "bac-ninh" }), now: NOW })).rejects.toThrow(/not within/);
  });

  it("returns schema errors as issues, not exceptions", async () => {
    const bad = await parseStatisticsQuery({ agencyPath: "/", params: new URLSearchParams({ from: "2026-02-30", groupBy: "province", target: "x" }) });
    expect(bad.success).toBe(false);
    if (bad.success) return;
    expect(bad.issues).toEqual(
      expect.arrayContaining([
        { field: "from", message: "stats.errors.date_invalid" },
        { field: "groupBy", message: "stats.errors.group_by_invalid" },
        { field: "target", message: "stats.errors.target_invalid" },
      ]),
    );
    const reversed = await parseStatisticsQuery({ agencyPath: "/", params: new URLSearchParams({ from: "2026-06-14", to: "2026-06-01" }) });
    expect(reversed).toEqual({ success: false, issues: [{ field: "to", message: "stats.errors.range_reversed" }] });
  });
});
