import { describe, expect, it } from "vitest";
import { confirmPath, moveOfSlug, OfficerTransitionSchema } from "./officer-actions";
import { IRREVERSIBLE, isTransitionName, TRANSITIONS } from "./status";

const post = (action: string, extra: Record<string, unknown> = {}) =>
  OfficerTransitionSchema.safeParse({ intent: "transition", action, version: "2", reason: "Lý do", ...extra });

describe("officer moves: irreversible ones are confirmed first", () => {
  it("are the refusal, the stop, the result and its hand-over", () => {
    expect([...IRREVERSIBLE].sort()).toEqual(["issueResult", "refuse", "returnResult", "stop"]);
  });

  it("refuses an irreversible move posted without its confirmation, and takes it with", () => {
    for (const action of IRREVERSIBLE) {
      const skipped = post(action);
      expect(skipped.success, action).toBe(false);
      if (!skipped.success) expect(skipped.error.issues[0]).toMatchObject({ path: ["confirmed"], message: "officer.errors.confirm_required" });
      expect(post(action, { confirmed: "on" }).success, action).toBe(false);
      expect(post(action, { confirmed: "yes" }).success, action).toBe(true);
    }
  });

  it("needs no confirmation for the moves that can be followed by another (receive, start, ask)", () => {
    const reversible = Object.keys(TRANSITIONS)
      .filter(isTransitionName)
      .filter((name) => !IRREVERSIBLE.has(name));
    expect(reversible.length).toBeGreaterThan(4);
    for (const action of reversible) expect(post(action).success, action).toBe(true);
    expect(post("fly").success).toBe(false);
  });

  it("gives each its own page under the dossier, and reads it back from the address", () => {
    expect(confirmPath("261205-J9827Z-A", "issueResult")).toBe("/officer/dossiers/261205-J9827Z-A/issue-result");
    expect(confirmPath("261205-J9827Z-A", "refuse")).toBe("/officer/dossiers/261205-J9827Z-A/refuse");
    expect(["refuse", "stop", "issue-result", "return-result"].map(moveOfSlug)).toEqual(["refuse", "stop", "issueResult", "returnResult"]);
    for (const slug of ["receive", "issueResult", "", undefined, "../x"]) expect(moveOfSlug(slug)).toBeNull();
  });
});
