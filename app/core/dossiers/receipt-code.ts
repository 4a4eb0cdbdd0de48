/**
 * Receipt codes: `YYMMDD-XXXXXX-C` — the submission date in Vietnam, six random
 * Crockford base-32 characters (no I, L, O, U: nothing to misread on a phone or
 * over the counter) and one check character from the same alphabet (Luhn mod 32),
 * so a mistyped code is caught before any lookup. Parsing forgives case, spaces,
 * and O/I/L typed for 0/1. See docs/decisions/003-receipt-code.md.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** Codes issued until the end of 2026 carry Crockford's mod-37 check symbol, which may be `* ~ $ = U`. */
const LEGACY_CHECK_ALPHABET = `${ALPHABET}*~$=U`;
const LEGACY_UNTIL = "261231";

const CHAR = "[0-9A-HJKMNP-TV-Z]";
/** The format of every code the portal issues now. */
export const RECEIPT_CODE_PATTERN = new RegExp(`^\\d{6}-${CHAR}{6}-${CHAR}$`);

/**
 * Luhn mod N over the base-32 values (N = 32): every single wrong character is caught, and every swap
 * of two neighbours except 0↔Z — as Luhn's mod-10 misses only 09↔90.
 */
function checkChar(payload: string): string {
  const n = ALPHABET.length;
  let sum = 0;
  let double = true; // from the right, the character next to the check character is doubled
  for (let i = payload.length - 1; i >= 0; i--) {
    let v = ALPHABET.indexOf(payload.charAt(i));
    if (double) {
      v *= 2;
      v = Math.floor(v / n) + (v % n);
    }
    sum += v;
    double = !double;
  }
  return ALPHABET.charAt((n - (sum % n)) % n);
}

/** The check symbol of the codes issued until 2026: the payload read as one base-32 number, mod 37. */
function legacyCheckChar(payload: string): string {
  let mod = 0;
  for (const ch of payload) mod = (mod * 32 + ALPHABET.indexOf(ch)) % 37;
  return LEGACY_CHECK_ALPHABET.charAt(mod);
}

/** `vnDate` is the submission date in Vietnam (YYYY-MM-DD); `random` gives 6 values in 0..31. */
export function makeReceiptCode(vnDate: string, random: readonly number[]): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vnDate)) throw new Error(`bad date ${vnDate}`);
  if (random.length !== 6 || random.some((n) => !Number.isInteger(n) || n < 0 || n > 31)) throw new Error("need 6 values in 0..31");
  const date = vnDate.slice(2).replaceAll("-", "");
  const body = random.map((n) => ALPHABET[n]).join("");
  return `${date}-${body}-${checkChar(date + body)}`;
}

/**
 * Normalises what a person typed; null when it cannot be a receipt code (including a wrong check
 * character). A code dated until 2026 may also carry the legacy check symbol, so every code already
 * issued stays valid for tracking.
 */
export function parseReceiptCode(input: string): string | null {
  const compact = input
    .toUpperCase()
    .replace(/[\s\-_.\u2010\u2011]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (!/^\d{6}[0-9A-Z]{6}[0-9A-Z*~$=]$/.test(compact)) return null;
  const date = compact.slice(0, 6);
  const body = compact.slice(6, 12);
  const check = compact.slice(12);
  if ([...body].some((ch) => !ALPHABET.includes(ch))) return null;
  const valid = checkChar(date + body) === check || (date <= LEGACY_UNTIL && legacyCheckChar(date + body) === check);
  return valid ? `${date}-${body}-${check}` : null;
}
