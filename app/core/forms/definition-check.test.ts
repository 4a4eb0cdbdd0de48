import { describe, expect, it } from "vitest";
import { FormDefinitionSchema, type FormDefinitionInput } from "./definition";
import { checkDefinition } from "./definition-check";
import { englishFinding } from "../../../tests/fixtures/english-checks";
import type { Rule } from "./rules";

const yesNo = [
  { value: "yes", label: { vi: "Có" } },
  { value: "no", label: { vi: "Không" } },
];
const form = (fields: unknown[], sectionRule?: unknown): FormDefinitionInput =>
  FormDefinitionSchema.parse({
    version: 1,
    sections: [
      {
        title: { vi: "Chung" },
        fields: [
          { type: "radio", name: "known", label: { vi: "Đã biết?" }, options: yesNo },
          { type: "file", name: "scan", label: { vi: "Bản quét" }, required: false },
        ],
      },
      { title: { vi: "Thêm" }, ...(sectionRule ? { visibleIf: sectionRule } : {}), fields },
    ],
  });
const messages = (input: FormDefinitionInput) => checkDefinition(FormDefinitionSchema.parse(input)).map(englishFinding);
const text = (name: string, extra: Record<string, unknown> = {}) => ({ type: "text", name, label: { vi: name }, ...extra });

describe("the definition checker", () => {
  it("passes a form whose rules read earlier choices and can be true", () => {
    expect(
      messages(
        form([text("name", { visibleIf: { "==": [{ var: "known" }, "yes"] } }), text("note", { required: false, requiredIf: { "!!": { var: "name" } } })]),
      ),
    ).toEqual([]);
  });

  it("refuses a rule naming a field the form does not have", () => {
    expect(messages(form([text("name", { visibleIf: { "==": [{ var: "knwon" }, "yes"] } })]))).toEqual([
      "Field “name” — shown when: the rule names “knwon”, which is not a field of this form",
    ]);
  });

  it("refuses a rule naming its own field or a later one — so rules cannot form a cycle", () => {
    expect(
      messages(
        form([
          text("a", { required: false, visibleIf: { "!!": { var: "b" } } }),
          text("b", { required: false, visibleIf: { "!!": { var: "a" } } }),
          text("c", { requiredIf: { "==": [{ var: "c" }, "x"] } }),
        ]),
      ),
    ).toEqual([
      "Field “a” — shown when: the rule names “b”, which comes later in the form: a rule may only read fields before it",
      "Field “c” — required when: the rule names the field it belongs to (“c”)",
    ]);
    // A section's rule may not read its own fields either.
    expect(messages(form([text("d", { required: false })], { "!!": { var: "d" } }))).toEqual([
      "Section 2 (Thêm) — shown when: the rule names “d”, which comes later in the form: a rule may only read fields before it",
    ]);
  });

  it("refuses a rule reading a file field", () => {
    expect(messages(form([text("e", { visibleIf: { "!!": { var: "scan" } } })]))).toEqual([
      "Field “e” — shown when: the rule names “scan”, a file field: rules read answers, not files",
    ]);
  });

  it("refuses a required field no answers can ever show, in its own rule or its section's", () => {
    const never = { "==": [{ var: "known" }, "maybe"] };
    expect(messages(form([text("f", { visibleIf: never })]))).toEqual([
      "Field “f” — a required field that no answers can ever show: its rules (or its section's) are never true",
    ]);
    expect(messages(form([text("g")], never))).toHaveLength(1);
    // Contradicting rules of the section and the field.
    expect(messages(form([text("h", { visibleIf: { "==": [{ var: "known" }, "no"] } })], { "==": [{ var: "known" }, "yes"] }))).toHaveLength(1);
    // Optional, it is only useless, not a trap for the citizen: allowed.
    expect(messages(form([text("i", { required: false, visibleIf: never })]))).toEqual([]);
    // A rule over a free answer cannot be decided by trying choices: not refused.
    expect(messages(form([text("j", { required: false }), text("k", { visibleIf: { "==": [{ var: "j" }, "x"] } })]))).toEqual([]);
  });

  it("lets the fee read every answer and the procedure's fee, nothing else", () => {
    const withFee = (fee: Rule) => ({ ...form([text("l", { required: false })]), fee });
    expect(messages(withFee({ "+": [{ var: "procedure_fee" }, { "*": [1000, { var: "l" }] }] }))).toEqual([]);
    expect(messages(withFee({ var: "copies" }))).toEqual(["The fee — the rule names “copies”, which is not a field of this form"]);
    expect(messages(withFee({ var: "scan" }))).toEqual(["The fee — the rule names “scan”, a file field: rules read answers, not files"]);
  });

  it("checks an exit's rule like the fee's", () => {
    const withExit = (when: Rule) => ({ ...form([text("m", { required: false })]), exits: [{ id: "x", when, message: { vi: "Đến trực tiếp" } }] });
    expect(messages(withExit({ "==": [{ var: "known" }, "no"] }))).toEqual([]);
    expect(messages(withExit({ "==": [{ var: "knwn" }, "no"] }))).toEqual(["Exit “x” — the rule names “knwn”, which is not a field of this form"]);
  });
});
