/**
 * CSV for the statistics export (RFC 4180): what a spreadsheet opens correctly and can recompute
 * from. Pure text rules; the rows themselves are built from the one query layer
 * (app/server/statistics/export.server.ts).
 */
import * as z from "zod";
import type { Ratio } from "./metrics";

/** UTF-8 byte-order mark: without it Excel reads UTF-8 as the ANSI code page and mangles Vietnamese. */
export const BOM = "\uFEFF";
/** RFC 4180 ends every record with CRLF. */
const EOL = "\r\n";

/** A machine number as the export writes it: optional minus, digits, optional dot and digits. */
const MACHINE_NUMBER = /^-?\d+(?:\.\d+)?$/;

/**
 * A text cell a spreadsheet would run as a formula (CSV injection): = + - @, and tab / CR, which
 * some spreadsheets strip before looking for the sign. A plain number such as "-3" or "0.25" is not
 * a formula and must stay a number, so it is left alone.
 */
function defused(cell: string): string {
  if (MACHINE_NUMBER.test(cell)) return cell;
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Quotes a field when it holds a quote, a comma or a line break; quotes inside are doubled. */
function field(cell: string): string {
  const text = defused(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to a CSV document: BOM first, fields quoted as needed, every record ended by CRLF. */
export function toCsv(rows: readonly (readonly string[])[]): string {
  return BOM + rows.map((row) => row.map(field).join(",") + EOL).join("");
}

/** Decimals of a ratio in the export: enough to recompute a percentage to two decimals. */
export const RATIO_DECIMALS = 6;

/**
 * A ratio as an exact decimal fraction with a dot ("0.296100"), rounded half away from zero on the
 * exact fraction; "" when the denominator is 0 (an empty cell, not 0, so no average is skewed).
 */
export function ratioDecimal(r: Ratio, digits = RATIO_DECIMALS): string {
  if (r.denominator === 0) return "";
  if (!Number.isInteger(digits) || digits < 0 || digits > 12) throw new RangeError(`digits must be 0–12, got ${digits}`);
  const scale = 10n ** BigInt(digits);
  const d = BigInt(r.denominator);
  // Half away from zero on non-negative integers: floor((2·n·scale + d) / 2d).
  const rounded = (2n * BigInt(r.numerator) * scale + d) / (2n * d);
  const whole = rounded / scale;
  const fraction = (rounded % scale).toString().padStart(digits, "0");
  return digits === 0 ? whole.toString() : `${whole}.${fraction}`;
}

/** A count as a plain machine number: no thousands separator, whatever the language. */
export const countCell = (n: number): string => String(n);

/** The tables the dashboard offers as CSV, one query-layer answer each. */
export const EXPORT_TABLES = ["summary", "grouped", "rankings_services", "rankings_online", "rankings_share", "timeseries", "funnel"] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];
export const ExportTableSchema = z.enum(EXPORT_TABLES, { error: "stats.export.errors.table_invalid" });

/** "thong-ke-rankings-services-2026-10-01_2026-10-31.csv": ASCII only, so every browser keeps it as is. */
export function exportFilename(table: ExportTable, period: { from: string; to: string }): string {
  return `thong-ke-${table.replaceAll("_", "-")}-${period.from}_${period.to}.csv`;
}
