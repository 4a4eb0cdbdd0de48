import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Electronic results carry a verification code (printed, and in a QR code to /verify) and are
 * signed: HMAC-SHA256 over the code and the SHA-256 of the exact PDF bytes. Changing one byte
 * of the document, or presenting a code with another document, fails verification.
 */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** `random` gives 12 values in 0..31. Format: XXXX-XXXX-XXXX. */
export function makeVerificationCode(random: readonly number[]): string {
  if (random.length !== 12 || random.some((n) => !Number.isInteger(n) || n < 0 || n > 31)) throw new RangeError("need 12 values in 0..31");
  const chars = random.map((n) => ALPHABET[n]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

export function parseVerificationCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (!/^[0-9A-HJKMNP-TV-Z]{12}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`;
}

export function signResult(input: { code: string; sha256: string; secret: string }): string {
  return createHmac("sha256", input.secret).update(`${input.code}:${input.sha256}`).digest("hex");
}

export function verifyResultSignature(input: { code: string; sha256: string; secret: string; signature: string }): boolean {
  const expected = Buffer.from(signResult(input), "hex");
  const given = Buffer.from(input.signature, "hex");
  return expected.length === given.length && timingSafeEqual(expected, given);
}
