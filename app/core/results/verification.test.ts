import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { makeVerificationCode, parseVerificationCode, signResult, verifyResultSignature } from "./verification";

const secret = "test-secret-for-results-0123456789";
const sha = "a".repeat(64);

describe("result verification", () => {
  it("formats and parses codes people type", () => {
    const code = makeVerificationCode([0, 1, 2, 3, 10, 11, 12, 13, 28, 29, 30, 31]);
    expect(code).toBe("0123-ABCD-WXYZ");
    expect(parseVerificationCode("o123 abcd wxyz")).toBe(code);
    expect(parseVerificationCode("0123-ABCD-WXYU")).toBeNull();
  });

  it("signs code and content with HMAC-SHA256 (known answer)", () => {
    const expected = createHmac("sha256", secret).update(`0123-ABCD-WXYZ:${sha}`).digest("hex");
    expect(signResult({ code: "0123-ABCD-WXYZ", sha256: sha, secret })).toBe(expected);
  });

  it("accepts the genuine pair and rejects another document, another code or another key", () => {
    const signature = signResult({ code: "0123-ABCD-WXYZ", sha256: sha, secret });
    expect(verifyResultSignature({ code: "0123-ABCD-WXYZ", sha256: sha, secret, signature })).toBe(true);
    expect(verifyResultSignature({ code: "0123-ABCD-WXYZ", sha256: "b".repeat(64), secret, signature })).toBe(false);
    expect(verifyResultSignature({ code: "0123-ABCD-WXY0", sha256: sha, secret, signature })).toBe(false);
    expect(verifyResultSignature({ code: "0123-ABCD-WXYZ", sha256: sha, secret: `${secret}x`, signature })).toBe(false);
    expect(verifyResultSignature({ code: "0123-ABCD-WXYZ", sha256: sha, secret, signature: "abc" })).toBe(false);
  });
});
