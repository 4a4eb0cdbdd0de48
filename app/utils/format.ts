/** Numbers, money and dates as each language writes them: 1.234,5 and 22/11/2026 in Vietnamese. */
const locale = (lang: string) => (lang === "en" ? "en-GB" : "vi-VN");

// Making an Intl formatter costs far more than using one (a list page formats hundreds of values
// per request): one per language and kind, made on first use.
const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(lang: string, kind: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale(lang)}|${kind}`;
  const found = formatters.get(key);
  if (found instanceof Intl.NumberFormat) return found;
  const made = new Intl.NumberFormat(locale(lang), options);
  formatters.set(key, made);
  return made;
}
function dateFormat(lang: string, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale(lang)}|${kind}`;
  const found = formatters.get(key);
  if (found instanceof Intl.DateTimeFormat) return found;
  const made = new Intl.DateTimeFormat(locale(lang), options);
  formatters.set(key, made);
  return made;
}

export function formatVnd(amount: number, lang: string): string {
  return numberFormat(lang, "vnd", { style: "currency", currency: "VND", maximumFractionDigits: 0 }).format(amount);
}

/**
 * A sum in đồng as an administrator's table writes it: "1.234.000 đ" in Vietnamese, "1,234,000 VND" in
 * English; the space is non-breaking so the unit never wraps away from the number.
 */
export function formatDong(amount: number, lang: string): string {
  return `${formatNumber(amount, lang)}\u00a0${lang === "en" ? "VND" : "đ"}`;
}

export function formatNumber(value: number, lang: string, fractionDigits = 0): string {
  return numberFormat(lang, `fixed${fractionDigits}`, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** A percentage already in percent: "29,61 %" in Vietnamese (no-break space), "29.61%" in English; "—" for null. */
export function formatPercent(value: number | null, lang: string, fractionDigits = 2): string {
  if (value === null) return "—";
  return `${formatNumber(value, lang, fractionDigits)}${lang === "en" ? "%" : "\u00a0%"}`;
}

/** As few decimals as a value with at most 2 needs: a target of 30 reads "30 %", 27.5 reads "27,5 %". */
export const decimalsOf = (value: number) => (Number.isInteger(value) ? 0 : Number.isInteger(value * 10) ? 1 : 2);

/**
 * Calendar dates, written and read. One written form per language, for display, for messages and
 * for what people type: day/month/year with two-digit day and month ("05/12/2026") in Vietnamese,
 * and the same in English (British usage; the hints say "day/month/year" so no one reads it as
 * month/day). Stored and exchanged dates stay ISO (YYYY-MM-DD). docs/decisions/017-date-input.md.
 * Written by hand rather than with Intl: the server and every browser must print the same string.
 */
export function formatDate(isoDate: string, _lang?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m || !isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) return isoDate;
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** Why a typed date was refused: an i18n key under `form.errors`. */
export const DATE_ERRORS = {
  /** Not day/month/year at all ("next Monday", "2026/12"). */
  format: "form.errors.date",
  /** A year not written with four digits ("5/12/26"): 1926 or 2026? */
  year: "form.errors.date_year",
  /** Shaped like a date but not one of the calendar ("31/02/2026", "05/13/2026"). */
  notReal: "form.errors.date_not_real",
} as const;
export type DateError = (typeof DATE_ERRORS)[keyof typeof DATE_ERRORS];

export type ParsedDate = { ok: true; date: string } | { ok: false; error: DateError };

const TYPED_DATE = /^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d+)$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A date as a person types it, to ISO: day/month/year, the day and month with one or two digits,
 * the year with four; "/", ".", "-" or a space between ("5/12/2026", "05.12.2026"). An ISO date
 * (2026-12-05) is taken too: links, older drafts and the statistics presets carry them.
 */
export function parseDate(text: string): ParsedDate {
  const typed = text.trim();
  const iso = ISO_DATE.exec(typed);
  const parts = iso ? [iso[3], iso[2], iso[1]] : TYPED_DATE.exec(typed)?.slice(1, 4);
  if (!parts) return { ok: false, error: DATE_ERRORS.format };
  const [d = "", m = "", y = ""] = parts;
  if (y.length !== 4 || y.startsWith("0")) return { ok: false, error: DATE_ERRORS.year };
  if (!isRealDate(Number(y), Number(m), Number(d))) return { ok: false, error: DATE_ERRORS.notReal };
  return { ok: true, date: `${y}-${m.padStart(2, "0")}-${d.padStart(2, "0")}` };
}

/** What a date box shows for a stored value: an ISO date as day/month/year; anything else (a draft as typed) unchanged. */
export function formatDateInput(value: string): string {
  return ISO_DATE.test(value) ? formatDate(value) : value;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  // Day 0 of the next month is the last day of this one (UTC: no time zone is involved).
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * A calendar date without its year, for a chart's axis: "25/02". Both languages write dd/mm here
 * (as formatDate writes dd/mm/yyyy); Intl's vi-VN day-and-month form would be "25-02".
 */
export function formatDayMonth(isoDate: string): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(isoDate);
  return m ? `${m[2]}/${m[1]}` : isoDate;
}

/** A calendar month: "02/2026" in both languages. */
export function formatMonthYear(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})/.exec(isoDate);
  return m ? `${m[2]}/${m[1]}` : isoDate;
}

/** An instant shown in Vietnam's time, whatever the server's or the browser's zone. */
export function formatDateTime(instant: Date | string | number, lang: string): string {
  return dateFormat(lang, "datetime", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone: "Asia/Ho_Chi_Minh",
  }).format(new Date(instant));
}

/** Content in the chosen language, falling back to Vietnamese when there is no English text. */
export function pickLang(vi: string, en: string | null | undefined, lang: string): string {
  return lang === "en" && en ? en : vi;
}

/**
 * The date parameters of a filter form sent with GET, as typed ("15/06/2026"), read with parseDate:
 * the parameters with those dates in ISO, whether any was rewritten (the page may then redirect to
 * the canonical address), and the refused ones by name. Blank parameters are left as they are.
 */
export function readDateParams(
  params: URLSearchParams,
  names: readonly string[],
): { params: URLSearchParams; rewritten: boolean; errors: Record<string, DateError> } {
  const out = new URLSearchParams(params);
  const errors: Record<string, DateError> = {};
  let rewritten = false;
  for (const name of names) {
    const value = params.get(name);
    if (value === null || value.trim() === "") continue;
    const parsed = parseDate(value);
    if (!parsed.ok) errors[name] = parsed.error;
    else if (parsed.date !== value) {
      out.set(name, parsed.date);
      rewritten = true;
    }
  }
  return { params: out, rewritten, errors };
}
