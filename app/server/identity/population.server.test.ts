import { describe, expect, it } from "vitest";
import { population } from "../../simulators/vneid/population";
import { childrenOf, populationRecord } from "./population.server";

describe("the population database port", () => {
  const parent = population().residents.find((r) => population().residents.some((c) => c.fatherCccd === r.cccd || c.motherCccd === r.cccd));
  if (!parent) throw new Error("the simulated population has no parent");

  it("finds a resident by number, with the address as one line", () => {
    const found = populationRecord(parent.cccd);
    expect(found).toMatchObject({ cccd: parent.cccd, fullName: parent.fullName, birthDate: parent.birthDate, address: parent.address.text });
    expect(populationRecord("000000000000")).toBeNull();
  });

  it("lists exactly the children whose record names the parent, eldest first", () => {
    const expected = population()
      .residents.filter((r) => r.fatherCccd === parent.cccd || r.motherCccd === parent.cccd)
      .map((r) => r.cccd);
    const children = childrenOf(parent.cccd);
    expect(children.map((c) => c.cccd).sort()).toEqual([...expected].sort());
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((c) => c.householdId === parent.householdId)).toBe(true);
    const dates = children.map((c) => c.birthDate);
    expect(dates).toEqual([...dates].sort());
    // A child is nobody's parent here: no grandchildren in the simulated households.
    expect(childrenOf(children[0]?.cccd ?? "")).toEqual([]);
  });
});
