import { describe, expect, it } from "vitest";
import {
  addField,
  addSection,
  checkDraft,
  conditionOf,
  emptyDraft,
  fieldAt,
  fieldTypes,
  missingEnglish,
  moveField,
  moveSection,
  parseFieldPath,
  parseRuleJson,
  perUnitFeeOf,
  perUnitFeeRule,
  readDraft,
  removeField,
  renameField,
  renameInRule,
  replaceField,
  ruleOf,
  type DraftDefinition,
} from "./builder";
import { FieldSchema } from "./definition";
import { dossierFee } from "../payments/fees";
import { englishProblem } from "../../../tests/fixtures/english-checks";

const field = (name: string, extra: Record<string, unknown> = {}) => ({ type: "text", name, label: { vi: name, en: name }, ...extra });

describe("the form builder's model", () => {
  it("offers every field type of the definition schema, each with its own properties", () => {
    const types = fieldTypes().map((t) => t.type);
    expect(types).toEqual(FieldSchema.options.map((o) => o.shape.type.value));
    const file = fieldTypes().find((t) => t.type === "file");
    expect(file?.props.find((p) => p.key === "accept")).toMatchObject({ kind: "choices", choices: ["pdf", "jpeg", "png"] });
    expect(file?.props.find((p) => p.key === "maxSizeMb")).toMatchObject({ kind: "number", max: 10, default: 5 });
    const text = fieldTypes().find((t) => t.type === "text");
    expect(text?.props.map((p) => p.key)).toEqual(["minLength", "maxLength"]);
    expect(fieldTypes().find((t) => t.type === "radio")?.props).toEqual([{ key: "options", optional: false, kind: "options" }]);
  });

  it("offers the repeating group with its row limits, its row label in two languages and the types its rows may hold", () => {
    const group = fieldTypes().find((t) => t.type === "group");
    expect(group?.props.map((p) => [p.key, p.kind])).toEqual([
      ["rowLabel", "local"],
      ["minRows", "number"],
      ["maxRows", "number"],
      ["fields", "fields"],
    ]);
    expect(group?.subTypes).not.toContain("group");
    expect(group?.subTypes).not.toContain("file");
    let draft = addField(emptyDraft(), { section: 0 }, "group")?.draft ?? emptyDraft();
    expect(addField(draft, { section: 0, group: 0 }, "file")).toBeNull();
    const added = addField(draft, { section: 0, group: 0 }, "text");
    expect(added?.path).toEqual({ section: 0, field: 0, sub: 0 });
    draft = added?.draft ?? draft;
    draft = replaceField(draft, { section: 0, field: 0, sub: 0 }, field("Bad Name")) ?? draft;
    draft =
      replaceField(
        draft,
        { section: 0, field: 0 },
        { type: "group", name: "members", label: { vi: "Thành viên", en: "Members" }, rowLabel: { vi: "Thành viên" } },
      ) ?? draft;
    // The group kept its field when its own settings were saved.
    expect(fieldAt(draft, { section: 0, field: 0, sub: 0 })?.name).toBe("Bad Name");
    expect(missingEnglish(draft)).toEqual([{ what: "label", vi: "Thành viên", path: "0.0" }]);
    const checked = checkDraft(draft, 1);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problems).toEqual([expect.objectContaining({ path: "0.0.0", property: "name" })]);
  });

  it("reads anything stored as a draft, leaving out what it cannot read", () => {
    expect(readDraft(null)).toEqual({ sections: [] });
    expect(readDraft({ sections: [{ title: 5, fields: [{ name: "a", label: { vi: "A" }, options: [] }] }] })).toEqual({
      sections: [{ title: { vi: "" }, fields: [{ type: "text", name: "a", label: { vi: "A" }, options: [] }] }],
    });
  });

  it("adds, moves and removes sections and fields, a choice starting with two options", () => {
    let draft = addSection(emptyDraft(), { vi: "Con", en: "Child" });
    const added = addField(draft, { section: 1 }, "radio");
    expect(added).not.toBeNull();
    draft = added?.draft ?? draft;
    expect(added?.path).toEqual({ section: 1, field: 0 });
    expect(fieldAt(draft, { section: 1, field: 0 })).toMatchObject({ type: "radio", name: "radio_1", options: [{ value: "co" }, { value: "khong" }] });
    draft = addField(draft, { section: 1 }, "text")?.draft ?? draft;
    draft = moveField(draft, { section: 1, field: 1 }, -1) ?? draft;
    expect(draft.sections[1]?.fields.map((f) => f.name)).toEqual(["text_1", "radio_1"]);
    expect(moveField(draft, { section: 1, field: 0 }, -1)).toBeNull();
    draft = moveSection(draft, 1, -1) ?? draft;
    expect(draft.sections[0]?.title.vi).toBe("Con");
    draft = removeField(draft, { section: 0, field: 0 }) ?? draft;
    expect(draft.sections[0]?.fields.map((f) => f.name)).toEqual(["radio_1"]);
    expect(addField(draft, { section: 5 }, "text")).toBeNull();
    expect(addField(draft, { section: 0 }, "no-such-type")).toBeNull();
    draft = replaceField(draft, { section: 0, field: 0 }, field("copies", { type: "number" })) ?? draft;
    expect(fieldAt(draft, parseFieldPath("0.0") ?? { section: 9, field: 9 })?.name).toBe("copies");
  });

  it("reads a rule as a simple condition when it is one, and writes the condition back", () => {
    expect(conditionOf({ "!=": [{ var: "relationship_to_head" }, "chu_ho"] })).toEqual({ field: "relationship_to_head", op: "ne", value: "chu_ho" });
    expect(conditionOf({ in: [{ var: "housing_type" }, ["so_huu", "thue_muon"]] })).toEqual({
      field: "housing_type",
      op: "one_of",
      value: "so_huu, thue_muon",
    });
    expect(conditionOf({ and: [true, false] })).toBeNull();
    expect(ruleOf({ field: "age", op: "lt", value: "14" }, "number")).toEqual({ "<": [{ var: "age" }, 14] });
    expect(ruleOf({ field: "housing_type", op: "one_of", value: "so_huu, thue_muon" })).toEqual({ in: [{ var: "housing_type" }, ["so_huu", "thue_muon"]] });
    expect(ruleOf({ field: "agree", op: "eq", value: "true" }, "checkbox-single")).toEqual({ "==": [{ var: "agree" }, true] });
    for (const op of ["eq", "ne", "gt", "ge", "lt", "le", "one_of", "contains", "answered", "not_answered"] as const) {
      const condition = { field: "x", op, value: op === "answered" || op === "not_answered" ? "" : "a" };
      expect(conditionOf(ruleOf(condition)), op).toEqual(condition);
    }
    expect(parseRuleJson("{")).toEqual({ ok: false, error: "form_admin.errors.rule_json" });
    expect(parseRuleJson('{"method": ["x", "y"]}').ok).toBe(false);
    expect(parseRuleJson('{"==": [{"var": "a"}, 1]}')).toEqual({ ok: true, rule: { "==": [{ var: "a" }, 1] } });
  });

  it("writes the fee per unit as the seeded criminal-record fee is written, and it computes", () => {
    const seeded = { "+": [{ var: "procedure_fee" }, { "*": [5000, { max: [0, { "-": [{ var: "copies" }, 2] }] }] }] };
    expect(perUnitFeeOf(seeded)).toEqual({ field: "copies", unitVnd: 5000, fromUnit: 3 });
    const rule = perUnitFeeRule({ field: "copies", unitVnd: 5000, fromUnit: 3 });
    expect(rule).toEqual(seeded);
    expect(dossierFee({ procedureFeeVnd: 200_000, rule, answers: { copies: 4 } })).toEqual({ ok: true, feeVnd: 210_000 });
    expect(perUnitFeeOf({ "+": [1, 2] })).toBeNull();
  });

  it("lists the texts without English, with where to edit them", () => {
    const draft: DraftDefinition = {
      sections: [
        { title: { vi: "Người khai" }, fields: [{ type: "radio", name: "a", label: { vi: "Ai?" }, options: [{ value: "x", label: { vi: "X", en: "X" } }] }] },
      ],
      exits: [{ id: "out", when: true, message: { vi: "Đến quầy" } }],
    };
    expect(missingEnglish(draft)).toEqual([
      { what: "section", vi: "Người khai", section: 0 },
      { what: "label", vi: "Ai?", path: "0.0" },
      { what: "exit", vi: "Đến quầy" },
    ]);
  });

  it("refuses to publish a broken draft, each problem tied to its field", () => {
    const broken: DraftDefinition = {
      sections: [
        {
          title: { vi: "A" },
          fields: [{ type: "radio", name: "choice", label: { vi: "C" }, options: [] }, field("later_rule", { visibleIf: { "==": [{ var: "nowhere" }, 1] } })],
        },
      ],
    };
    const shape = checkDraft(broken, 1);
    expect(shape.ok).toBe(false);
    if (!shape.ok) {
      expect(shape.problems).toEqual([expect.objectContaining({ path: "0.0", property: "options" })]);
      // Said in the administrator's language, the field named: the schema's own English is not shown.
      expect(shape.problems.map(englishProblem)).toEqual(["Field “choice” — options: needs at least 2"]);
    }
    const badRule = checkDraft({ sections: [{ title: { vi: "A" }, fields: [field("a", { visibleIf: { method: [{ var: "a" }, "x"] } })] }] }, 1);
    if (!badRule.ok)
      expect(badRule.problems.map(englishProblem)).toEqual([
        expect.stringMatching(/^Field “a” — visibleIf: rule: unknown operator “method” \(allowed: var == /),
      ]);
    const twice = checkDraft({ sections: [{ title: { vi: "A" }, fields: [field("a"), field("a")] }] }, 1);
    if (!twice.ok) expect(twice.problems.map(englishProblem)).toEqual(["The form — another field is also named “a”: names are unique across the whole form"]);
    expect(twice.ok || badRule.ok).toBe(false);
    const unknown = checkDraft({ sections: [{ title: { vi: "A" }, fields: [field("a"), field("b", { visibleIf: { "==": [{ var: "nowhere" }, 1] } })] }] }, 1);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) {
      expect(unknown.problems).toEqual([expect.objectContaining({ path: "0.1", rule: "shown" })]);
      expect(unknown.problems.map(englishProblem)).toEqual(["Field “b” — shown when: the rule names “nowhere”, which is not a field of this form"]);
    }
    const never = checkDraft(
      {
        sections: [
          {
            title: { vi: "A" },
            fields: [
              { type: "checkbox", name: "agree", label: { vi: "Đồng ý" }, required: false },
              field("why", { visibleIf: { and: [{ "==": [{ var: "agree" }, true] }, { "==": [{ var: "agree" }, false] }] } }),
            ],
          },
        ],
      },
      1,
    );
    expect(never.ok).toBe(false);
    if (!never.ok) expect(never.problems[0]).toMatchObject({ path: "0.1", what: { key: "form_admin.checks.never_shown" } });
    const good = checkDraft({ sections: [{ title: { vi: "A" }, fields: [field("a")] }] }, 3);
    expect(good.ok && good.definition.version).toBe(3);
  });

  it("renames a field and every rule that reads it: conditions, a group's count, exits and the fee", () => {
    const choices = [
      { value: "co", label: { vi: "Có", en: "Yes" } },
      { value: "khong", label: { vi: "Không", en: "No" } },
    ];
    const draft = readDraft({
      sections: [
        {
          title: { vi: "A", en: "A" },
          fields: [
            field("copies", { type: "number", prefill: undefined }),
            field("known", { type: "radio", options: choices }),
            field("members", { type: "group", fields: [field("member_name")] }),
            field("father", { visibleIf: { "==": [{ var: "known" }, "co"] }, requiredIf: { "!!": { var: ["known", "x"] } }, prefill: "account.fullName" }),
          ],
        },
        {
          title: { vi: "B", en: "B" },
          visibleIf: { and: [{ ">": [{ count: { var: "members" } }, 1] }, { "==": [{ var: "known" }, "co"] }] },
          fields: [field("note", { required: false })],
        },
      ],
      exits: [{ id: "no", when: { "!": { var: "known" } }, message: { vi: "Không" } }],
      fee: { "+": [{ var: "procedure_fee" }, { "*": [{ var: "copies" }, { count: { var: "members" } }] }] },
    });
    const known = renameField(draft, { section: 0, field: 1 }, "has_father");
    expect(known.ok).toBe(true);
    if (!known.ok) return;
    const [first, second] = known.draft.sections;
    expect(first?.fields.map((f) => f.name)).toEqual(["copies", "has_father", "members", "father"]);
    expect(first?.fields[3]).toMatchObject({
      visibleIf: { "==": [{ var: "has_father" }, "co"] },
      requiredIf: { "!!": { var: ["has_father", "x"] } },
      prefill: "account.fullName",
    });
    expect(second?.visibleIf).toEqual({ and: [{ ">": [{ count: { var: "members" } }, 1] }, { "==": [{ var: "has_father" }, "co"] }] });
    expect(known.draft.exits?.[0]?.when).toEqual({ "!": { var: "has_father" } });
    // The draft renamed from is left as it was.
    expect(draft.sections[0]?.fields[1]?.name).toBe("known");

    const group = renameField(known.draft, { section: 0, field: 2 }, "founders");
    const copies = group.ok ? renameField(group.draft, { section: 0, field: 0 }, "so_ban") : group;
    if (!copies.ok) throw new Error("not renamed");
    expect(copies.draft.sections[1]?.visibleIf).toEqual({ and: [{ ">": [{ count: { var: "founders" } }, 1] }, { "==": [{ var: "has_father" }, "co"] }] });
    expect(copies.draft.fee).toEqual({ "+": [{ var: "procedure_fee" }, { "*": [{ var: "so_ban" }, { count: { var: "founders" } }] }] });
    expect(fieldAt(copies.draft, { section: 0, field: 2, sub: 0 })?.name).toBe("member_name");
    // A group's field is renamed in its group.
    const sub = renameField(copies.draft, { section: 0, field: 2, sub: 0 }, "founder_name");
    expect(sub.ok && fieldAt(sub.draft, { section: 0, field: 2, sub: 0 })?.name).toBe("founder_name");
    // The result still passes the checker: nothing reads a name that is gone.
    const checked = checkDraft(copies.draft, 1);
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  it("refuses a rename to a name another field has, a group's fields included", () => {
    const draft = readDraft({
      sections: [
        {
          title: { vi: "A" },
          fields: [field("a"), field("b", { visibleIf: { "!!": { var: "a" } } }), field("g", { type: "group", fields: [field("row_name")] })],
        },
      ],
    });
    expect(renameField(draft, { section: 0, field: 0 }, "b")).toEqual({ ok: false, error: "form_admin.errors.name_taken" });
    expect(renameField(draft, { section: 0, field: 0 }, "row_name")).toEqual({ ok: false, error: "form_admin.errors.name_taken" });
    expect(renameField(draft, { section: 0, field: 9 }, "z")).toEqual({ ok: false, error: "form_admin.errors.bad_request" });
    // Keeping its own name is no rename.
    expect(renameField(draft, { section: 0, field: 0 }, "a")).toEqual({ ok: true, draft });
  });

  it("renames only readings of the field: a text equal to its name, another field's name and a default stay", () => {
    expect(renameInRule({ in: ["a", { var: "a" }] }, "a", "z")).toEqual({ in: ["a", { var: "z" }] });
    expect(renameInRule({ "==": [{ var: "ab" }, { var: ["b", { var: "a" }] }] }, "a", "z")).toEqual({ "==": [{ var: "ab" }, { var: ["b", { var: "z" }] }] });
  });
});
