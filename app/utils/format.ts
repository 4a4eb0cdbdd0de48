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

/** A calendar date (YYYY-MM-DD) as written locally; no time-zone shift because none is involved. */
export function formatDate(isoDate: string, lang: string): string {
  const [y, m, d] = isoDate.split("-").map(Number);
  if (!y || !m || !d) return isoDate;
  return dateFormat(lang, "date", { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
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
  return dateFormat(lang, "datetime", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Asia/Ho_Chi_Minh" }).format(new Date(instant));
}

/** Content in the chosen language, falling back to Vietnamese when there is no English text. */
export function pickLang(vi: string, en: string | null | undefined, lang: string): string {
  return lang === "en" && en ? en : vi;
}
