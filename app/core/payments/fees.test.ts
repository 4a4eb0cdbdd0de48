import { describe, expect, it } from "vitest";
import { amountDue, paymentRequired, POSTAGE_VND } from "./fees";

describe("amount due", () => {
  it("is the fee, plus postage only when the result goes by post", () => {
    expect(amountDue({ feeVnd: 200_000, deliveryMode: "online" })).toEqual({ feeVnd: 200_000, postageVnd: 0, totalVnd: 200_000 });
    expect(amountDue({ feeVnd: 200_000, deliveryMode: "post" })).toEqual({ feeVnd: 200_000, postageVnd: POSTAGE_VND, totalVnd: 225_000 });
    expect(amountDue({ feeVnd: 0, deliveryMode: "post" }).totalVnd).toBe(POSTAGE_VND);
  });
  it("refuses fractional or negative fees", () => {
    expect(() => amountDue({ feeVnd: 1.5, deliveryMode: null })).toThrow(RangeError);
    expect(() => amountDue({ feeVnd: -1, deliveryMode: null })).toThrow(RangeError);
  });
});

describe("payment required before processing", () => {
  it("for level 4 with something to pay, or when an officer asked for payment", () => {
    expect(paymentRequired({ level: 4, status: 1, totalVnd: 200_000 })).toBe(true);
    expect(paymentRequired({ level: 4, status: 1, totalVnd: 0 })).toBe(false);
    expect(paymentRequired({ level: 3, status: 1, totalVnd: 50_000 })).toBe(false);
    expect(paymentRequired({ level: 3, status: 6, totalVnd: 50_000 })).toBe(true);
  });
});
