import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDayMonth, formatDong, formatMonthYear, formatNumber, formatVnd } from "./format";

describe("format", () => {
  it("writes numbers the Vietnamese way in vi and the English way in en", () => {
    expect(formatNumber(1234.5, "vi", 1)).toBe("1.234,5");
    expect(formatNumber(1234.5, "en", 1)).toBe("1,234.5");
  });
  it("formats fees in đồng", () => {
    expect(formatVnd(200000, "vi")).toMatch(/^200\.000\s?₫$/);
    expect(formatVnd(200000, "en")).toContain("200,000");
    expect(formatDong(1_234_000, "vi")).toBe("1.234.000\u00a0đ");
    expect(formatDong(0, "vi")).toBe("0\u00a0đ");
    expect(formatDong(1_234_000, "en")).toBe("1,234,000\u00a0VND");
  });
  it("formats dates without shifting the day", () => {
    expect(formatDate("2026-02-25", "vi")).toBe("25/02/2026");
    expect(formatDateTime(Date.UTC(2026, 2, 2, 16, 59), "vi")).toBe("23:59 02/03/2026");
    expect(formatDayMonth("2026-02-05")).toBe("05/02");
    expect(formatMonthYear("2026-12-31")).toBe("12/2026");
  });
});
