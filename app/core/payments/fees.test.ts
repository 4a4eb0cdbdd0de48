import { describe, expect, it } from "vitest";
import { amountDue, feePlan, paymentRequired, paymentStanding, POSTAGE_VND } from "./fees";

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

describe("fee plan shown before submitting", () => {
  it("level 4: the fee, postage by post, the total, paid online after submission", () => {
    expect(feePlan({ feeVnd: 200_000, level: 4, deliveryMode: "post" })).toEqual({ feeVnd: 200_000, postageVnd: 25_000, totalVnd: 225_000, method: "online" });
    expect(feePlan({ feeVnd: 200_000, level: 4, deliveryMode: "online" })).toEqual({ feeVnd: 200_000, postageVnd: 0, totalVnd: 200_000, method: "online" });
    expect(feePlan({ feeVnd: 200_000, level: 4, deliveryMode: null })).toEqual({ feeVnd: 200_000, postageVnd: 0, totalVnd: 200_000, method: "online" });
  });
  it("levels 1–3 pay at the counter; nothing to pay is free, whatever the level", () => {
    expect(feePlan({ feeVnd: 15_000, level: 3, deliveryMode: "counter" })).toEqual({ feeVnd: 15_000, postageVnd: 0, totalVnd: 15_000, method: "counter" });
    expect(feePlan({ feeVnd: 30_000, level: 3, deliveryMode: "post" })).toEqual({ feeVnd: 30_000, postageVnd: 25_000, totalVnd: 55_000, method: "counter" });
    expect(feePlan({ feeVnd: 0, level: 3, deliveryMode: "counter" }).method).toBe("free");
    expect(feePlan({ feeVnd: 0, level: 4, deliveryMode: "online" }).method).toBe("free");
  });
  it("a free level-4 procedure by post still has its postage to pay online", () => {
    expect(feePlan({ feeVnd: 0, level: 4, deliveryMode: "post" })).toEqual({ feeVnd: 0, postageVnd: 25_000, totalVnd: 25_000, method: "online" });
  });
});

describe("payment standing on the receipt", () => {
  it("paid wins; otherwise free, online when required, else at the counter", () => {
    expect(paymentStanding({ totalVnd: 200_000, required: true, paid: true })).toBe("paid");
    expect(paymentStanding({ totalVnd: 200_000, required: true, paid: false })).toBe("online");
    expect(paymentStanding({ totalVnd: 15_000, required: false, paid: false })).toBe("counter");
    expect(paymentStanding({ totalVnd: 0, required: false, paid: false })).toBe("free");
  });
});
