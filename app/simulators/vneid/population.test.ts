import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cccdMatches, centurySexDigit, generatePopulation, population, signInCandidates, WARDS } from "./population";

describe("the simulated population", () => {
  it("is the same for the same seed and differs for another", () => {
    const a = generatePopulation(7);
    const b = generatePopulation(7);
    const c = generatePopulation(8);
    expect(JSON.stringify(a.residents)).toBe(JSON.stringify(b.residents));
    expect(c.residents.map((r) => r.cccd)).not.toEqual(a.residents.map((r) => r.cccd));
  });

  it("has a few hundred residents with Vietnamese names", () => {
    const { residents } = population();
    expect(residents.length).toBeGreaterThanOrEqual(250);
    expect(residents.length).toBeLessThanOrEqual(600);
    // Diacritics are kept (not folded to ASCII).
    expect(residents.some((r) => /[ăâđêôơưàáảãạếềểễệ]/i.test(r.fullName))).toBe(true);
    for (const r of residents) expect(r.fullName.split(" ").length).toBeGreaterThanOrEqual(3);
  });

  it("gives every resident a unique CCCD of the right shape: province, century/sex digit, year", () => {
    const { residents } = population();
    const provinceCodes = new Set(WARDS.map((w) => w.provinceCccdCode));
    expect(new Set(residents.map((r) => r.cccd)).size).toBe(residents.length);
    for (const r of residents) {
      expect(r.cccd).toMatch(/^\d{12}$/);
      expect(provinceCodes.has(r.cccd.slice(0, 3))).toBe(true);
      expect(cccdMatches(r.cccd, r)).toBe(true);
    }
    // Both centuries and both sexes occur, so the fourth digit takes 0, 1, 2 and 3.
    expect(new Set(residents.map((r) => r.cccd[3]))).toEqual(new Set(["0", "1", "2", "3"]));
  });

  it("knows the century/sex digit and refuses a number that does not match the person", () => {
    expect(centurySexDigit("male", 1985)).toBe(0);
    expect(centurySexDigit("female", 1985)).toBe(1);
    expect(centurySexDigit("male", 2010)).toBe(2);
    expect(centurySexDigit("female", 2010)).toBe(3);
    expect(cccdMatches("001085000123", { sex: "male", birthDate: "1985-01-02" })).toBe(true);
    expect(cccdMatches("001185000123", { sex: "male", birthDate: "1985-01-02" })).toBe(false);
    expect(cccdMatches("001086000123", { sex: "male", birthDate: "1985-01-02" })).toBe(false);
    expect(cccdMatches("00108500012", { sex: "male", birthDate: "1985-01-02" })).toBe(false);
  });

  it("keeps households consistent: members share the address, children's parents live with them and are older", () => {
    const pop = population();
    expect(pop.households.length).toBe(120);
    for (const h of pop.households) {
      const members = h.members.map((c) => pop.byCccd.get(c));
      expect(members.every((m) => m !== undefined && m.householdId === h.id && m.address.ward === h.ward)).toBe(true);
      expect(members.filter((m) => m?.relationship === "head")).toHaveLength(1);
    }
    const children = pop.residents.filter((r) => r.relationship === "child");
    expect(children.length).toBeGreaterThan(50);
    for (const child of children) {
      const parents = [child.fatherCccd, child.motherCccd].filter((c) => c !== null).map((c) => pop.byCccd.get(c));
      expect(parents.length).toBeGreaterThan(0);
      for (const parent of parents) {
        expect(parent?.householdId).toBe(child.householdId);
        expect(Number(child.birthDate.slice(0, 4)) - Number(parent?.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(18);
      }
      if (child.fatherCccd) expect(pop.byCccd.get(child.fatherCccd)?.sex).toBe("male");
      if (child.motherCccd) expect(pop.byCccd.get(child.motherCccd)?.sex).toBe("female");
    }
  });

  it("places everyone in a ward of the seeded agencies tree", () => {
    const agencies = JSON.parse(readFileSync("db/seed-data/agencies.json", "utf8")) as { code: string; parent: string; kind: string }[];
    for (const w of WARDS) {
      const agency = agencies.find((a) => a.code === w.agencyCode);
      expect(agency?.kind).toBe("commune");
      expect(agency?.parent).toBe(w.provinceAgencyCode);
    }
    expect(new Set(population().residents.map((r) => r.address.ward.agencyCode)).size).toBe(WARDS.length);
  });

  it("lets only people aged 14 or more sign in, each with an e-mail when adult", () => {
    const candidates = signInCandidates();
    expect(candidates.length).toBeGreaterThan(200);
    for (const r of candidates) expect(2025 - Number(r.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(14);
  });
});
