import { describe, expect, it } from "vitest";
import { addYears, bucketStart, periodBuckets, previousPeriod, queryIssues, statisticsQuerySchema } from "./query";

const Schema = statisticsQuerySchema({ today: () => "2026-06-15", defaultTargetPercent: () => 30 });
const issuesOf = (input: Record<string, unknown>) => {
  const r = Schema.safeParse(input);
  return r.success ? [] : queryIssues(r.error);
};

describe("statistics query", () => {
  it("defaults to the last 30 days (today included), grouped by agency, a point a day, target 30 %", () => {
    expect(Schema.parse({})).toEqual({ from: "2026-05-17", to: "2026-06-15", groupBy: "agency", agency: null, interval: "day", target: 30 });
  });
  it("treats empty form fields as not given", () => {
    expect(Schema.parse({ from: "", to: "", groupBy: "", agency: "", interval: "", target: "" })).toMatchObject({
      from: "2026-05-17",
      to: "2026-06-15",
      groupBy: "agency",
      agency: null,
    });
  });
  it("takes a given period, grouping, agency, interval and target (from URL strings)", () => {
    expect(Schema.parse({ from: "2026-01-01", to: "2026-03-31", groupBy: "level", agency: "ha-noi", interval: "week", target: "29.5" })).toEqual({
      from: "2026-01-01",
      to: "2026-03-31",
      groupBy: "level",
      agency: "ha-noi",
      interval: "week",
      target: 29.5,
    });
  });
  it("fills a missing end 30 days after the start (not past today), a missing start 30 days before the end", () => {
    expect(Schema.parse({ from: "2026-01-01" })).toMatchObject({ from: "2026-01-01", to: "2026-01-30" });
    expect(Schema.parse({ from: "2026-06-10" })).toMatchObject({ from: "2026-06-10", to: "2026-06-15" });
    expect(Schema.parse({ to: "2026-02-28" })).toMatchObject({ from: "2026-01-30", to: "2026-02-28" });
  });
  it("accepts a single day and up to three years", () => {
    expect(issuesOf({ from: "2026-02-03", to: "2026-02-03" })).toEqual([]);
    expect(issuesOf({ from: "2023-01-01", to: "2025-12-31" })).toEqual([]);
  });
  it("answers bad input with issues carrying message keys", () => {
    expect(issuesOf({ from: "2026-02-30" })).toEqual([{ field: "from", message: "stats.errors.date_invalid" }]);
    expect(issuesOf({ to: "15/06/2026" })).toEqual([{ field: "to", message: "stats.errors.date_invalid" }]);
    expect(issuesOf({ from: "2026-03-02", to: "2026-03-01" })).toEqual([{ field: "to", message: "stats.errors.range_reversed" }]);
    expect(issuesOf({ from: "2023-01-01", to: "2026-01-01" })).toEqual([{ field: "from", message: "stats.errors.range_too_long" }]);
    expect(issuesOf({ groupBy: "province" })).toEqual([{ field: "groupBy", message: "stats.errors.group_by_invalid" }]);
    expect(issuesOf({ interval: "year" })).toEqual([{ field: "interval", message: "stats.errors.interval_invalid" }]);
    expect(issuesOf({ agency: "Hà Nội; drop table" })).toEqual([{ field: "agency", message: "stats.errors.agency_not_found" }]);
    for (const target of ["abc", "101", "-1", "30.123"])
      expect(issuesOf({ target }), target).toEqual([{ field: "target", message: "stats.errors.target_invalid" }]);
  });
});

describe("periods", () => {
  it("adds years, keeping 29 February inside a common year", () => {
    expect(addYears("2023-01-01", 3)).toBe("2026-01-01");
    expect(addYears("2024-02-29", 1)).toBe("2025-02-28");
  });
  it("starts weeks on Monday and months on the 1st", () => {
    expect(bucketStart("2026-06-03", "week")).toBe("2026-06-01"); // Wednesday → Monday
    expect(bucketStart("2026-06-01", "week")).toBe("2026-06-01"); // Monday itself
    expect(bucketStart("2026-06-07", "week")).toBe("2026-06-01"); // Sunday ends the ISO week
    expect(bucketStart("2026-01-01", "week")).toBe("2025-12-29"); // across a year end
    expect(bucketStart("2026-02-17", "month")).toBe("2026-02-01");
    expect(bucketStart("2026-02-17", "day")).toBe("2026-02-17");
  });
  it("covers the period with buckets clipped to it", () => {
    expect(periodBuckets("2026-06-03", "2026-06-16", "week")).toEqual([
      { bucket: "2026-06-01", from: "2026-06-03", to: "2026-06-07" },
      { bucket: "2026-06-08", from: "2026-06-08", to: "2026-06-14" },
      { bucket: "2026-06-15", from: "2026-06-15", to: "2026-06-16" },
    ]);
    expect(periodBuckets("2025-12-20", "2026-02-02", "month")).toEqual([
      { bucket: "2025-12-01", from: "2025-12-20", to: "2025-12-31" },
      { bucket: "2026-01-01", from: "2026-01-01", to: "2026-01-31" },
      { bucket: "2026-02-01", from: "2026-02-01", to: "2026-02-02" },
    ]);
    expect(periodBuckets("2026-02-27", "2026-03-01", "day").map((b) => b.bucket)).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
    expect(periodBuckets("2026-03-02", "2026-03-01", "day")).toEqual([]);
  });
});

describe("previousPeriod", () => {
  it("is the period of the same length just before, across months, years and a leap day", () => {
    expect(previousPeriod({ from: "2026-06-01", to: "2026-06-30" })).toEqual({ from: "2026-05-02", to: "2026-05-31", days: 30 });
    expect(previousPeriod({ from: "2026-06-15", to: "2026-06-15" })).toEqual({ from: "2026-06-14", to: "2026-06-14", days: 1 });
    expect(previousPeriod({ from: "2026-01-01", to: "2026-01-07" })).toEqual({ from: "2025-12-25", to: "2025-12-31", days: 7 });
    expect(previousPeriod({ from: "2024-03-01", to: "2024-03-31" })).toEqual({ from: "2024-01-30", to: "2024-02-29", days: 31 });
  });

  it("refuses a period that ends before it starts", () => {
    expect(() => previousPeriod({ from: "2026-06-02", to: "2026-06-01" })).toThrow(RangeError);
  });
});
