import { describe, expect, it } from "vitest";
import { maskEmail, maskRecipient } from "./mask";

describe("recipient masking", () => {
  it("keeps the first letter and the domain of an e-mail address", () => {
    expect(maskEmail("cong.dan@example.vn")).toBe("c***@example.vn");
    expect(maskEmail("a@b.vn")).toBe("a***@b.vn");
    expect(maskEmail("not-an-address")).toBe("***");
    expect(maskEmail("@example.vn")).toBe("***");
  });

  it("keeps the last four digits of a phone number", () => {
    expect(maskRecipient("sms", "0903123456")).toBe("••••••3456");
    expect(maskRecipient("email", "tran.thi.binh@example.vn")).toBe("t***@example.vn");
  });
});
