import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  addRollupRow,
  computeMetrics,
  COUNT_KEYS,
  emptyCounts,
  funnel,
  level4Share,
  meetsTarget,
  METRICS,
  metricChange,
  numberDisplay,
  onlineExits,
  dataReused,
  onlinePaymentShare,
  onlineShare,
  onTimeRate,
  percentDisplay,
  ratingCoverage,
  ratio,
  refusalRate,
  satisfaction,
  selfServiceShare,
  successRate,
  sumCounts,
  type Counts,
} from "./metrics";

const NBSP = "\u00a0";
const counts = (values: Partial<Counts>): Counts => ({ ...emptyCounts(), ...values });

describe("ratio", () => {
  it("keeps the exact fraction and has no value for an empty denominator", () => {
    expect(ratio(3, 8)).toEqual({ numerator: 3, denominator: 8, value: 0.375 });
    expect(ratio(0, 0)).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(ratio(0, 5).value).toBe(0);
  });
  it("refuses what is not a count", () => {
    expect(() => ratio(-1, 4)).toThrow(RangeError);
    expect(() => ratio(1.5, 4)).toThrow(RangeError);
  });
});

describe("metric formulas (hand-computed)", () => {
  it("on-time rate = (early + on time) / (early + on time + late)", () => {
    expect(onTimeRate({ finished_early: 2, finished_on_time: 5, finished_late: 3 })).toEqual({ numerator: 7, denominator: 10, value: 0.7 });
  });
  it("success rate = results / (results + stopped): refusals and withdrawals are not in it", () => {
    expect(successRate(counts({ result_ready: 9, stopped: 1, not_received: 50, withdrawn: 50 }))).toEqual({ numerator: 9, denominator: 10, value: 0.9 });
  });
  it("refusal rate = not received / (received + not received)", () => {
    expect(refusalRate({ received: 19, not_received: 1 })).toEqual({ numerator: 1, denominator: 20, value: 0.05 });
  });
  it("online share counts online + assisted among all channels, for procedures offered online", () => {
    expect(onlineShare({ submitted_level34_portal: 6, submitted_level34: 8 }).value).toBe(0.75);
  });
  it("self-service share = online / (online + assisted); counter dossiers are never online", () => {
    expect(selfServiceShare(counts({ submitted_online: 3, submitted_assisted: 1, submitted_counter: 100 }))).toEqual({
      numerator: 3,
      denominator: 4,
      value: 0.75,
    });
  });
  it("level-4 share = level 4 / all procedures", () => {
    expect(level4Share({ procedures_level1: 3, procedures_level2: 2, procedures_level3: 2, procedures_level4: 3 })).toEqual({
      numerator: 3,
      denominator: 10,
      value: 0.3,
    });
  });
  it("payment, satisfaction and rating coverage", () => {
    expect(onlinePaymentShare({ paid_online: 2, submitted_fee: 5 }).value).toBe(0.4);
    expect(satisfaction({ rated_very_satisfied: 1, rated_satisfied: 2, rated_not_satisfied: 1 })).toEqual({ numerator: 3, denominator: 4, value: 0.75 });
    expect(ratingCoverage({ rated_very_satisfied: 1, rated_satisfied: 2, rated_not_satisfied: 1, returned: 8 }).value).toBe(0.5);
  });
  it("online exits are the online_exit count itself: no denominator, nothing else added in", () => {
    expect(onlineExits({ online_exit: 4 })).toBe(4);
    const c = counts({ online_exit: 2, form_started: 10, submitted: 3 });
    expect(computeMetrics(c).online_exits).toBe(2);
    expect(computeMetrics(sumCounts(c, counts({ online_exit: 1 }))).online_exits).toBe(3);
    expect(METRICS.find((m) => m.id === "online_exits")).toMatchObject({ kind: "count", source: "events", needs: ["online_exit"] });
  });
  it("data reused is the document_reused count itself: no denominator, nothing else added in", () => {
    expect(dataReused({ document_reused: 3 })).toBe(3);
    const c = counts({ document_reused: 2, online_exit: 5, submitted: 4 });
    expect(computeMetrics(c).data_reused).toBe(2);
    expect(computeMetrics(sumCounts(c, counts({ document_reused: 1 }))).data_reused).toBe(3);
    expect(METRICS.find((m) => m.id === "data_reused")).toMatchObject({ kind: "count", source: "events", needs: ["document_reused"] });
  });
  it("an empty period gives no value for any ratio, and zero counts", () => {
    const values = computeMetrics(emptyCounts());
    for (const m of METRICS) {
      const v = values[m.id];
      if (m.kind === "ratio") expect(v, m.id).toEqual({ numerator: 0, denominator: 0, value: null });
      else expect(v, m.id).toBe(0);
    }
  });
});

describe("rollup rows into counts", () => {
  it("splits submissions by channel and by the procedure's level, and ignores unknown counters", () => {
    const c = emptyCounts();
    addRollupRow(c, { metric: "submitted", channel: "online", level: 4, count: 3 });
    addRollupRow(c, { metric: "submitted", channel: "assisted", level: 3, count: 1 });
    addRollupRow(c, { metric: "submitted", channel: "counter", level: 3, count: 2 });
    addRollupRow(c, { metric: "submitted", channel: "counter", level: 1, count: 5 });
    addRollupRow(c, { metric: "submitted", channel: "", level: null, count: 1 });
    addRollupRow(c, { metric: "viewed", channel: "", level: 2, count: 40 });
    addRollupRow(c, { metric: "something_new", channel: "online", level: 4, count: 99 });
    expect(c.submitted).toBe(12);
    expect([c.submitted_online, c.submitted_assisted, c.submitted_counter]).toEqual([3, 1, 7]);
    expect([c.submitted_level34, c.submitted_level34_portal]).toEqual([6, 4]);
    expect(c.viewed).toBe(40);
    expect(computeMetrics(c).online_share).toEqual({ numerator: 4, denominator: 6, value: 4 / 6 });
  });

  it("rolls sub-agencies up by adding counts, and recomputes the ratio (never an average of ratios)", () => {
    const parent = counts({ finished_early: 1, finished_on_time: 0, finished_late: 0 }); // 100 %
    const child = counts({ finished_early: 1, finished_on_time: 0, finished_late: 3 }); // 25 %
    const total = sumCounts(parent, child);
    expect(onTimeRate(total)).toEqual({ numerator: 2, denominator: 5, value: 0.4 }); // not (100 + 25) / 2
  });
});

describe("targets are judged on the exact fraction", () => {
  it("29.96 % shows 30,0 % but does not meet 30 %", () => {
    const r = ratio(2996, 10_000);
    expect(percentDisplay(r, "vi")).toBe(`30,0${NBSP}%`);
    expect(meetsTarget(r, 30)).toBe(false);
  });
  it("rounds the exact fraction half away from zero, where floating point would round down", () => {
    expect((23 / 80) * 100).toBeLessThan(28.75); // 28.749999999999996
    expect(percentDisplay(ratio(23, 80), "vi")).toBe(`28,8${NBSP}%`);
    expect(percentDisplay(ratio(41, 80), "en")).toBe("51.3%");
  });
  it("29.95 % rounds half away from zero to 30,0 %, still not meeting 30 %", () => {
    const r = ratio(599, 2000); // exactly 29.95 %
    expect(percentDisplay(r, "vi")).toBe(`30,0${NBSP}%`);
    expect(percentDisplay(r, "en")).toBe("30.0%");
    expect(meetsTarget(r, 30)).toBe(false);
  });
  it("exactly 30 % meets 30 %; a decimal target compares exactly", () => {
    expect(meetsTarget(ratio(3, 10), 30)).toBe(true);
    expect(meetsTarget(ratio(599, 2000), 29.95)).toBe(true);
    expect(meetsTarget(ratio(598, 2000), 29.95)).toBe(false);
    expect(meetsTarget(ratio(0, 4), 0)).toBe(true);
  });
  it("has nothing to judge on an empty denominator", () => {
    expect(meetsTarget(ratio(0, 0), 30)).toBeNull();
  });
});

describe("display", () => {
  it("builds a number formatter once per language and precision, not once per figure (a dashboard page writes thousands)", () => {
    const made = vi.spyOn(Intl, "NumberFormat");
    try {
      for (let i = 0; i < 200; i += 1) {
        numberDisplay(1_234_567 + i, "vi");
        numberDisplay(i, "en");
        percentDisplay(ratio(i, 200), "vi");
        percentDisplay(ratio(i, 200), "en", 2);
      }
      // At most one per (language, precision) pair used above, whatever earlier tests already built.
      expect(made.mock.calls.length).toBeLessThanOrEqual(4);
      expect(numberDisplay(1_234_567, "vi")).toBe("1.234.567");
      expect(percentDisplay(ratio(1, 3), "en", 2)).toBe("33.33%");
    } finally {
      made.mockRestore();
    }
  });
  it("writes percentages the Vietnamese and the English way", () => {
    expect(percentDisplay(ratio(296, 1000), "vi")).toBe(`29,6${NBSP}%`);
    expect(percentDisplay(ratio(296, 1000), "en")).toBe("29.6%");
    expect(percentDisplay(ratio(1, 3), "vi")).toBe(`33,3${NBSP}%`);
    expect(percentDisplay(ratio(2, 3), "en")).toBe("66.7%");
    expect(percentDisplay(ratio(1, 1), "vi")).toBe(`100,0${NBSP}%`);
    expect(percentDisplay(ratio(0, 7), "en")).toBe("0.0%");
  });
  it("rounds half away from zero at any number of digits", () => {
    expect(percentDisplay(ratio(1, 8), "en", 0)).toBe("13%"); // 12.5
    expect(percentDisplay(ratio(1, 40), "en", 0)).toBe("3%"); // 2.5
    expect(percentDisplay(ratio(1, 3), "en", 2)).toBe("33.33%");
    expect(percentDisplay(ratio(12_345_678, 10_000_000), "vi", 1)).toBe(`123,5${NBSP}%`);
  });
  it("shows an em dash for an empty denominator", () => {
    expect(percentDisplay(ratio(0, 0), "vi")).toBe("—");
    expect(percentDisplay(ratio(0, 0), "en")).toBe("—");
  });
  it("groups thousands with dots in Vietnamese and commas in English", () => {
    expect(numberDisplay(1_234_567, "vi")).toBe("1.234.567");
    expect(numberDisplay(1_234_567, "en")).toBe("1,234,567");
    expect(numberDisplay(0, "vi")).toBe("0");
    expect(numberDisplay(null, "vi")).toBe("—");
  });
});

describe("funnel", () => {
  it("gives each step's share of the previous and of the first", () => {
    const steps = funnel({ viewed: 200, form_started: 50, submitted: 40, paid_online: 10, result_ready: 30 });
    expect(steps.map((s) => s.step)).toEqual(["viewed", "form_started", "submitted", "paid_online", "result_ready"]);
    expect(steps[0]?.fromPrevious).toBeNull();
    expect(steps[1]?.fromPrevious).toEqual({ numerator: 50, denominator: 200, value: 0.25 });
    expect(steps[2]?.fromPrevious?.value).toBe(0.8);
    expect(steps[4]?.fromFirst).toEqual({ numerator: 30, denominator: 200, value: 0.15 });
    // Events of the period, not one cohort: a step may exceed the step before.
    expect(steps[4]?.fromPrevious?.value).toBe(3);
  });
  it("has no shares when nothing was viewed", () => {
    expect(funnel({ viewed: 0, form_started: 0, submitted: 0, paid_online: 0, result_ready: 0 })[2]?.fromFirst.value).toBeNull();
  });
});

describe("the METRICS registry", () => {
  it("has unique ids, and each metric depends only on the counts it declares", () => {
    expect(new Set(METRICS.map((m) => m.id)).size).toBe(METRICS.length);
    // Change every undeclared count: the value must not move.
    for (const m of METRICS) {
      const base = counts(Object.fromEntries(COUNT_KEYS.map((k, i) => [k, (i % 7) + 1])));
      const noisy = { ...base };
      for (const k of COUNT_KEYS) if (!m.needs.includes(k)) noisy[k] = base[k] + 1000;
      expect(m.compute(noisy), m.id).toEqual(m.compute(base));
    }
  });
  it("names every metric in both languages", () => {
    for (const lang of ["vi", "en"]) {
      const file: unknown = JSON.parse(readFileSync(path.resolve(`locales/${lang}/statistics.json`), "utf8"));
      const get = (key: string) =>
        key.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? Object.entries(o).find(([x]) => x === k)?.[1] : undefined), file);
      for (const m of METRICS) {
        expect(typeof get(m.labelKey), `${lang} ${m.labelKey}`).toBe("string");
        expect(typeof get(m.descriptionKey), `${lang} ${m.descriptionKey}`).toBe("string");
      }
    }
  });
  it("says which metric has a target: only the level-4 share", () => {
    expect(METRICS.filter((m) => m.kind === "ratio" && m.hasTarget).map((m) => m.id)).toEqual(["level4_share"]);
  });
});

describe("metricChange", () => {
  it("moves a count by its difference, and relative to before when before was not 0", () => {
    expect(metricChange(30, 50)).toEqual({ kind: "count", previous: 50, delta: -20, relative: -0.4 });
    expect(metricChange(12, 8)).toEqual({ kind: "count", previous: 8, delta: 4, relative: 0.5 });
    expect(metricChange(7, 7)).toEqual({ kind: "count", previous: 7, delta: 0, relative: 0 });
    expect(metricChange(5, 0)).toEqual({ kind: "count", previous: 0, delta: 5, relative: null });
  });

  it("moves a ratio in percentage points, and not at all when either side has nothing to divide", () => {
    const up = metricChange(ratio(21, 25), ratio(50, 50));
    expect(up.kind === "ratio" ? up.points : undefined).toBeCloseTo(-16, 10);
    expect(metricChange(ratio(0, 0), ratio(1, 2))).toMatchObject({ kind: "ratio", points: null });
    expect(metricChange(ratio(1, 2), ratio(0, 0))).toMatchObject({ kind: "ratio", previous: { numerator: 0, denominator: 0, value: null }, points: null });
  });

  it("refuses to compare a count with a ratio", () => {
    expect(() => metricChange(3, ratio(1, 2))).toThrow(TypeError);
  });
});
