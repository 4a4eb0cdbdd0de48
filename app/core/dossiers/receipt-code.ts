/**
 * Receipt codes: `YYMMDD-XXXXXX-C` — the submission date in Vietnam, six random
 * Crockford base-32 characters (no I, L, O, U: nothing to misread on a phone or
 * over the counter) and one mod-37 check character, so a mistyped code is caught
 * before any lookup. Parsing forgives case, spaces, and O/I/L typed for 0/1.
 * See docs/decisions/003-receipt-code.md.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;

export const RECEIPT_CODE_PATTERN = /^\d{6}-[0-9A-HJKMNP-TV-Z]{6}-[0-9A-HJKMNP-TV-Z*~$=U]$/;

function checkChar(payload: string): string {
  // Crockford's check symbol: the payload read as one base-32 number, mod 37.
  let mod = 0;
  for (const ch of payload) mod = (mod * 32 + ALPHABET.indexOf(ch)) % 37;
  return CHECK_ALPHABET.charAt(mod);
}

/** `vnDate` is the submission date in Vietnam (YYYY-MM-DD); `random` gives 6 values in 0..31. */
export function makeReceiptCode(vnDate: string, random: readonly number[]): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(vnDate)) throw new Error(`bad date ${vnDate}`);
  if (random.length !== 6 || random.some((n) => !Number.isInteger(n) || n < 0 || n > 31)) throw new Error("need 6 values in 0..31");
  const date = vnDate.slice(2).replaceAll("-", "");
  const body = random.map((n) => ALPHABET[n]).join("");
  return `${date}-${body}-${checkChar(date + body)}`;
}

/** Normalises what a person typed; null when it cannot be a receipt code (including a wrong check character). */
export function parseReceiptCode(input: string): string | null {
  const compact = input
    .toUpperCase()
    .replace(/[\s\-_.]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (!/^\d{6}[0-9A-Z]{6}[0-9A-Z*~$=]$/.test(compact)) return null;
  const date = compact.slice(0, 6);
  const body = compact.slice(6, 12);
  const check = compact.slice(12);
  if ([...body].some((ch) => !ALPHABET.includes(ch))) return null;
  if (checkChar(date + body) !== check) return null;
  return `${date}-${body}-${check}`;
}
