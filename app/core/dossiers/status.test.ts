import { describe, expect, it } from "vitest";
import { STATUS, statusName, transition, TRANSITIONS, type TransitionName } from "./status";

const ALL = Object.values(STATUS);

describe("dossier state machine", () => {
  it("lets a citizen submit a draft, once", () => {
    expect(transition({ action: "submit", from: STATUS.draft, role: "citizen" })).toEqual({ ok: true, from: 0, to: 1 });
    expect(transition({ action: "submit", from: STATUS.submitted, role: "citizen" })).toEqual({ ok: false, error: "not_allowed_from_status" });
  });

  it("refuses officer actions from a citizen", () => {
    expect(transition({ action: "receive", from: STATUS.submitted, role: "citizen" })).toEqual({ ok: false, error: "not_allowed_for_role" });
  });

  it("requires a reason to refuse, request a supplement or stop", () => {
    expect(transition({ action: "refuse", from: STATUS.submitted, role: "officer", reason: "  " })).toEqual({ ok: false, error: "reason_required" });
    expect(transition({ action: "refuse", from: STATUS.submitted, role: "officer", reason: "Thiếu giấy tờ" })).toMatchObject({ ok: true, to: STATUS.notReceived });
  });

  it("allows withdrawal from statuses 1–6 except 3, and nothing after a final status", () => {
    const allowed = ALL.filter((s) => transition({ action: "withdraw", from: s, role: "citizen" }).ok);
    expect(allowed).toEqual([1, 2, 4, 5, 6]);
  });

  it("accepts each action from exactly the statuses it lists", () => {
    for (const [name, rule] of Object.entries(TRANSITIONS)) {
      const action = name as TransitionName;
      const role = rule.by[0];
      const from = ALL.filter((s) => transition({ action, from: s, role, reason: "x" }).ok);
      expect(from, action).toEqual([...rule.from].sort((a, b) => a - b));
    }
  });

  it("refuses to start processing or issue a result while a required payment is unpaid", () => {
    expect(transition({ action: "startProcessing", from: STATUS.received, role: "officer", unpaid: true })).toEqual({ ok: false, error: "payment_required" });
    expect(transition({ action: "startProcessing", from: STATUS.received, role: "officer", unpaid: false })).toMatchObject({ ok: true, to: STATUS.processing });
    expect(transition({ action: "receive", from: STATUS.submitted, role: "officer", unpaid: true })).toMatchObject({ ok: true });
  });

  it("names status codes and refuses unknown ones", () => {
    expect(statusName(9)).toBe("resultReady");
    expect(() => statusName(11)).toThrow(RangeError);
  });
});
