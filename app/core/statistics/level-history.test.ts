import { describe, expect, it } from "vitest";
import { LevelHistory, levelChangeOf } from "./level-history";

describe("levelChangeOf", () => {
  it("reads a derived change and an administrator's change of older logs", () => {
    expect(levelChangeOf("procedure_level_changed", { code: "x", from: 3, to: 2, serviceFrom: "partial", serviceTo: null })).toEqual({ from: 3, to: 2 });
    expect(levelChangeOf("procedure_updated", { code: "x", changes: { level: { from: 4, to: 3 }, feeVnd: { from: 0, to: 1 } } })).toEqual({ from: 4, to: 3 });
  });

  it("finds none in other events, in settings changes without a level, or in a change of class alone", () => {
    expect(levelChangeOf("procedure_updated", { code: "x", changes: { feeVnd: { from: 0, to: 1 } } })).toBeNull();
    expect(levelChangeOf("procedure_level_changed", { from: 4, to: 4, serviceFrom: "partial", serviceTo: "full" })).toBeNull();
    expect(levelChangeOf("submitted", { from: 1, to: 2 })).toBeNull();
    expect(levelChangeOf("procedure_updated", null)).toBeNull();
  });
});

describe("LevelHistory", () => {
  const current = new Map([
    [1, 3],
    [2, 4],
  ]);
  const history = new LevelHistory(
    (id) => current.get(id),
    [
      { procedureId: 1, day: "2026-05-10", from: 3, to: 2 },
      { procedureId: 1, day: "2026-05-20", from: 2, to: 3 },
    ],
  );

  it("gives the level each day had: before a change the old one, from its day on the new one", () => {
    expect(history.levelOn(1, "2026-05-01")).toBe(3);
    expect(history.levelOn(1, "2026-05-09")).toBe(3);
    expect(history.levelOn(1, "2026-05-10")).toBe(2);
    expect(history.levelOn(1, "2026-05-19")).toBe(2);
    expect(history.levelOn(1, "2026-05-20")).toBe(3);
    expect(history.levelOn(1, "2026-06-01")).toBe(3);
  });

  it("gives the current level to a procedure that never changed, and nothing to an unknown one", () => {
    expect(history.levelOn(2, "2020-01-01")).toBe(4);
    expect(history.levelOn(9, "2026-05-01")).toBeUndefined();
    expect(history.changedAfter(1, "2026-05-19")).toBe(true);
    expect(history.changedAfter(1, "2026-05-20")).toBe(false);
    expect(history.changedAfter(2, "2020-01-01")).toBe(false);
  });

  it("counts a day with two changes at the level it ended with", () => {
    const sameDay = new LevelHistory(
      () => 3,
      [
        { procedureId: 1, day: "2026-05-10", from: 3, to: 2 },
        { procedureId: 1, day: "2026-05-10", from: 2, to: 3 },
      ],
    );
    expect(sameDay.levelOn(1, "2026-05-09")).toBe(3);
    expect(sameDay.levelOn(1, "2026-05-10")).toBe(3);
  });
});
