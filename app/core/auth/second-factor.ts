import { createCipheriv, createDecipheriv, createHash, randomBytes, randomInt } from "node:crypto";
import { generateSecret, generateURI, verify } from "otplib";
import * as z from "zod";
import type { Role } from "./permissions";

/**
 * Staff sign-in's second factor (docs/decisions/033): a TOTP code (RFC 6238, 30-second steps, 6 digits,
 * SHA-1 — what every authenticator app reads from a QR code) or a one-time recovery code. The rules are
 * here, pure; the store (app/server/auth/second-factor.server.ts) keeps secrets, steps and codes.
 */

/** Who must pass a second factor after the password: everyone who works on other people's dossiers. */
export function requiresSecondFactor(role: Role): boolean {
  return role !== "citizen";
}

export const TOTP_PERIOD_SECONDS = 30;
/** Codes of the step before and after the current one are accepted too (a phone's clock a little off). */
export const TOTP_TOLERANCE_STEPS = 1;
/** How many recovery codes an enrolment gives. */
export const RECOVERY_CODE_COUNT = 10;

/** A new TOTP secret: 20 random bytes (160 bits, RFC 4226's recommendation), Base32 as apps take it. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** What the QR code carries: `otpauth://totp/<issuer>:<account>?secret=…`, read by authenticator apps. */
export function totpUri(input: { secret: string; account: string; issuer: string }): string {
  return generateURI({ issuer: input.issuer, label: input.account, secret: input.secret, period: TOTP_PERIOD_SECONDS });
}

/** The time step a moment falls in. */
export function timeStep(now: Date): number {
  return Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: "wrong" | "replayed" };

/**
 * Checks a code against a secret at `now`, ±1 step. A right code of a step already used (or an earlier
 * one) is "replayed": RFC 6238 §5.2 — a code is accepted once, so one seen over a shoulder or phished
 * cannot be used again in its window.
 */
export async function checkTotp(input: { secret: string; code: string; now: Date; lastUsedStep: number | null }): Promise<TotpCheck> {
  if (!/^\d{6}$/.test(input.code)) return { ok: false, reason: "wrong" };
  const result = await verify({
    secret: input.secret,
    token: input.code,
    epoch: Math.floor(input.now.getTime() / 1000),
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_TOLERANCE_STEPS * TOTP_PERIOD_SECONDS,
  });
  // The functional API types TOTP's and HOTP's results together; a TOTP check has a time step.
  if (!result.valid || !("timeStep" in result)) return { ok: false, reason: "wrong" };
  if (input.lastUsedStep !== null && result.timeStep <= input.lastUsedStep) return { ok: false, reason: "replayed" };
  return { ok: true, step: result.timeStep };
}

/** The secret as a person types it into an app without a camera: groups of four. */
export function formatSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

// No 0/O, 1/I/L: a code copied by hand from paper is read back without doubt.
const RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz";
const RECOVERY_LENGTH = 10;

/** Fresh recovery codes, shown once as "xxxxx-xxxxx" (about 49 bits each). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** A recovery code as stored and compared: lower case, without spaces or dashes. */
export function normalizeRecoveryCode(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase();
}

/** The six digits typed (spaces allowed: apps show "123 456"). Messages are i18n keys. */
export const TotpCodeSchema = z.object({
  code: z
    .string()
    .max(20, "two_factor.errors.code_invalid")
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(
      z
        .string()
        .min(1, "two_factor.errors.code_required")
        .regex(/^\d{6}$/, "two_factor.errors.code_invalid"),
    ),
});

/** A recovery code typed (dashes, spaces and capitals allowed). */
export const RecoveryCodeSchema = z.object({
  recoveryCode: z
    .string()
    .max(40, "two_factor.errors.recovery_invalid")
    .transform(normalizeRecoveryCode)
    .pipe(
      z
        .string()
        .min(1, "two_factor.errors.recovery_required")
        .regex(new RegExp(`^[${RECOVERY_ALPHABET}]{${RECOVERY_LENGTH}}$`), "two_factor.errors.recovery_invalid"),
    ),
});

/**
 * TOTP secrets at rest: AES-256-GCM under a key derived from TWO_FACTOR_KEY, with the account's id as
 * associated data, so a secret copied onto another account's row does not open. "v1.<iv>.<tag>.<data>".
 */
function boxKey(key: string): Buffer {
  return createHash("sha256").update(`dvc-two-factor-v1:${key}`).digest();
}

export function sealSecret(input: { secret: string; key: string; userId: number }): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", boxKey(input.key), iv);
  cipher.setAAD(Buffer.from(`user:${input.userId}`));
  const data = Buffer.concat([cipher.update(input.secret, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

/** The secret, or null when the box is not one this key sealed for this account (tampered, other key). */
export function openSecret(input: { box: string; key: string; userId: number }): string | null {
  const [version, iv, tag, data, ...rest] = input.box.split(".");
  if (version !== "v1" || !iv || !tag || !data || rest.length > 0) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", boxKey(input.key), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(`user:${input.userId}`));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}
