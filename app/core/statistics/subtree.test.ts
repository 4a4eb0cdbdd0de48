import { describe, expect, it } from "vitest";
import { isPortalSubmission, monthOf, NATIONAL, periodParts, subtreeKeyId, subtreesOf, subtreeTotals, SubtreeTally, TOTAL_KEYS } from "./subtree";

describe("subtreesOf: the national row, then every agency on the path", () => {
  it("reads the ids of a path, the agency itself last", () => {
    expect(subtreesOf("/12/40/77/")).toEqual([NATIONAL, 12, 40, 77]);
    expect(subtreesOf("/5/")).toEqual([0, 5]);
  });

  it("refuses what is not a chain of ids (the cell then counts nowhere)", () => {
    for (const path of ["", "12/40/", "/12/40", "/12//40/", "/a/"]) expect(subtreesOf(path)).toBeNull();
    expect(subtreesOf("/")).toEqual([NATIONAL]);
  });
});

describe("monthOf", () => {
  it("is the day's year and month", () => {
    expect(monthOf("2026-02-28")).toBe("2026-02");
  });
});

describe("periodParts: whole months from the monthly table, the ends from the daily one", () => {
  it("splits a year ending mid-month", () => {
    expect(periodParts("2025-11-17", "2026-11-16")).toEqual({
      months: { from: "2025-12", to: "2026-10" },
      days: [
        { from: "2025-11-17", to: "2025-11-30" },
        { from: "2026-11-01", to: "2026-11-16" },
      ],
    });
  });

  it("needs no days when the period is whole months, and no months within one month", () => {
    expect(periodParts("2024-02-01", "2024-02-29")).toEqual({ months: { from: "2024-02", to: "2024-02" }, days: [] });
    expect(periodParts("2025-12-01", "2026-01-31")).toEqual({ months: { from: "2025-12", to: "2026-01" }, days: [] });
    expect(periodParts("2026-06-01", "2026-06-15")).toEqual({ months: null, days: [{ from: "2026-06-01", to: "2026-06-15" }] });
    expect(periodParts("2026-05-20", "2026-06-15")).toEqual({ months: null, days: [{ from: "2026-05-20", to: "2026-06-15" }] });
    expect(periodParts("2026-06-15", "2026-06-15")).toEqual({ months: null, days: [{ from: "2026-06-15", to: "2026-06-15" }] });
  });

  it("keeps a whole month that starts or ends the period", () => {
    expect(periodParts("2026-05-01", "2026-06-15")).toEqual({ months: { from: "2026-05", to: "2026-05" }, days: [{ from: "2026-06-01", to: "2026-06-15" }] });
    expect(periodParts("2026-04-20", "2026-05-31")).toEqual({ months: { from: "2026-05", to: "2026-05" }, days: [{ from: "2026-04-20", to: "2026-04-30" }] });
  });

  it("covers every day of the period exactly once", () => {
    const days = (from: string, to: string) => {
      const out: string[] = [];
      for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
      return out;
    };
    for (const [from, to] of [
      ["2023-12-31", "2025-03-01"],
      ["2024-02-29", "2024-03-31"],
      ["2025-01-15", "2025-02-14"],
    ] as const) {
      const parts = periodParts(from, to);
      const covered = [
        ...parts.days.flatMap((d) => days(d.from, d.to)),
        ...(parts.months ? days(`${parts.months.from}-01`, to).filter((d) => monthOf(d) <= (parts.months?.to ?? "")) : []),
      ];
      expect(covered.sort()).toEqual(days(from, to));
    }
  });

  it("is empty for a reversed period", () => {
    expect(periodParts("2026-06-02", "2026-06-01")).toEqual({ months: null, days: [] });
  });
});

describe("SubtreeTally: daily_counts cells added up per subtree, by day and by month", () => {
  const paths = new Map([
    [1, "/1/"],
    [2, "/1/2/"],
    [3, "/3/"],
  ]);
  const levels = new Map([[10, 4]]);

  it("adds a cell to its agency, every ancestor and the country, at the procedure's level (0 without one)", () => {
    const tally = new SubtreeTally(
      (id) => paths.get(id),
      (id) => levels.get(id),
    );
    tally.add({ metric: "submitted", day: "2026-06-01", agencyId: 2, procedureId: 10, channel: "online", count: 3 });
    tally.add({ metric: "submitted", day: "2026-06-02", agencyId: 1, procedureId: 10, channel: "online", count: 2 });
    tally.add({ metric: "viewed", day: "2026-06-02", agencyId: 3, procedureId: 0, channel: "", count: 5 });
    // An unknown agency (and "no agency", 0) counts nowhere: no scope includes it.
    tally.add({ metric: "viewed", day: "2026-06-02", agencyId: 0, procedureId: 0, channel: "", count: 7 });
    tally.add({ metric: "viewed", day: "2026-06-02", agencyId: 99, procedureId: 0, channel: "", count: 7 });

    const monthly = new Map([...tally.monthly.values()].map((r) => [`${r.agencyId} ${r.metric} ${r.level}`, r.count]));
    expect(monthly).toEqual(
      new Map([
        ["0 submitted 4", 5],
        ["1 submitted 4", 5],
        ["2 submitted 4", 3],
        ["0 viewed 0", 5],
        ["3 viewed 0", 5],
      ]),
    );
    expect(tally.daily.size).toBe(2 * 3 - 1 + 2); // day 1: 0, 1, 2; day 2: 0, 1 (submitted) and 0, 3 (viewed)
    expect(tally.daily.get(subtreeKeyId({ period: "2026-06-01", agencyId: 1, metric: "submitted", channel: "online", level: 4 }))?.count).toBe(3);
  });
});

describe("subtreeTotals: subtree cells summed over channel and level into the totals' columns", () => {
  it("puts each counter in its column, and submissions also in their channel's and, at level 3 or 4, the level-3/4 ones", () => {
    const cell = (metric: string, channel: string, level: number, count: number) => ({ period: "2026-06", agencyId: 7, metric, channel, level, count });
    const rows = subtreeTotals([
      cell("submitted", "online", 4, 3),
      cell("submitted", "counter", 2, 2),
      cell("submitted", "assisted", 3, 1),
      cell("viewed", "", 0, 9),
      { ...cell("viewed", "", 0, 4), agencyId: 0 },
    ]);
    expect([...rows.keys()].length).toBe(2);
    const own = [...rows.values()].find((r) => r.agencyId === 7);
    expect(own && Object.fromEntries(TOTAL_KEYS.map((k) => [k, own.counts[k]]).filter(([, n]) => n !== 0))).toEqual({
      viewed: 9,
      submitted: 6,
      submitted_online: 3,
      submitted_assisted: 1,
      submitted_counter: 2,
      submitted_level34: 4,
      submitted_level34_portal: 4,
    });
  });

  it("counts a portal submission towards online services used, and nothing else", () => {
    expect(isPortalSubmission({ metric: "submitted", channel: "online" })).toBe(true);
    expect(isPortalSubmission({ metric: "submitted", channel: "assisted" })).toBe(true);
    expect(isPortalSubmission({ metric: "submitted", channel: "counter" })).toBe(false);
    expect(isPortalSubmission({ metric: "paid_online", channel: "online" })).toBe(false);
  });
});
