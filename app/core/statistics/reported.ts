import { parse } from "csv-parse/sync";
import * as z from "zod";
import { fold } from "../text/fold";

/**
 * "Reported vs measured" (issue #5): the level-4 figures agencies reported (the appendix of letter
 * 929/BTTTT-THH, 2019, and files like it) checked against their own raw counts. Every judgement is
 * made on the ratio recomputed from the counts, exactly (integer arithmetic), never on the reported
 * or a rounded value: "30%" reported for 61/206 = 29,61 % is within its stated rounding, yet below
 * a 30 % target.
 */

export const REPORTED_KINDS = ["ministry", "province"] as const;
export type ReportedKind = (typeof REPORTED_KINDS)[number];

/** The columns of the appendix; `no` (the row's number in the appendix) may be left out. */
export const REPORTED_COLUMNS = ["kind", "no", "agency", "total_procedures", "level4_services", "level4_share_reported"] as const;
type Column = (typeof REPORTED_COLUMNS)[number];
const OPTIONAL_COLUMNS: readonly Column[] = ["no"];

export const MAX_REPORTED_BYTES = 1024 * 1024;
/** Enough to see what is wrong with a file; the rest are counted, not listed. */
export const MAX_LISTED_ERRORS = 100;
export const DEFAULT_TARGET_PERCENT = 30;
/** The "very low" line: agencies under 5 % level-4 services. */
export const LOW_SHARE_PERCENT = 5;
const MAX_COUNT = 1_000_000_000;
const MAX_SHARE_DECIMALS = 6;

/** A reported percentage as written: "29.61%" is 2961 at 2 decimals; "30%" is 30 at 0 decimals. */
export type ReportedShare = { text: string; scaled: number; decimals: number };

export type ReportedRow = {
  /** The line of the file the row starts on (the header is line 1), as a text editor shows it. */
  row: number;
  kind: ReportedKind;
  no: number | null;
  agency: string;
  total: number;
  level4: number;
  reported: ReportedShare;
};

export type ReportedErrorKey =
  | "too_large"
  | "empty"
  | "utf16"
  | "not_utf8"
  | "csv_syntax"
  | "missing_column"
  | "unknown_column"
  | "duplicate_column"
  | "no_rows"
  | "field_count"
  | "required"
  | "kind_invalid"
  | "agency_too_long"
  | "duplicate_agency"
  | "not_a_number"
  | "not_an_integer"
  | "negative"
  | "too_big"
  | "total_zero"
  | "level4_exceeds_total"
  | "share_over_100"
  | "share_precision";

/** One thing wrong with the file. `row` is a line number (null: the whole file); `message` an i18n key. */
export type ReportedCsvError = {
  row: number | null;
  column: string | null;
  message: `reported.errors.${ReportedErrorKey}`;
  params: Record<string, string | number>;
};

export type ParsedReported = { ok: true; rows: ReportedRow[] } | { ok: false; errors: ReportedCsvError[]; errorCount: number };

const fileError = (
  key: ReportedErrorKey,
  params: Record<string, string | number> = {},
  row: number | null = null,
  column: string | null = null,
): ReportedCsvError => ({
  row,
  column,
  message: `reported.errors.${key}`,
  params,
});

/** A cell echoed in a message: short, so a hostile file cannot flood the page. */
const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

const lineOf = (bytes: Uint8Array, offset: number) => {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
};

/** Where strict UTF-8 decoding first fails: the shortest failing prefix (a longer prefix fails too). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  const fails = (end: number) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let low = 0;
  let high = bytes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fails(mid + 1)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * UTF-8, with or without a byte-order mark, is the only encoding accepted: a Vietnamese name read in
 * the wrong encoding would silently match nothing. UTF-16 shows itself by its BOM or its NUL bytes
 * (never in a text CSV); legacy code pages (TCVN3, Windows-1258) by invalid UTF-8 sequences.
 */
function decode(bytes: Uint8Array): { text: string } | { error: ReportedCsvError } {
  const [b0, b1] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) return { error: fileError("utf16", {}, 1) };
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { error: fileError("utf16", {}, lineOf(bytes, nul)) };
  try {
    // The default (ignoreBOM false) drops a leading UTF-8 BOM.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { error: fileError("not_utf8", {}, lineOf(bytes, firstInvalidUtf8(bytes))) };
  }
}

/** The appendix uses commas; a spreadsheet saved in a Vietnamese locale uses semicolons. */
function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  if (header.includes(",")) return ",";
  if (header.includes(";")) return ";";
  if (header.includes("\t")) return "\t";
  return ",";
}

type Cell<T> = { ok: true; value: T } | { ok: false; key: ReportedErrorKey; params?: Record<string, string | number> };

/** A count of procedures: a whole number written with digits only ("1.915" is ambiguous, so refused). */
function parseCount(raw: string): Cell<number> {
  const text = raw.trim();
  if (text === "") return { ok: false, key: "required" };
  if (/^-\s*\d+(?:[.,]\d+)?$/.test(text)) return { ok: false, key: "negative", params: { value: shown(text) } };
  if (/^\+?\d+[.,]\d+$/.test(text)) return { ok: false, key: "not_an_integer", params: { value: shown(text) } };
  if (!/^\+?\d+$/.test(text)) return { ok: false, key: "not_a_number", params: { value: shown(text) } };
  const value = Number(text);
  if (value > MAX_COUNT) return { ok: false, key: "too_big", params: { value: shown(text) } };
  return { ok: true, value };
}

/** A percentage as reported: "29.61%", "29,61 %", "30" — its decimals are its stated precision. */
function parseShare(raw: string): Cell<ReportedShare> {
  const text = raw.trim().replace(/\s*%$/, "");
  if (text === "") return { ok: false, key: "required" };
  if (/^-\s*\d+(?:[.,]\d+)?$/.test(text)) return { ok: false, key: "negative", params: { value: shown(raw.trim()) } };
  const match = /^\+?(\d+)(?:[.,](\d+))?$/.exec(text);
  if (!match) return { ok: false, key: "not_a_number", params: { value: shown(raw.trim()) } };
  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  if (fraction.length > MAX_SHARE_DECIMALS) return { ok: false, key: "share_precision", params: { max: MAX_SHARE_DECIMALS } };
  const scaled = Number(`${whole}${fraction}`);
  if (scaled > 100 * 10 ** fraction.length) return { ok: false, key: "share_over_100", params: { value: shown(raw.trim()) } };
  return { ok: true, value: { text: raw.trim(), scaled, decimals: fraction.length } };
}

const RecordsSchema = z.array(z.object({ record: z.array(z.string()), info: z.object({ lines: z.number().int() }) }));

const isKind = (v: string): v is ReportedKind => REPORTED_KINDS.some((k) => k === v);
const isColumn = (v: string): v is Column => REPORTED_COLUMNS.some((c) => c === v);

/**
 * Reads an uploaded CSV of reported figures. Either every row is valid and all are returned, or
 * nothing is: a list of errors, each with its line, column and message key, so the administrator can
 * fix the file and upload it again.
 */
export function parseReportedCsv(bytes: Uint8Array): ParsedReported {
  const fail = (errors: ReportedCsvError[]): ParsedReported => ({ ok: false, errors: errors.slice(0, MAX_LISTED_ERRORS), errorCount: errors.length });
  if (bytes.length > MAX_REPORTED_BYTES) return fail([fileError("too_large", { maxKb: MAX_REPORTED_BYTES / 1024 })]);
  const decoded = decode(bytes);
  if ("error" in decoded) return fail([decoded.error]);
  const text = decoded.text;
  if (text.trim() === "") return fail([fileError("empty")]);

  let records: z.infer<typeof RecordsSchema>;
  try {
    // With `info`, each record comes with the line it ends on (the library types it as string[][]).
    const raw: unknown = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true, trim: true, info: true });
    records = RecordsSchema.parse(raw);
  } catch (error) {
    const line = error instanceof Error && "lines" in error && typeof error.lines === "number" ? error.lines : null;
    return fail([fileError("csv_syntax", {}, line)]);
  }
  // csv-parse gives the line a record ends on; a quoted value may span lines, so count back to its start.
  const located = records.map(({ record, info }) => ({
    cells: record,
    row: info.lines - record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0),
  }));

  const [header, ...body] = located;
  if (!header) return fail([fileError("empty")]);
  const errors: ReportedCsvError[] = [];
  const index = new Map<Column, number>();
  header.cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    if (!isColumn(name)) errors.push(fileError("unknown_column", { column: shown(cell) }, header.row, shown(cell)));
    else if (index.has(name)) errors.push(fileError("duplicate_column", { column: name }, header.row, name));
    else index.set(name, i);
  });
  for (const column of REPORTED_COLUMNS) {
    if (!index.has(column) && !OPTIONAL_COLUMNS.includes(column)) errors.push(fileError("missing_column", { column }, header.row, column));
  }
  if (errors.length > 0) return fail(errors);
  if (body.length === 0) return fail([fileError("no_rows", {}, header.row + 1)]);

  const rows: ReportedRow[] = [];
  const seen = new Map<string, number>();
  for (const { cells, row } of body) {
    if (cells.length !== header.cells.length) {
      errors.push(fileError("field_count", { expected: header.cells.length, found: cells.length }, row));
      continue;
    }
    const cell = (column: Column) => {
      const i = index.get(column);
      return i === undefined ? "" : (cells[i] ?? "");
    };
    const rowErrors: ReportedCsvError[] = [];
    const check = <T>(column: Column, result: Cell<T>): T | undefined => {
      if (result.ok) return result.value;
      rowErrors.push(fileError(result.key, result.params ?? {}, row, column));
      return undefined;
    };

    const kindText = cell("kind").trim().toLowerCase();
    const kind = check<ReportedKind>(
      "kind",
      kindText === ""
        ? { ok: false, key: "required" }
        : isKind(kindText)
          ? { ok: true, value: kindText }
          : { ok: false, key: "kind_invalid", params: { value: shown(cell("kind")) } },
    );
    const noText = cell("no").trim();
    const no = noText === "" ? null : check("no", parseCount(noText));
    const agencyText = cell("agency").trim();
    const agency = check<string>(
      "agency",
      agencyText === "" ? { ok: false, key: "required" } : agencyText.length > 200 ? { ok: false, key: "agency_too_long" } : { ok: true, value: agencyText },
    );
    const total = check("total_procedures", parseCount(cell("total_procedures")));
    const level4 = check("level4_services", parseCount(cell("level4_services")));
    const reported = check("level4_share_reported", parseShare(cell("level4_share_reported")));
    if (total === 0) rowErrors.push(fileError("total_zero", {}, row, "total_procedures"));
    if (total !== undefined && level4 !== undefined && level4 > total)
      rowErrors.push(fileError("level4_exceeds_total", { level4, total }, row, "level4_services"));
    if (kind !== undefined && agency !== undefined) {
      // The same agency twice would be counted twice in the national figures.
      const key = `${kind}:${agencyNameKey(agency)}`;
      const first = seen.get(key);
      if (first !== undefined) rowErrors.push(fileError("duplicate_agency", { first }, row, "agency"));
      else seen.set(key, row);
    }
    if (
      rowErrors.length > 0 ||
      kind === undefined ||
      agency === undefined ||
      total === undefined ||
      level4 === undefined ||
      reported === undefined ||
      no === undefined
    ) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({ row, kind, no, agency, total, level4, reported });
  }
  if (errors.length > 0) return fail(errors);
  return { ok: true, rows };
}

/** part / whole as a percentage; null when there is nothing to divide by (shown as "—"). */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? (100 * part) / whole : null;
}

export type ComparedRow = ReportedRow & {
  /** level-4 / total × 100, unrounded. */
  recomputed: number;
  /** reported − recomputed, in percentage points. */
  difference: number;
  /** Half a unit of the reported value's last digit: what display rounding alone can explain. */
  tolerance: number;
  /** The reported value differs from the recomputed one by more than its rounding explains. */
  flagged: boolean;
  meetsTarget: { reported: boolean; recomputed: boolean };
  /** The verdict on the target differs between the reported share and the recomputed ratio. */
  verdictChanged: boolean;
  below5: boolean;
};

export type NationalGroup = "ministry" | "province" | "all";
export type NationalFigure = {
  group: NationalGroup;
  agencies: number;
  level4: number;
  total: number;
  /** Σ level-4 / Σ total: every procedure weighs the same. */
  pooled: number | null;
  /** The mean of the agencies' recomputed ratios: every agency weighs the same. */
  mean: number | null;
};

export type ReportedComparison = {
  targetPercent: number;
  rows: ComparedRow[];
  summary: {
    rows: number;
    flagged: number;
    meetsTarget: { reported: number; recomputed: number };
    /** Rows whose verdict on the target changes once recomputed (named first on the page). */
    verdictChanged: number;
    below5: number;
    national: NationalFigure[];
  };
};

const pow10 = (n: number) => 10n ** BigInt(n);

/**
 * Compares each reported share with the one recomputed from its counts, and judges the target on the
 * recomputed value. All comparisons are exact, in integers: with the share r = scaled / 10^d and the
 * recomputed 100·L/T, "differs beyond rounding" is |r − 100·L/T| > ½·10^-d, i.e.
 * |2·scaled·T − 200·L·10^d| > T.
 */
export function compareReported(rows: readonly ReportedRow[], { targetPercent }: { targetPercent: number }): ReportedComparison {
  // The target has at most 2 decimals (TargetSchema); in hundredths of a percent it is an integer.
  const target = BigInt(Math.round(targetPercent * 100));
  const compared = rows.map((r): ComparedRow => {
    const T = BigInt(r.total);
    const L = BigInt(r.level4);
    const S = BigInt(r.reported.scaled);
    const d = r.reported.decimals;
    const gap = 2n * S * T - 200n * L * pow10(d);
    const recomputed = (100 * r.level4) / r.total;
    const meetsTarget = {
      // scaled / 10^d ≥ target / 100
      reported: S * 100n >= target * pow10(d),
      // 100·L / T ≥ target / 100
      recomputed: L * 10_000n >= target * T,
    };
    return {
      ...r,
      recomputed,
      difference: r.reported.scaled / 10 ** d - recomputed,
      tolerance: 0.5 / 10 ** d,
      flagged: (gap < 0n ? -gap : gap) > T,
      meetsTarget,
      verdictChanged: meetsTarget.reported !== meetsTarget.recomputed,
      below5: L * 100n < BigInt(LOW_SHARE_PERCENT) * T,
    };
  });
  const national = (group: NationalGroup): NationalFigure => {
    const members = compared.filter((r) => group === "all" || r.kind === group);
    const level4 = members.reduce((n, r) => n + r.level4, 0);
    const total = members.reduce((n, r) => n + r.total, 0);
    return {
      group,
      agencies: members.length,
      level4,
      total,
      pooled: percentOf(level4, total),
      mean: members.length > 0 ? members.reduce((n, r) => n + r.recomputed, 0) / members.length : null,
    };
  };
  const count = (test: (r: ComparedRow) => boolean) => compared.filter(test).length;
  return {
    targetPercent,
    rows: compared,
    summary: {
      rows: compared.length,
      flagged: count((r) => r.flagged),
      meetsTarget: { reported: count((r) => r.meetsTarget.reported), recomputed: count((r) => r.meetsTarget.recomputed) },
      verdictChanged: count((r) => r.verdictChanged),
      below5: count((r) => r.below5),
      national: [national("ministry"), national("province"), national("all")],
    },
  };
}

/** Words an agency's name may or may not start with: "Tỉnh", "Thành phố", "TP.", "Bộ", "UBND". */
const NAME_PREFIXES = ["uy ban nhan dan", "ubnd", "thanh pho", "tinh", "tp", "bo"];

/**
 * The key two spellings of one agency share: folded (no tone marks, đ → d, lower case), punctuation
 * as spaces, common prefixes dropped. "TP Hồ Chí Minh", "Thành phố Hồ Chí Minh" → "ho chi minh";
 * "Thừa Thiên-Huế" → "thua thien hue"; "Bộ Tư pháp" → "tu phap".
 */
export function agencyNameKey(name: string): string {
  let key = fold(name)
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  for (let stripped = true; stripped;) {
    stripped = false;
    for (const prefix of NAME_PREFIXES) {
      if (key.startsWith(`${prefix} `)) {
        key = key.slice(prefix.length + 1);
        stripped = true;
      }
    }
  }
  return key;
}

/** The form: which file (uploaded or the bundled appendix) and the target, "30" or "27,5" (percent). */
export const ReportedFormSchema = z.object({
  intent: z.enum(["upload", "appendix"], { error: "reported.errors.bad_request" }),
  target: z
    .string()
    .trim()
    .transform((v) => (v === "" ? String(DEFAULT_TARGET_PERCENT) : v))
    .pipe(z.string().regex(/^\d{1,3}(?:[.,]\d{1,2})?$/, "reported.errors.target_invalid"))
    .transform((v) => Number(v.replace(",", ".")))
    .pipe(z.number().gt(0, "reported.errors.target_invalid").lte(100, "reported.errors.target_invalid"))
    .default(DEFAULT_TARGET_PERCENT),
});

/**
 * a / b as a decimal with `digits` places, rounded half away from zero, exactly (in integers): the
 * export writes figures a spreadsheet can trust to the last digit ("29.6117", "-0.3883").
 */
function exactDecimal(numerator: bigint, denominator: bigint, digits: number): string {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const scale = 10n ** BigInt(digits);
  const rounded = (2n * n * scale + denominator) / (2n * denominator);
  const whole = (rounded / scale).toString();
  const text = digits === 0 ? whole : `${whole}.${(rounded % scale).toString().padStart(digits, "0")}`;
  return negative && rounded !== 0n ? `-${text}` : text;
}

/** The recomputed share in percent (100·L / T) as an exact decimal. */
export function recomputedDecimal(row: Pick<ComparedRow, "level4" | "total">, digits = 4): string {
  return exactDecimal(100n * BigInt(row.level4), BigInt(row.total), digits);
}

/** Half a unit of the reported value's last digit, written exactly: "0.5" for "30%", "0.005" for "29.61%". */
export function toleranceDecimal(decimals: number): string {
  return `0.${"0".repeat(decimals)}5`;
}

/** reported − recomputed in percentage points, exactly: (S·T − 100·L·10^d) / (10^d·T). */
export function differenceDecimal(row: Pick<ComparedRow, "level4" | "total" | "reported">, digits = 4): string {
  const T = BigInt(row.total);
  const scale = pow10(row.reported.decimals);
  return exactDecimal(BigInt(row.reported.scaled) * T - 100n * BigInt(row.level4) * scale, scale * T, digits);
}

/**
 * What an import keeps of its comparison besides the file: the summary as it was shown, so the list
 * of imports can say what each found without reading the files again. The agencies whose verdict
 * changed are kept by name, with the figures that make the change.
 */
export const ReportedImportSummarySchema = z.object({
  rows: z.number().int().min(0),
  flagged: z.number().int().min(0),
  meetsReported: z.number().int().min(0),
  meetsRecomputed: z.number().int().min(0),
  below5: z.number().int().min(0),
  matched: z.number().int().min(0),
  verdictChanged: z.array(
    z.object({
      row: z.number().int(),
      agency: z.string(),
      total: z.number().int(),
      level4: z.number().int(),
      reported: z.string(),
      meetsRecomputed: z.boolean(),
    }),
  ),
});
export type ReportedImportSummary = z.infer<typeof ReportedImportSummarySchema>;

export function importSummaryOf(comparison: ReportedComparison, matched: number): ReportedImportSummary {
  const { summary } = comparison;
  return {
    rows: summary.rows,
    flagged: summary.flagged,
    meetsReported: summary.meetsTarget.reported,
    meetsRecomputed: summary.meetsTarget.recomputed,
    below5: summary.below5,
    matched,
    verdictChanged: comparison.rows
      .filter((r) => r.verdictChanged)
      .map((r) => ({ row: r.row, agency: r.agency, total: r.total, level4: r.level4, reported: r.reported.text, meetsRecomputed: r.meetsTarget.recomputed })),
  };
}

/** The list of imports: which page (a bad or missing value is the first page). */
export const ReportedListQuerySchema = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1) });

/** An import's address: /admin/statistics/reported/:importId, a positive whole number. */
export const ReportedImportIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number);
