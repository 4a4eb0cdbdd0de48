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
    expect(transition({ action: "refuse", from: STATUS.submitted, role: "officer", reason: "Thiếu giấy tờ" })).toMatchObject({
      ok: true,
      to: STATUS.notReceived,
    });
  });

  it("allows withdrawal from statuses 1–6 except 3, and nothing after a final status", () => {
    const allowed = ALL.filter((s) => transition({ action: "withdraw", from: s, role: "citizen" }).ok);
    expect(allowed).toEqual([1, 2, 4, 5, 6]);
  });

  it("accepts each action from exactly the statuses it lists", () => {
    for (const [name, rule] of Object.entries(TRANSITIONS)) {
      const action = name as TransitionName;
      const role = rule.by[0];
      const from = ALL.filter((s) => transition({ action, from: s, role, reason: "x", hasResult: true }).ok);
      expect(from, action).toEqual([...rule.from].sort((a, b) => a - b));
    }
  });

  it("refuses to start processing or issue a result while a required payment is unpaid", () => {
    expect(transition({ action: "startProcessing", from: STATUS.received, role: "officer", unpaid: true })).toEqual({ ok: false, error: "payment_required" });
    expect(transition({ action: "startProcessing", from: STATUS.received, role: "officer", unpaid: false })).toMatchObject({ ok: true, to: STATUS.processing });
    expect(transition({ action: "receive", from: STATUS.submitted, role: "officer", unpaid: true })).toMatchObject({ ok: true });
  });

  it("refuses to issue a result without the result itself (its signed document or its filled fields)", () => {
    expect(transition({ action: "issueResult", from: STATUS.processing, role: "officer" })).toEqual({ ok: false, error: "result_required" });
    expect(transition({ action: "issueResult", from: STATUS.processing, role: "officer", hasResult: false })).toEqual({ ok: false, error: "result_required" });
    expect(transition({ action: "issueResult", from: STATUS.processing, role: "officer", hasResult: true })).toEqual({
      ok: true,
      from: STATUS.processing,
      to: STATUS.resultReady,
    });
    // The status, the role and the payment are judged first: their message says more.
    expect(transition({ action: "issueResult", from: STATUS.received, role: "officer" })).toEqual({ ok: false, error: "not_allowed_from_status" });
    expect(transition({ action: "issueResult", from: STATUS.processing, role: "officer", unpaid: true })).toEqual({ ok: false, error: "payment_required" });
    // No other move asks for one.
    expect(transition({ action: "returnResult", from: STATUS.resultReady, role: "officer" })).toMatchObject({ ok: true });
  });

  it("names status codes and refuses unknown ones", () => {
    expect(statusName(9)).toBe("resultReady");
    expect(() => statusName(11)).toThrow(RangeError);
  });

  it("allows exactly these (action, role, from-status) moves and refuses every other combination", () => {
    // Written out by hand from the national portal's process, so a change to TRANSITIONS must change this too.
    const expected = [
      "submit citizen 0",
      "submit officer 0",
      "receive officer 1",
      "refuse officer 1",
      "startProcessing officer 2",
      "requestSupplement officer 2",
      "requestSupplement officer 4",
      "supplement citizen 5",
      "requestPayment officer 2",
      "requestPayment officer 4",
      "confirmPayment system 6",
      "withdraw citizen 1",
      "withdraw citizen 2",
      "withdraw citizen 4",
      "withdraw citizen 5",
      "withdraw citizen 6",
      "stop officer 2",
      "stop officer 4",
      "stop officer 5",
      "stop officer 6",
      "issueResult officer 4",
      "returnResult officer 9",
      "returnResult system 9",
    ].sort();
    const roles = ["citizen", "officer", "system"] as const;
    const allowed: string[] = [];
    const refusals = new Map<string, string>();
    for (const action of Object.keys(TRANSITIONS) as TransitionName[]) {
      for (const role of roles) {
        for (const from of ALL) {
          const r = transition({ action, from, role, reason: "lý do", hasResult: true });
          if (r.ok) allowed.push(`${action} ${role} ${from}`);
          else refusals.set(`${action} ${role} ${from}`, r.error);
        }
      }
    }
    expect(allowed.sort()).toEqual(expected);
    // The refusal says why: the role is checked before the status.
    expect(refusals.get("receive citizen 1")).toBe("not_allowed_for_role");
    expect(refusals.get("receive officer 2")).toBe("not_allowed_from_status");
    expect(refusals.get("issueResult officer 9")).toBe("not_allowed_from_status");
    expect(refusals.get("withdraw citizen 9")).toBe("not_allowed_from_status");
    expect(refusals.get("supplement officer 5")).toBe("not_allowed_for_role");
  });
});
