import { describe, expect, it } from "vitest";
import { presetPeriod, suggestedInterval } from "./presets";

describe("presetPeriod", () => {
  it("ends every quick period today, both ends included", () => {
    expect(presetPeriod("last_7_days", "2026-06-03")).toEqual({ from: "2026-05-28", to: "2026-06-03" });
    expect(presetPeriod("last_30_days", "2026-03-01")).toEqual({ from: "2026-01-31", to: "2026-03-01" });
    expect(presetPeriod("this_month", "2026-02-28")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetPeriod("this_year", "2026-11-22")).toEqual({ from: "2026-01-01", to: "2026-11-22" });
  });

  it("starts this month and this year today when today is their first day", () => {
    expect(presetPeriod("this_month", "2026-07-01")).toEqual({ from: "2026-07-01", to: "2026-07-01" });
    expect(presetPeriod("this_year", "2027-01-01")).toEqual({ from: "2027-01-01", to: "2027-01-01" });
  });

  it("refuses a day that is not a calendar date", () => {
    expect(() => presetPeriod("this_month", "2026-02-30")).toThrow(RangeError);
  });
});

describe("suggestedInterval", () => {
  it("draws up to 62 days day by day, up to 183 week by week, longer periods month by month", () => {
    expect(suggestedInterval("2026-06-01", "2026-06-01")).toBe("day");
    expect(suggestedInterval("2026-01-01", "2026-03-03")).toBe("day"); // 62 days
    expect(suggestedInterval("2026-01-01", "2026-03-04")).toBe("week"); // 63 days
    expect(suggestedInterval("2026-01-01", "2026-07-02")).toBe("week"); // 183 days
    expect(suggestedInterval("2026-01-01", "2026-07-03")).toBe("month");
    expect(suggestedInterval("2024-01-01", "2026-12-31")).toBe("month");
  });
});
