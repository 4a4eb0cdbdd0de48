import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { BOM, countCell, exportFilename, ExportTableSchema, ratioDecimal, toCsv } from "./csv";
import { ratio } from "./metrics";

describe("toCsv", () => {
  it("starts with the UTF-8 BOM and ends every record with CRLF", () => {
    const text = toCsv([
      ["a", "b"],
      ["1", "2"],
    ]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text).toBe("\uFEFFa,b\r\n1,2\r\n");
    expect(new TextEncoder().encode(text).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });

  it("is only the BOM for no rows", () => {
    expect(toCsv([])).toBe(BOM);
  });

  it("leaves plain fields unquoted, Vietnamese included", () => {
    expect(toCsv([["Ủy ban nhân dân phường Hoàn Kiếm", "Mức độ 4"]])).toBe(`${BOM}Ủy ban nhân dân phường Hoàn Kiếm,Mức độ 4\r\n`);
  });

  it("quotes fields with commas, quotes and line breaks, doubling the quotes inside", () => {
    expect(toCsv([["a,b", 'say "hi"', "two\nlines", "cr\rlf\r\n", ""]])).toBe(`${BOM}"a,b","say ""hi""","two\nlines","cr\rlf\r\n",\r\n`);
  });

  it("round-trips through an RFC 4180 parser", () => {
    const rows = [
      ["Tên", "Giá trị"],
      ['Sở "Tư pháp", Hà Nội', "1234"],
      ["dòng một\r\ndòng hai", "0.296100"],
      ["", "-5"],
    ];
    const parsed: unknown = parse(toCsv(rows), { bom: true });
    expect(parsed).toEqual(rows);
  });

  it("defuses text cells a spreadsheet would run as a formula", () => {
    const cells = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1", "-", "=", "a=b"];
    const parsed: unknown = parse(toCsv([cells]), { bom: true });
    expect(parsed).toEqual([['\'=HYPERLINK("http://x")', "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\r=1", "'-", "'=", "a=b"]]);
  });

  it("leaves numbers alone, negative ones included", () => {
    expect(toCsv([["-3", "-0.5", "0.296100", "1234", "+5"]])).toBe(`${BOM}-3,-0.5,0.296100,1234,'+5\r\n`);
  });
});

describe("ratioDecimal", () => {
  it("writes the exact fraction with a dot and six decimals", () => {
    expect(ratioDecimal(ratio(2961, 10_000))).toBe("0.296100");
    expect(ratioDecimal(ratio(1, 3))).toBe("0.333333");
    expect(ratioDecimal(ratio(2, 3))).toBe("0.666667");
    expect(ratioDecimal(ratio(0, 7))).toBe("0.000000");
    expect(ratioDecimal(ratio(5, 4))).toBe("1.250000"); // never clamped
  });

  it("rounds half away from zero on the exact fraction, not on a float", () => {
    // 1/16 = 0.0625 → three decimals: 0.063 (a float round-trip might give 0.062).
    expect(ratioDecimal(ratio(1, 16), 3)).toBe("0.063");
    expect(ratioDecimal(ratio(23, 80), 3)).toBe("0.288");
    expect(ratioDecimal(ratio(1, 2), 0)).toBe("1");
  });

  it("is an empty cell when there is nothing to divide by", () => {
    expect(ratioDecimal(ratio(0, 0))).toBe("");
  });

  it("refuses a silly precision", () => {
    expect(() => ratioDecimal(ratio(1, 2), 13)).toThrow(RangeError);
  });
});

describe("countCell", () => {
  it("writes no thousands separator", () => {
    expect(countCell(1_234_567)).toBe("1234567");
  });
});

describe("export tables", () => {
  it("name the file after the table and the period, in ASCII", () => {
    expect(exportFilename("grouped", { from: "2026-10-01", to: "2026-10-31" })).toBe("thong-ke-grouped-2026-10-01_2026-10-31.csv");
    expect(exportFilename("rankings_services", { from: "2026-10-01", to: "2026-10-31" })).toBe("thong-ke-rankings-services-2026-10-01_2026-10-31.csv");
  });

  it("accept only the known tables, with a message key otherwise", () => {
    expect(ExportTableSchema.parse("funnel")).toBe("funnel");
    const bad = ExportTableSchema.safeParse("users");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("stats.export.errors.table_invalid");
    expect(ExportTableSchema.safeParse(undefined).error?.issues[0]?.message).toBe("stats.export.errors.table_invalid");
  });
});
