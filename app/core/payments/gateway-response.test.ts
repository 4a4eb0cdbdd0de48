import { describe, expect, it } from "vitest";
import { paymentFailure } from "./gateway-response";

describe("why a payment failed, by gateway response code", () => {
  it.each([
    ["24", "cancelled"],
    ["51", "insufficient_balance"],
    ["11", "expired"],
    ["12", "account_locked"],
    ["13", "wrong_otp"],
    ["65", "daily_limit"],
    ["75", "bank_maintenance"],
    ["79", "wrong_password"],
    ["09", "not_registered"],
    ["10", "authentication_failed"],
    ["07", "suspected_fraud"],
  ])("code %s is %s", (code, reason) => {
    expect(paymentFailure(code).reason).toBe(reason);
  });

  it("anything else, 99 included, is the generic reason", () => {
    for (const code of ["99", "00", "9", "051", "", "toString", "__proto__", null]) expect(paymentFailure(code).reason).toBe("generic");
  });

  it("offers a retry except when the bank may already have taken the money (07)", () => {
    expect(paymentFailure("51").retry).toBe(true);
    expect(paymentFailure("24").retry).toBe(true);
    expect(paymentFailure("99").retry).toBe(true);
    expect(paymentFailure("07").retry).toBe(false);
  });
});
