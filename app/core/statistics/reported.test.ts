import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  agencyNameKey,
  compareReported,
  differenceDecimal,
  importSummaryOf,
  MAX_LISTED_ERRORS,
  parseReportedCsv,
  recomputedDecimal,
  ReportedFormSchema,
  ReportedImportIdSchema,
  toleranceDecimal,
  type ReportedRow,
} from "./reported";

const APPENDIX = path.resolve("db/seed-data/level4-share-2019.csv");
const utf8 = (text: string) => new TextEncoder().encode(text);
const HEADER = "kind,no,agency,total_procedures,level4_services,level4_share_reported";
const csv = (...lines: string[]) => utf8([HEADER, ...lines].join("\n"));

function parsedRows(bytes: Uint8Array): ReportedRow[] {
  const parsed = parseReportedCsv(bytes);
  if (!parsed.ok) throw new Error(`not parsed: ${JSON.stringify(parsed.errors)}`);
  return parsed.rows;
}
function parseErrors(bytes: Uint8Array) {
  const parsed = parseReportedCsv(bytes);
  if (parsed.ok) throw new Error("parsed, expected errors");
  return parsed.errors;
}
const row = (total: number, level4: number, reported: string, kind: "ministry" | "province" = "province"): ReportedRow => {
  const [whole = "", fraction = ""] = reported.replace("%", "").split(".");
  return { row: 2, kind, no: 1, agency: "X", total, level4, reported: { text: reported, scaled: Number(whole + fraction), decimals: fraction.length } };
};

describe("the 2019 appendix (db/seed-data/level4-share-2019.csv)", () => {
  const bytes = new Uint8Array(readFileSync(APPENDIX));
  const result = compareReported(parsedRows(bytes), { targetPercent: 30 });

  // An independent reading: every data line is kind,no,"agency",total,level4,share%.
  const simple = readFileSync(APPENDIX, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => {
      const m = /^(ministry|province),\d+,"([^"]+)",(\d+),(\d+),([\d.]+)%$/.exec(line);
      if (!m) throw new Error(`unexpected line ${line}`);
      return { kind: m[1], agency: m[2], total: Number(m[3]), level4: Number(m[4]), reported: Number(m[5]) };
    });

  it("reads every row: 20 ministries and 63 provinces, with their counts", () => {
    expect(simple).toHaveLength(83);
    expect(result.rows).toHaveLength(83);
    expect(result.summary.rows).toBe(83);
    expect(result.rows.filter((r) => r.kind === "ministry")).toHaveLength(20);
    expect(result.rows.map((r) => [r.kind, r.agency, r.total, r.level4])).toEqual(simple.map((s) => [s.kind, s.agency, s.total, s.level4]));
    expect(result.rows[0]).toMatchObject({
      row: 2,
      kind: "ministry",
      no: 1,
      agency: "Bộ Công an",
      total: 299,
      level4: 3,
      reported: { text: "1.00%", scaled: 100, decimals: 2 },
    });
    expect(result.rows.at(-1)).toMatchObject({ row: 84, agency: "Yên Bái", reported: { scaled: 602, decimals: 2 } });
  });

  it("meets 30 % in 10 rows as reported but only 8 recomputed: two reported a rounded 30 %", () => {
    // Counted by hand from the file: 10 reported ≥ 30 (KH&ĐT 75, Nội vụ 35.83, Tài chính 33.59,
    // TT&TT 30, BHXH 44.44, An Giang 34.15, Đà Nẵng 31.40, Lạng Sơn 33.28, Lào Cai 30, Thừa
    // Thiên-Huế 30.03); TT&TT is 61/206 = 29.61 % and Lào Cai 620/2076 = 29.87 %.
    expect(simple.filter((s) => s.reported >= 30)).toHaveLength(10);
    expect(simple.filter((s) => s.level4 * 100 >= 30 * s.total)).toHaveLength(8);
    expect(result.summary.meetsTarget).toEqual({ reported: 10, recomputed: 8 });
    const rounded = result.rows.filter((r) => r.meetsTarget.reported && !r.meetsTarget.recomputed).map((r) => r.agency);
    expect(rounded).toEqual(["Bộ Thông tin và Truyền thông", "Lào Cai"]);
    const ttt = result.rows.find((r) => r.agency === "Bộ Thông tin và Truyền thông");
    expect(ttt?.recomputed).toBeCloseTo(29.6117, 4);
    // 30 stated to 0 decimals allows ±0.5: 29.61 rounds to 30, so it is not a misreport.
    expect(ttt).toMatchObject({ flagged: false, tolerance: 0.5 });
  });

  it("flags no row: every reported share is its counts' ratio within its stated rounding", () => {
    expect(simple.filter((s) => Math.abs(s.reported - (100 * s.level4) / s.total) > 0.005 && s.reported !== 30)).toEqual([]);
    expect(result.summary.flagged).toBe(0);
    expect(result.rows.find((r) => r.agency === "Thừa Thiên-Huế")).toMatchObject({
      flagged: false,
      tolerance: 0.005,
      meetsTarget: { reported: true, recomputed: true },
    });
  });

  it("has 19 agencies below 5 %", () => {
    expect(simple.filter((s) => s.level4 * 100 < 5 * s.total)).toHaveLength(19);
    expect(result.summary.below5).toBe(19);
    expect(result.rows.find((r) => r.agency === "Bộ Ngoại giao")?.below5).toBe(true); // 4.23 %
    expect(result.rows.find((r) => r.agency === "Bộ Nông nghiệp và Phát triển nông thôn")?.below5).toBe(false); // 5.09 %
  });

  it("states both national figures, per kind and overall, and they differ", () => {
    const sum = (list: typeof simple, f: (s: (typeof simple)[number]) => number) => list.reduce((n, s) => n + f(s), 0);
    const expected = (kind: string | null) => {
      const list = simple.filter((s) => kind === null || s.kind === kind);
      return { level4: sum(list, (s) => s.level4), total: sum(list, (s) => s.total), mean: sum(list, (s) => (100 * s.level4) / s.total) / list.length };
    };
    const [ministry, province, all] = result.summary.national;
    // Σ 898 / 4 701 = 19.10 % pooled; mean of 20 ratios 19.21 %.
    expect(ministry).toMatchObject({ group: "ministry", agencies: 20, level4: 898, total: 4701 });
    expect(ministry?.pooled).toBeCloseTo(19.1023, 4);
    expect(ministry?.mean).toBeCloseTo(19.2149, 4);
    // Σ 13 521 / 120 635 = 11.21 % pooled; mean of 63 ratios 11.10 %.
    expect(province).toMatchObject({ group: "province", agencies: 63, level4: 13521, total: 120635 });
    expect(province?.pooled).toBeCloseTo(11.2082, 4);
    expect(province?.mean).toBeCloseTo(11.1027, 4);
    // Σ 14 419 / 125 336 = 11.50 % pooled; but the mean of 83 ratios is 13.06 %: small ministries weigh as much as large provinces.
    expect(all).toMatchObject({ group: "all", agencies: 83, level4: 14419, total: 125336 });
    expect(all?.pooled).toBeCloseTo(11.5043, 4);
    expect(all?.mean).toBeCloseTo(13.0575, 4);
    for (const [figure, kind] of [
      [ministry, "ministry"],
      [province, "province"],
      [all, null],
    ] as const) {
      const e = expected(kind);
      expect(figure).toMatchObject({ level4: e.level4, total: e.total });
      expect(figure?.mean).toBeCloseTo(e.mean, 10);
    }
  });

  it("reads the same file with a UTF-8 byte-order mark, CRLF line ends or semicolons and decimal commas", () => {
    const text = readFileSync(APPENDIX, "utf8");
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]);
    expect(parsedRows(withBom)).toEqual(parsedRows(bytes));
    const crlf = parsedRows(utf8(text.replaceAll("\n", "\r\n")));
    expect(crlf.map((r) => [r.row, r.agency, r.reported.scaled])).toEqual(parsedRows(bytes).map((r) => [r.row, r.agency, r.reported.scaled]));
    const semicolons = text
      .split("\n")
      .map((line) => line.replace(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ";").replace(/(\d)\.(\d+%)$/, "$1,$2"))
      .join("\n");
    expect(semicolons).toContain(";15,75%");
    const viaSemicolons = parsedRows(utf8(semicolons));
    expect(viaSemicolons.map((r) => [r.agency, r.total, r.level4, r.reported.scaled, r.reported.decimals])).toEqual(
      parsedRows(bytes).map((r) => [r.agency, r.total, r.level4, r.reported.scaled, r.reported.decimals]),
    );
  });
});

describe("compareReported", () => {
  it("flags a share only beyond half a unit of its last stated digit", () => {
    // 61 / 206 = 29.6117 %
    const judge = (reported: string) => compareReported([row(206, 61, reported)], { targetPercent: 30 }).rows[0]?.flagged;
    expect(judge("29.61%")).toBe(false);
    expect(judge("29.6%")).toBe(false);
    expect(judge("30%")).toBe(false);
    expect(judge("29.62%")).toBe(true); // off by 0.0083 > 0.005
    expect(judge("29.7%")).toBe(true); // off by 0.088 > 0.05
    expect(judge("29%")).toBe(true); // off by 0.61 > 0.5
    expect(judge("31%")).toBe(true);
    expect(judge("29.612%")).toBe(false);
    expect(judge("29.610%")).toBe(true); // stated to 3 decimals: 0.0017 > 0.0005
  });

  it("does not flag a value exactly half a unit away (either rounding of a tie is honest)", () => {
    // 1 / 8 = 12.5 %; 1 / 16 = 6.25 %
    const judge = (total: number, level4: number, reported: string) => compareReported([row(total, level4, reported)], { targetPercent: 30 }).rows[0]?.flagged;
    expect(judge(8, 1, "13%")).toBe(false);
    expect(judge(8, 1, "12%")).toBe(false);
    expect(judge(16, 1, "6.3%")).toBe(false);
    expect(judge(16, 1, "6.2%")).toBe(false);
    expect(judge(16, 1, "6.1%")).toBe(true);
    expect(judge(16, 1, "6.24%")).toBe(true);
  });

  it("judges the target on the exact recomputed ratio, never the reported or a rounded one", () => {
    const judge = (total: number, level4: number, reported: string, targetPercent: number) =>
      compareReported([row(total, level4, reported)], { targetPercent }).rows[0]?.meetsTarget;
    expect(judge(206, 61, "30%", 30)).toEqual({ reported: true, recomputed: false });
    expect(judge(206, 61, "29.61%", 29.61)).toEqual({ reported: true, recomputed: true }); // 29.6117 ≥ 29.61
    expect(judge(206, 61, "29.61%", 29.62)).toEqual({ reported: false, recomputed: false });
    expect(judge(10, 3, "30%", 30)).toEqual({ reported: true, recomputed: true }); // exactly on the target
    expect(judge(2076, 620, "30%", 30)).toEqual({ reported: true, recomputed: false }); // 29.87 %
    expect(judge(100, 40, "20%", 30)).toEqual({ reported: false, recomputed: true }); // an under-report, flagged too
  });

  it("counts below 5 % strictly on the recomputed ratio", () => {
    const result = compareReported([row(100, 5, "5%"), row(1000, 49, "5%"), row(1000, 0, "0%")], { targetPercent: 30 });
    expect(result.rows.map((r) => r.below5)).toEqual([false, true, true]);
    expect(result.summary.below5).toBe(2);
  });

  it("gives no national figure for a group with no rows (shown as —)", () => {
    const result = compareReported([row(10, 1, "10%", "ministry")], { targetPercent: 30 });
    expect(result.summary.national).toEqual([
      { group: "ministry", agencies: 1, level4: 1, total: 10, pooled: 10, mean: 10 },
      { group: "province", agencies: 0, level4: 0, total: 0, pooled: null, mean: null },
      { group: "all", agencies: 1, level4: 1, total: 10, pooled: 10, mean: 10 },
    ]);
  });
});

describe("verdict changes and the export's exact figures", () => {
  it("marks the rows whose verdict on the target changes, both ways, and keeps them by name in the summary", () => {
    const rows = [row(206, 61, "30%"), row(100, 40, "20%"), row(10, 3, "30%"), row(100, 10, "10%")].map((r, i) => ({ ...r, row: i + 2, agency: `A${i}` }));
    const result = compareReported(rows, { targetPercent: 30 });
    expect(result.rows.map((r) => r.verdictChanged)).toEqual([true, true, false, false]);
    expect(result.summary.verdictChanged).toBe(2);
    expect(importSummaryOf(result, 3)).toEqual({
      rows: 4,
      flagged: 1,
      meetsReported: 2,
      meetsRecomputed: 2,
      below5: 0,
      matched: 3,
      verdictChanged: [
        { row: 2, agency: "A0", total: 206, level4: 61, reported: "30%", meetsRecomputed: false },
        { row: 3, agency: "A1", total: 100, level4: 40, reported: "20%", meetsRecomputed: true },
      ],
    });
  });

  it("writes the recomputed share, the difference and the allowance exactly, rounded half away from zero", () => {
    expect(recomputedDecimal(row(206, 61, "30%"))).toBe("29.6117"); // 29.611650…
    expect(recomputedDecimal(row(2076, 620, "30%"))).toBe("29.8651"); // 29.865125…
    expect(recomputedDecimal(row(8, 1, "12.5%"), 2)).toBe("12.50");
    expect(recomputedDecimal(row(3, 1, "33%"), 0)).toBe("33");
    expect(differenceDecimal(row(206, 61, "30%"))).toBe("0.3883");
    expect(differenceDecimal(row(367, 57, "15.53%"))).toBe("-0.0013");
    expect(differenceDecimal(row(8, 1, "12.5%"))).toBe("0.0000");
    expect(differenceDecimal(row(1_000_000_000, 1, "0%"), 4)).toBe("0.0000"); // −0.0000001: no "-0.0000"
    expect(toleranceDecimal(0)).toBe("0.5");
    expect(toleranceDecimal(2)).toBe("0.005");
  });

  it("reads an import's address only as a positive whole number", () => {
    expect(ReportedImportIdSchema.safeParse("12").data).toBe(12);
    for (const bad of ["0", "-1", "1.5", "abc", "12abc", "", "1e3", "9".repeat(16)]) expect(ReportedImportIdSchema.safeParse(bad).success, bad).toBe(false);
  });
});

describe("parseReportedCsv refuses a bad file, with every error located and nothing imported", () => {
  it("a wrong header: missing, unknown and repeated columns", () => {
    expect(parseErrors(utf8("kind,agency,total,level4_services,level4_share_reported\nministry,Bộ Y tế,367,57,15.53%\n"))).toEqual([
      { row: 1, column: "total", message: "reported.errors.unknown_column", params: { column: "total" } },
      { row: 1, column: "total_procedures", message: "reported.errors.missing_column", params: { column: "total_procedures" } },
    ]);
    expect(parseErrors(utf8("kind,agency,agency,total_procedures,level4_services,level4_share_reported\n"))).toEqual([
      { row: 1, column: "agency", message: "reported.errors.duplicate_column", params: { column: "agency" } },
    ]);
  });

  it("accepts the columns in any order, in any case, and without `no`", () => {
    const rows = parsedRows(utf8("Agency,KIND,level4_share_reported,total_procedures,level4_services\nBộ Y tế,ministry,15.53%,367,57\n"));
    expect(rows).toEqual([
      { row: 2, kind: "ministry", no: null, agency: "Bộ Y tế", total: 367, level4: 57, reported: { text: "15.53%", scaled: 1553, decimals: 2 } },
    ]);
  });

  it("non-numbers, negatives, fractions, level-4 above total and zero totals, each by row and column", () => {
    const errors = parseErrors(
      csv(
        'ministry,1,"Bộ Y tế",367,57,15.53%',
        'ministry,2,"Bộ Tư pháp",abc,7,7.29%',
        'province,3,"Hà Nội",1818,-244,13.42%',
        'province,4,"Hải Phòng",1900,2000,105%',
        'province,5,"Huế",0,0,0%',
        'region,6,"Cần Thơ",1891,336.5,17,77%',
        'province,7,"",1891,336,x%',
      ),
    );
    expect(errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [3, "total_procedures", "reported.errors.not_a_number"],
      [4, "level4_services", "reported.errors.negative"],
      [5, "level4_share_reported", "reported.errors.share_over_100"],
      [5, "level4_services", "reported.errors.level4_exceeds_total"],
      [6, "total_procedures", "reported.errors.total_zero"],
      [7, null, "reported.errors.field_count"],
      [8, "agency", "reported.errors.required"],
      [8, "level4_share_reported", "reported.errors.not_a_number"],
    ]);
    expect(errors[0]?.params).toEqual({ value: "abc" });
    expect(errors[3]?.params).toEqual({ level4: 2000, total: 1900 });
    expect(errors[5]?.params).toEqual({ expected: 6, found: 7 });
  });

  it("a fraction of a procedure, an unknown kind and a repeated agency", () => {
    const errors = parseErrors(
      csv(
        'region,1,"Bộ Y tế",367,57,15.53%',
        'province,2,"Hà Nội",1818,24.4,13.42%',
        'province,3,"TP Hồ Chí Minh",1797,187,10.41%',
        'province,4,"Thành phố Hồ Chí Minh",1797,187,10.41%',
      ),
    );
    expect(errors).toEqual([
      { row: 2, column: "kind", message: "reported.errors.kind_invalid", params: { value: "region" } },
      { row: 3, column: "level4_services", message: "reported.errors.not_an_integer", params: { value: "24.4" } },
      { row: 5, column: "agency", message: "reported.errors.duplicate_agency", params: { first: 4 } },
    ]);
  });

  it("an empty file, a header alone, and a file over 1 MB", () => {
    expect(parseErrors(new Uint8Array())).toEqual([{ row: null, column: null, message: "reported.errors.empty", params: {} }]);
    expect(parseErrors(utf8("\n\n  \n"))).toEqual([{ row: null, column: null, message: "reported.errors.empty", params: {} }]);
    expect(parseErrors(new Uint8Array([0xef, 0xbb, 0xbf]))).toEqual([{ row: null, column: null, message: "reported.errors.empty", params: {} }]);
    expect(parseErrors(utf8(`${HEADER}\n`))).toEqual([{ row: 2, column: null, message: "reported.errors.no_rows", params: {} }]);
    expect(parseErrors(new Uint8Array(1024 * 1024 + 1).fill(0x41))).toEqual([
      { row: null, column: null, message: "reported.errors.too_large", params: { maxKb: 1024 } },
    ]);
  });

  it("an unknown encoding: invalid UTF-8 (a legacy code page), UTF-16 with or without its BOM", () => {
    // "Bộ Y tế" in Windows-1258 is not UTF-8; the bad byte is on line 3.
    const legacy = new Uint8Array([...utf8(`${HEADER}\nministry,1,Bo Y te,367,57,15.53%\nministry,2,B`), 0xf4, ...utf8(" Y t\n")]);
    expect(parseErrors(legacy)).toEqual([{ row: 3, column: null, message: "reported.errors.not_utf8", params: {} }]);
    const utf16le = (text: string) => new Uint8Array(Array.from(text).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]));
    const text = `${HEADER}\nministry,1,Bo Y te,367,57,15.53%\n`;
    expect(parseErrors(utf16le(text))).toEqual([{ row: 1, column: null, message: "reported.errors.utf16", params: {} }]);
    expect(parseErrors(new Uint8Array([0xff, 0xfe, ...utf16le(text)]))).toEqual([{ row: 1, column: null, message: "reported.errors.utf16", params: {} }]);
  });

  it("a broken quote, located by its line", () => {
    const errors = parseErrors(csv('ministry,1,"Bộ Y tế",367,57,15.53%', 'ministry,2,"Bộ "Tư" pháp",96,7,7.29%'));
    expect(errors).toEqual([{ row: 3, column: null, message: "reported.errors.csv_syntax", params: {} }]);
  });

  it("numbers rows by the line they start on, across a quoted value spanning lines and blank lines", () => {
    const errors = parseErrors(csv('ministry,1,"Bộ Văn hóa,\nThể thao và Du lịch",99,13,13.13%', "", "ministry,2,Bộ Y tế,367,x,15.53%"));
    expect(errors).toEqual([{ row: 5, column: "level4_services", message: "reported.errors.not_a_number", params: { value: "x" } }]);
  });

  it("lists at most 100 errors but counts them all", () => {
    const lines = Array.from({ length: 150 }, (_, i) => `province,${i + 1},"Tỉnh ${i}",10,x,1%`);
    const parsed = parseReportedCsv(csv(...lines));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toHaveLength(MAX_LISTED_ERRORS);
    expect(parsed.errorCount).toBe(150);
  });
});

describe("agencyNameKey", () => {
  it("matches spellings of one agency: prefixes, tone marks, punctuation and case", () => {
    const hcm = agencyNameKey("Thành phố Hồ Chí Minh");
    expect(hcm).toBe("ho chi minh");
    for (const name of ["TP Hồ Chí Minh", "TP. Hồ Chí Minh", "Tp.Hồ Chí Minh", "thành phố hồ chí minh", "  Thành  phố   Hồ Chí Minh "])
      expect(agencyNameKey(name), name).toBe(hcm);
    expect(agencyNameKey("Tỉnh Bắc Ninh")).toBe(agencyNameKey("Bắc Ninh"));
    expect(agencyNameKey("UBND tỉnh Bắc Ninh")).toBe("bac ninh");
    expect(agencyNameKey("Thừa Thiên-Huế")).toBe(agencyNameKey("Thừa Thiên Huế"));
    expect(agencyNameKey("Bộ Tư pháp")).toBe("tu phap");
    expect(agencyNameKey("Bộ Lao động - Thương binh và Xã hội")).toBe("lao dong thuong binh va xa hoi");
    expect(agencyNameKey("Đắk Lắk")).toBe("dak lak");
    expect(agencyNameKey("Hà Nội")).not.toBe(agencyNameKey("Hà Nam"));
  });
});

describe("ReportedFormSchema", () => {
  it("reads the target as a percentage, 30 when left empty, with a dot or a comma", () => {
    expect(ReportedFormSchema.parse({ intent: "upload", target: "" })).toEqual({ intent: "upload", target: 30 });
    expect(ReportedFormSchema.parse({ intent: "appendix" })).toEqual({ intent: "appendix", target: 30 });
    expect(ReportedFormSchema.parse({ intent: "appendix", target: "27,5" }).target).toBe(27.5);
    expect(ReportedFormSchema.parse({ intent: "appendix", target: " 29.61 " }).target).toBe(29.61);
    for (const bad of ["0", "101", "abc", "-5", "30.123", "1e2"]) {
      const parsed = ReportedFormSchema.safeParse({ intent: "appendix", target: bad });
      expect(parsed.success, bad).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe("reported.errors.target_invalid");
    }
    expect(ReportedFormSchema.safeParse({ intent: "import", target: "30" }).error?.issues[0]?.message).toBe("reported.errors.bad_request");
  });
});
