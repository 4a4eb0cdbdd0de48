import { describe, expect, it } from "vitest";
import { amountDue, dossierFee, feePlan, MAX_FEE_VND, paymentRequired, paymentStanding, POSTAGE_VND } from "./fees";
import type { Rule } from "../forms/rules";

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

describe("the fee a dossier is charged", () => {
  // Criminal-record certificate (Thông tư 244/2016/TT-BTC): the fee per request, and 5,000 ₫ for each copy from the third.
  const lltp: Rule = { "+": [{ var: "procedure_fee" }, { "*": [5000, { max: [0, { "-": [{ var: "copies" }, 2] }] }] }] };

  it("is the procedure's fee when the form has no fee rule", () => {
    expect(dossierFee({ procedureFeeVnd: 200_000, rule: undefined, answers: { copies: 7 } })).toEqual({ ok: true, feeVnd: 200_000 });
  });

  it("follows the answers and the procedure's fee through the form's rule", () => {
    const fee = (copies: number, procedureFeeVnd = 200_000) => dossierFee({ procedureFeeVnd, rule: lltp, answers: { copies } });
    expect(fee(1)).toEqual({ ok: true, feeVnd: 200_000 });
    expect(fee(2)).toEqual({ ok: true, feeVnd: 200_000 });
    expect(fee(3)).toEqual({ ok: true, feeVnd: 205_000 });
    expect(fee(10)).toEqual({ ok: true, feeVnd: 240_000 });
    // The administrator changes the procedure's fee: the rule follows.
    expect(fee(3, 250_000)).toEqual({ ok: true, feeVnd: 255_000 });
  });

  it("rounds to whole đồng and refuses a rule that gives no amount", () => {
    expect(dossierFee({ procedureFeeVnd: 0, rule: { "/": [10_000, 3] }, answers: {} })).toEqual({ ok: true, feeVnd: 3_333 });
    for (const rule of [{ "-": [0, 1] }, "200000", { var: "missing" }, { "/": [1, 0] }, { "*": [MAX_FEE_VND, 2] }, true] satisfies Rule[])
      expect(dossierFee({ procedureFeeVnd: 200_000, rule, answers: {} }), JSON.stringify(rule)).toEqual({ ok: false });
  });
});
