import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import {
  checkTotp,
  formatSecret,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  openSecret,
  RecoveryCodeSchema,
  requiresSecondFactor,
  sealSecret,
  timeStep,
  TotpCodeSchema,
  totpUri,
} from "./second-factor";

// RFC 6238 appendix B's SHA-1 secret ("12345678901234567890") in Base32, and its test vector at 59 s.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const at = (seconds: number) => new Date(seconds * 1000);
const codeAt = (secret: string, seconds: number) => generate({ secret, epoch: seconds });

describe("TOTP", () => {
  it("computes RFC 6238's test vector (the six low digits of 94287082 at 59 s)", async () => {
    expect(await codeAt(RFC_SECRET, 59)).toBe("287082");
    expect(await checkTotp({ secret: RFC_SECRET, code: "287082", now: at(59), lastUsedStep: null })).toEqual({ ok: true, step: 1 });
  });

  it("accepts the step before and after the current one, and nothing further", async () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015; // inside step 60_000_000
    expect(timeStep(at(now))).toBe(60_000_000);
    for (const [offset, step] of [
      [-30, 59_999_999],
      [0, 60_000_000],
      [30, 60_000_001],
    ] as const) {
      expect(await checkTotp({ secret, code: await codeAt(secret, now + offset), now: at(now), lastUsedStep: null }), `offset ${offset}`).toEqual({
        ok: true,
        step,
      });
    }
    for (const offset of [-60, 60, 3600]) {
      expect(await checkTotp({ secret, code: await codeAt(secret, now + offset), now: at(now), lastUsedStep: null }), `offset ${offset}`).toEqual({
        ok: false,
        reason: "wrong",
      });
    }
  });

  it("refuses a right code whose step was already used (replay), or an earlier one, and takes the next step", async () => {
    const secret = newTotpSecret();
    const now = 1_800_000_015;
    const code = await codeAt(secret, now);
    expect(await checkTotp({ secret, code, now: at(now), lastUsedStep: 60_000_000 })).toEqual({ ok: false, reason: "replayed" });
    expect(await checkTotp({ secret, code: await codeAt(secret, now - 30), now: at(now), lastUsedStep: 60_000_000 })).toEqual({
      ok: false,
      reason: "replayed",
    });
    expect(await checkTotp({ secret, code: await codeAt(secret, now + 30), now: at(now), lastUsedStep: 60_000_000 })).toEqual({ ok: true, step: 60_000_001 });
  });

  it("calls a code of another secret, or not six digits, wrong", async () => {
    const now = 1_800_000_015;
    const code = await codeAt(newTotpSecret(), now);
    // One chance in a million that two secrets share a code at one step: compare with the right one.
    const secret = newTotpSecret();
    if (code !== (await codeAt(secret, now)))
      expect(await checkTotp({ secret, code, now: at(now), lastUsedStep: null })).toEqual({ ok: false, reason: "wrong" });
    for (const bad of ["", "12345", "1234567", "12345a", " 123456"])
      expect(await checkTotp({ secret, code: bad, now: at(now), lastUsedStep: null })).toEqual({ ok: false, reason: "wrong" });
  });

  it("puts the secret, the account and the issuer in the otpauth address apps read", () => {
    const uri = new URL(totpUri({ secret: "JBSWY3DPEHPK3PXP", account: "can.bo@example.vn", issuer: "Cổng DVC" }));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(uri.searchParams.get("issuer")).toBe("Cổng DVC");
    expect(decodeURIComponent(uri.pathname)).toContain("can.bo@example.vn");
    expect(formatSecret("JBSWY3DPEHPK3PXP")).toBe("JBSW Y3DP EHPK 3PXP");
  });
});

describe("recovery codes", () => {
  it("gives ten distinct codes of ten unambiguous characters, read back however they are typed", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[2-9a-km-np-z]{5}-[2-9a-km-np-z]{5}$/);
      expect(RecoveryCodeSchema.parse({ recoveryCode: ` ${code.toUpperCase().replace("-", " - ")} ` }).recoveryCode).toBe(normalizeRecoveryCode(code));
    }
    expect(RecoveryCodeSchema.safeParse({ recoveryCode: "abcde-fghi1" }).success).toBe(false);
    expect(RecoveryCodeSchema.safeParse({ recoveryCode: "" }).error?.issues[0]?.message).toBe("two_factor.errors.recovery_required");
  });
  it("takes six digits, spaces allowed, and says what is wrong otherwise", () => {
    expect(TotpCodeSchema.parse({ code: "123 456" }).code).toBe("123456");
    expect(TotpCodeSchema.safeParse({ code: "" }).error?.issues[0]?.message).toBe("two_factor.errors.code_required");
    expect(TotpCodeSchema.safeParse({ code: "12345x" }).error?.issues[0]?.message).toBe("two_factor.errors.code_invalid");
  });
});

describe("secrets at rest", () => {
  const key = "k".repeat(40);
  it("opens a sealed secret with the same key for the same account only", () => {
    const box = sealSecret({ secret: "JBSWY3DPEHPK3PXP", key, userId: 7 });
    expect(box).not.toContain("JBSWY3DPEHPK3PXP");
    expect(openSecret({ box, key, userId: 7 })).toBe("JBSWY3DPEHPK3PXP");
    expect(openSecret({ box, key, userId: 8 })).toBeNull();
    expect(openSecret({ box, key: "x".repeat(40), userId: 7 })).toBeNull();
    const [v, iv, tag, data] = box.split(".");
    const flipped = `${v}.${iv}.${tag}.${(data ?? "").startsWith("A") ? "B" : "A"}${(data ?? "").slice(1)}`;
    expect(openSecret({ box: flipped, key, userId: 7 })).toBeNull();
    expect(openSecret({ box: "garbage", key, userId: 7 })).toBeNull();
  });
  it("seals the same secret differently each time (a fresh nonce)", () => {
    expect(sealSecret({ secret: "JBSWY3DPEHPK3PXP", key, userId: 7 })).not.toBe(sealSecret({ secret: "JBSWY3DPEHPK3PXP", key, userId: 7 }));
  });
});

describe("who needs a second factor", () => {
  it("every staff role, no citizen", () => {
    expect(requiresSecondFactor("citizen")).toBe(false);
    for (const role of ["officer", "agency_admin", "system_admin"] as const) expect(requiresSecondFactor(role)).toBe(true);
  });
});
