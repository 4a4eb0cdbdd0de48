import { describe, expect, it } from "vitest";
import {
  DATE_ERRORS,
  formatDate,
  formatDateInput,
  formatDateTime,
  formatDayMonth,
  formatDong,
  formatMonthYear,
  formatNumber,
  formatVnd,
  parseDate,
  readDateParams,
} from "./format";

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

  it("writes a calendar date as dd/mm/yyyy in both languages, and leaves a non-date as it is", () => {
    expect(formatDate("2026-12-05", "vi")).toBe("05/12/2026");
    expect(formatDate("2026-12-05", "en")).toBe("05/12/2026");
    // Not rolled over into March: a string that is not a date is shown as it is.
    expect(formatDate("2026-02-30", "vi")).toBe("2026-02-30");
    expect(formatDateInput("2000-01-01")).toBe("01/01/2000");
    expect(formatDateInput("5/12/20")).toBe("5/12/20");
  });
});

describe("parseDate: a date as a person types it", () => {
  it("accepts day/month/year with one or two digits for day and month", () => {
    expect(parseDate("05/12/2026")).toEqual({ ok: true, date: "2026-12-05" });
    expect(parseDate("5/12/2026")).toEqual({ ok: true, date: "2026-12-05" });
    expect(parseDate(" 5/1/2026 ")).toEqual({ ok: true, date: "2026-01-05" });
    expect(parseDate("29/02/2024")).toEqual({ ok: true, date: "2024-02-29" });
  });
  it("accepts the separators phones' keyboards offer, and an ISO date", () => {
    expect(parseDate("05.12.2026")).toEqual({ ok: true, date: "2026-12-05" });
    expect(parseDate("05-12-2026")).toEqual({ ok: true, date: "2026-12-05" });
    expect(parseDate("05 12 2026")).toEqual({ ok: true, date: "2026-12-05" });
    expect(parseDate("2026-12-05")).toEqual({ ok: true, date: "2026-12-05" });
  });
  it("refuses a day the calendar does not have, saying so", () => {
    expect(parseDate("31/02/2026")).toEqual({ ok: false, error: DATE_ERRORS.notReal });
    expect(parseDate("29/02/2026")).toEqual({ ok: false, error: "form.errors.date_not_real" });
    expect(parseDate("31/04/2026")).toEqual({ ok: false, error: DATE_ERRORS.notReal });
    // Month first (US order) reads as month 13.
    expect(parseDate("12/13/2026")).toEqual({ ok: false, error: DATE_ERRORS.notReal });
    expect(parseDate("00/12/2026")).toEqual({ ok: false, error: DATE_ERRORS.notReal });
    expect(parseDate("2026-02-30")).toEqual({ ok: false, error: DATE_ERRORS.notReal });
  });
  it("refuses a two-digit year and what is not a date", () => {
    expect(parseDate("5/12/26")).toEqual({ ok: false, error: DATE_ERRORS.year });
    expect(parseDate("5/12/02026")).toEqual({ ok: false, error: DATE_ERRORS.year });
    for (const text of ["", "hôm nay", "2026/12/05", "12/2026", "5/12/2026 10:00", "2026-1-5", "١٢/١٢/٢٠٢٦"])
      expect(parseDate(text)).toEqual({ ok: false, error: DATE_ERRORS.format });
  });
  it("gives the messages in each language's words, with the example written as that language writes dates", async () => {
    const { readFileSync } = await import("node:fs");
    for (const lang of ["vi", "en"]) {
      const form = JSON.parse(readFileSync(`locales/${lang}/common.json`, "utf8")).form;
      for (const key of Object.values(DATE_ERRORS)) {
        const text: string = form.errors[key.replace("form.errors.", "")];
        expect(text).toMatch(/(\d{2}\/\d{2}\/\d{4})|(ngày\/tháng\/năm)|(day\/month\/year)/);
        expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      }
    }
  });
});

describe("readDateParams: dates of a GET filter form", () => {
  it("rewrites typed dates as ISO and reports the ones it cannot read", () => {
    const read = readDateParams(new URLSearchParams("from=15/06/2026&to=2026-06-30&groupBy=level"), ["from", "to"]);
    expect(read).toMatchObject({ rewritten: true, errors: {} });
    expect(read.params.toString()).toBe("from=2026-06-15&to=2026-06-30&groupBy=level");
    expect(readDateParams(new URLSearchParams("from=2026-06-15"), ["from", "to"]).rewritten).toBe(false);
    const bad = readDateParams(new URLSearchParams("from=31/06/2026&to="), ["from", "to"]);
    expect(bad.errors).toEqual({ from: DATE_ERRORS.notReal });
    expect(bad.params.get("from")).toBe("31/06/2026");
  });
});
