import { describe, expect, it } from "vitest";
import { slugify } from "../../app/core/text/fold";
import { readReportedCsv } from "../seed";
import { apportion, planCatalog, syntheticCode, type LevelCounts } from "./catalog";
import { Random } from "./random";

const reported = readReportedCsv().map((r) => ({ code: slugify(r.agency), totalProcedures: r.total_procedures, level4Services: r.level4_services }));

describe("apportion (largest remainder)", () => {
  it("hands out exactly the total, each share within one of its quota", () => {
    const weights = [1818, 1907, 60, 3, 0, 914];
    const seats = apportion(2000, weights);
    expect(seats.reduce((s, n) => s + n, 0)).toBe(2000);
    const sum = weights.reduce((s, w) => s + w, 0);
    seats.forEach((n, i) => expect(Math.abs(n - (2000 * (weights[i] ?? 0)) / sum)).toBeLessThan(1));
    expect(seats[4]).toBe(0);
  });

  it("gives the remainders to the largest fractions, ties to the first", () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(3, [5, 5])).toEqual([2, 1]);
  });
});

describe("planCatalog", () => {
  const seeded = new Map<string, LevelCounts>([
    ["ha-noi", [2, 3, 6, 7]],
    ["bac-ninh", [1, 4, 4, 3]],
  ]);

  it("reproduces the 2019 appendix at full scale: 125,336 procedures, each agency's total and level-4 count", () => {
    const plans = planCatalog({ reported, seeded, random: new Random(1) });
    expect(plans).toHaveLength(83);
    expect(plans.reduce((s, p) => s + p.total, 0)).toBe(125_336);
    expect(plans.reduce((s, p) => s + p.level4, 0)).toBe(14_419);
    for (const [i, plan] of plans.entries()) {
      expect(plan.total).toBe(reported[i]?.totalProcedures);
      expect(plan.level4).toBe(reported[i]?.level4Services);
      expect(plan.clamped).toBe(false);
    }
    // The seeded procedures are part of the count: Hà Nội gets 18 fewer synthetic ones, 7 fewer at level 4.
    const hanoi = plans.find((p) => p.code === "ha-noi");
    expect(hanoi?.synthetic.reduce((s, n) => s + n, 0)).toBe(1818 - 18);
    expect(hanoi?.synthetic[3]).toBe(244 - 7);
  });

  it("splits what is not level 4 over levels 1–3 with level 2 the largest share", () => {
    for (const plan of planCatalog({ reported, seeded: new Map(), random: new Random(5) })) {
      const [l1, l2, l3] = plan.synthetic;
      const other = l1 + l2 + l3;
      expect(other).toBe(plan.total - plan.level4);
      if (other >= 100) {
        expect(l3 / other).toBeGreaterThan(0.14);
        expect(l3 / other).toBeLessThan(0.36);
        expect(l2).toBeGreaterThan(l1);
      }
    }
  });

  it("scaled down, gives each agency its share and round(share × level-4 ÷ total) at level 4, keeping the seed where it is larger", () => {
    const plans = planCatalog({ reported, totalProcedures: 2_000, seeded, random: new Random(1) });
    const shares = apportion(
      2_000,
      reported.map((r) => r.totalProcedures),
    );
    for (const [i, plan] of plans.entries()) {
      const r = reported[i];
      const share = shares[i] ?? 0;
      if (!r) throw new Error("no row");
      const seed = seeded.get(r.code) ?? [0, 0, 0, 0];
      const level4 = Math.round((share * r.level4Services) / r.totalProcedures);
      expect(plan.level4).toBe(Math.max(level4, seed[3]));
      expect(plan.total).toBe(Math.max(level4, seed[3]) + Math.max(share - level4, seed[0] + seed[1] + seed[2]));
      expect(plan.synthetic.reduce((s, n) => s + n, 0) + seed.reduce((s, n) => s + n, 0)).toBe(plan.total);
    }
    // Hà Nội's 29 procedures would have 4 at level 4; the seed already has 7, which are kept.
    expect(plans.find((p) => p.code === "ha-noi")).toMatchObject({ total: 29 + 3, level4: 7, clamped: true });
  });

  it("is deterministic for a seed", () => {
    const a = planCatalog({ reported, seeded, random: new Random(9) });
    const b = planCatalog({ reported, seeded, random: new Random(9) });
    expect(a).toEqual(b);
  });

  it("refuses a full-scale plan the seed cannot fit in", () => {
    expect(() => planCatalog({ reported, seeded: new Map([["bo-cong-an", [0, 0, 0, 4]]]), random: new Random(1) })).toThrow(/bo-cong-an/);
  });
});

describe("syntheticCode", () => {
  it("is recognisable and never a national code (digit.six digits)", () => {
    expect(syntheticCode(1)).toBe("S.000001");
    expect(syntheticCode(125_285)).toBe("S.125285");
    expect(/^\d\.\d{6}$/.test(syntheticCode(42))).toBe(false);
  });
});
