import { describe, expect, it } from "vitest";
import { evaluateRule, isRule, ruleFields, ruleHolds, ruleProblems } from "./rules";
import { english } from "../../../tests/fixtures/english-checks";

/** What the builder says of a value as a rule, in English. */
const said = (value: unknown) =>
  ruleProblems(value)
    .map((p) => english(`form_admin.checks.rule.${p.finding}`, p.params))
    .join("; ");

describe("form rules (JsonLogic)", () => {
  it("compares answers, combines conditions and computes values", () => {
    const answers = { father_known: "yes", age: 9, copies: 3, channels: ["sms", "email"] };
    expect(ruleHolds({ "==": [{ var: "father_known" }, "yes"] }, answers)).toBe(true);
    expect(ruleHolds({ "==": [{ var: "father_known" }, "no"] }, answers)).toBe(false);
    expect(ruleHolds({ and: [{ "<": [{ var: "age" }, 14] }, { "==": [{ var: "father_known" }, "yes"] }] }, answers)).toBe(true);
    expect(ruleHolds({ or: [{ ">=": [{ var: "age" }, 18] }, { "!": { var: "father_known" } }] }, answers)).toBe(false);
    expect(ruleHolds({ in: ["sms", { var: "channels" }] }, answers)).toBe(true);
    // The criminal-record certificate: 200,000 ₫ for the first copy, 5,000 ₫ for each further one.
    expect(evaluateRule({ "+": [200000, { "*": [5000, { "-": [{ var: "copies" }, 1] }] }] }, answers)).toBe(210000);
    expect(evaluateRule({ if: [{ ">": [{ var: "copies" }, 2] }, "many", "few"] }, answers)).toBe("many");
  });

  it("reads a field not answered as null, with a default when the rule gives one", () => {
    expect(ruleHolds({ "==": [{ var: "missing_field" }, null] }, {})).toBe(true);
    expect(evaluateRule({ "*": [{ var: ["copies", 1] }, 5000] }, {})).toBe(5000);
  });

  it("holds by JsonLogic's truthiness: false, null, 0, empty text and empty lists do not hold", () => {
    for (const value of [false, null, 0, "", []]) expect(ruleHolds({ var: "x" }, { x: value }), JSON.stringify(value)).toBe(false);
    for (const value of [true, 1, "0", "no", ["a"]]) expect(ruleHolds({ var: "x" }, { x: value }), JSON.stringify(value)).toBe(true);
  });

  it("lists the fields a rule reads", () => {
    expect(ruleFields({ and: [{ "==": [{ var: "a" }, 1] }, { or: [{ var: ["b", 0] }, { ">": [{ var: "a" }, { var: "c" }] }] }] })).toEqual(["a", "b", "c"]);
    expect(ruleFields(true)).toEqual([]);
  });

  it("accepts the operators of comparison, logic, arithmetic and membership", () => {
    expect(ruleProblems({ if: [{ in: [{ var: "a" }, ["x", "y"]] }, { max: [1, { "%": [{ var: "b" }, 3] }] }, null] })).toEqual([]);
    expect(isRule(true)).toBe(true);
  });

  it("refuses what could run code, read beyond the answers or take long, saying why", () => {
    const cases: [unknown, RegExp][] = [
      [{ method: [{ var: "name" }, "toUpperCase"] }, /unknown operator “method”/],
      [{ log: "x" }, /unknown operator “log”/],
      [{ map: [{ var: "rows" }, { var: "" }] }, /unknown operator “map”/],
      [{ "==": [1, 1], "!=": [1, 2] }, /exactly one operator/],
      [{}, /exactly one operator \(found —\)/],
      [{ var: "__proto__" }, /“var” names a field by its name/],
      [{ var: "parent.name" }, /“var” names a field by its name/],
      [{ var: ["a", 1, 2] }, /at most a default/],
      [{ "==": [{ var: "a" }, "x".repeat(201)] }, /longer than 200 characters/],
      [{ "+": [Number.POSITIVE_INFINITY, 1] }, /finite/],
      [(() => undefined)(), /not a rule/],
    ];
    for (const [rule, message] of cases) expect(said(rule), JSON.stringify(rule)).toMatch(message);
    let deep: unknown = true;
    for (let i = 0; i < 20; i += 1) deep = { "!": deep };
    expect(said(deep)).toMatch(/nested too deeply/);
    expect(said({ and: Array.from({ length: 250 }, () => true) })).toMatch(/too long/);
  });
});
