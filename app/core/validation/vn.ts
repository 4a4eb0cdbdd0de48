/**
 * Vietnamese identifiers. The first three digits of a 12-digit CCCD (citizen
 * identity card) are the code of the province where the birth was registered
 * (Circular 59/2021/TT-BCA, appendix); only the 63 codes below exist.
 */
export const CCCD_PROVINCE_CODES: ReadonlySet<string> = new Set([
  "001",
  "002",
  "004",
  "006",
  "008",
  "010",
  "011",
  "012",
  "014",
  "015",
  "017",
  "019",
  "020",
  "022",
  "024",
  "025",
  "026",
  "027",
  "030",
  "031",
  "033",
  "034",
  "035",
  "036",
  "037",
  "038",
  "040",
  "042",
  "044",
  "045",
  "046",
  "048",
  "049",
  "051",
  "052",
  "054",
  "056",
  "058",
  "060",
  "062",
  "064",
  "066",
  "067",
  "068",
  "070",
  "072",
  "074",
  "075",
  "077",
  "079",
  "080",
  "082",
  "083",
  "084",
  "086",
  "087",
  "089",
  "091",
  "092",
  "093",
  "094",
  "095",
  "096",
]);

export function isValidCccd(value: string): boolean {
  return /^\d{12}$/.test(value) && CCCD_PROVINCE_CODES.has(value.slice(0, 3));
}

/** Mobile and landline numbers as people type them: 0xxxxxxxxx or +84xxxxxxxxx, spaces and dots allowed. */
export function normalizePhone(value: string): string | null {
  const compact = value.replace(/[\s.\-()]/g, "");
  const national = compact.startsWith("+84") ? `0${compact.slice(3)}` : compact.startsWith("84") && compact.length === 11 ? `0${compact.slice(2)}` : compact;
  return /^0[235789]\d{8}$/.test(national) ? national : null;
}

/** Keeps the last four characters visible, for lists and receipts. */
export function maskTail(value: string, visible = 4): string {
  if (value.length <= visible) return value;
  return "•".repeat(value.length - visible) + value.slice(-visible);
}
