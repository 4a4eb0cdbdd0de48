import { describe, expect, it } from "vitest";
import { answersState, buildAnswersSchema, fieldErrors, FormErrorKey, missingAttachments } from "./answers-schema";
import { FormDefinitionSchema } from "./definition";
import { formExit, formState, hasRules } from "./visibility";

const TODAY = "2026-12-07";
const fatherKnown = { "==": [{ var: "father_known" }, "yes"] };

// A birth registration: the father's details only when he is known, a guardian's consent (a file)
// only for a mother under 18, a note only when the father's name is given.
const definition = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Người mẹ" },
      fields: [
        { type: "text", name: "mother_name", label: { vi: "Họ tên mẹ" } },
        { type: "number", name: "mother_age", label: { vi: "Tuổi mẹ" }, min: 10, max: 80 },
        {
          type: "file",
          name: "guardian_consent",
          label: { vi: "Văn bản đồng ý của người giám hộ" },
          required: false,
          requiredIf: { "<": [{ var: "mother_age" }, 18] },
        },
        {
          type: "radio",
          name: "father_known",
          label: { vi: "Đã xác định cha?" },
          options: [
            { value: "yes", label: { vi: "Có" } },
            { value: "no", label: { vi: "Không" } },
          ],
        },
        { type: "text", name: "father_name", label: { vi: "Họ tên cha" }, visibleIf: fatherKnown },
        { type: "textarea", name: "father_note", label: { vi: "Ghi chú" }, required: false, visibleIf: { "==": [{ var: "father_name" }, "Nguyễn Văn A"] } },
      ],
    },
    {
      title: { vi: "Người cha" },
      visibleIf: fatherKnown,
      fields: [{ type: "date", name: "father_dob", label: { vi: "Ngày sinh của cha" }, max: "today" }],
    },
  ],
});
const schema = buildAnswersSchema(definition, TODAY);
const mother = { mother_name: "Trần Thị B", mother_age: "25" };

describe("fields shown and required by the answers", () => {
  it("hides the father's fields and section when he is not known: not required, and not kept if sent", () => {
    const parsed = schema.safeParse({ ...mother, father_known: "no", father_name: "Sent anyway", father_dob: "01/01/1990" });
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual({ mother_name: "Trần Thị B", mother_age: 25, father_known: "no" });
  });

  it("requires the father's name and date of birth once he is known, and keeps them typed", () => {
    const missing = schema.safeParse({ ...mother, father_known: "yes" });
    expect(missing.success).toBe(false);
    if (!missing.success) expect(fieldErrors(missing.error)).toEqual({ father_name: FormErrorKey.required, father_dob: FormErrorKey.required });
    const given = schema.safeParse({ ...mother, father_known: "yes", father_name: " Lê Văn C ", father_dob: "02/03/1990" });
    expect(given.success && given.data).toEqual({
      mother_name: "Trần Thị B",
      mother_age: 25,
      father_known: "yes",
      father_name: "Lê Văn C",
      father_dob: "1990-03-02",
    });
  });

  it("lets a hidden answer show nothing further: the note follows the father's name only while that is shown", () => {
    const shownNote = schema.safeParse({ ...mother, father_known: "yes", father_name: "Nguyễn Văn A", father_dob: "02/03/1990", father_note: "x" });
    expect(shownNote.success && shownNote.data.father_note).toBe("x");
    const hidden = schema.safeParse({ ...mother, father_known: "no", father_name: "Nguyễn Văn A", father_note: "x" });
    expect(hidden.success && hidden.data).toEqual({ mother_name: "Trần Thị B", mother_age: 25, father_known: "no" });
    expect([...formState(definition, { father_known: "no", father_name: "Nguyễn Văn A" }).hidden]).toEqual(["father_name", "father_note", "father_dob"]);
  });

  it("requires the guardian's consent file for a mother under 18 only, comparing the age as a number", () => {
    const files = (age: string) =>
      missingAttachments(definition, new Set(), answersState(definition, { ...mother, mother_age: age, father_known: "no" }, TODAY));
    expect(files("17")).toEqual(["guardian_consent"]);
    expect(files("18")).toEqual([]);
    // Read as the number field reads it: "17,0" is 17 (as raw text JavaScript would make it NaN, not under 18).
    expect(files("17,0")).toEqual(["guardian_consent"]);
    expect(files("79")).toEqual([]);
    // Not a valid age yet: the rule reads null, which JsonLogic compares as 0.
    expect(files("abc")).toEqual(["guardian_consent"]);
    expect(missingAttachments(definition, new Set(["guardian_consent"]), answersState(definition, { ...mother, mother_age: "16" }, TODAY))).toEqual([]);
  });

  it("knows a form without rules, whose schema stays the plain one", () => {
    expect(hasRules(definition)).toBe(true);
    const plain = FormDefinitionSchema.parse({ version: 1, sections: [{ title: { vi: "A" }, fields: [{ type: "text", name: "a", label: { vi: "A" } }] }] });
    expect(hasRules(plain)).toBe(false);
    expect(buildAnswersSchema(plain, TODAY).safeParse({ a: "x", b: "dropped" }).data).toEqual({ a: "x" });
  });

  it("refuses a definition whose rule is not a safe rule, with the reason", () => {
    const bad = FormDefinitionSchema.safeParse({
      version: 1,
      sections: [{ title: { vi: "A" }, fields: [{ type: "text", name: "a", label: { vi: "A" }, visibleIf: { method: ["x", "constructor"] } }] }],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/^unknown_operator .*"op":"method"/);
  });

  it("finds the first exit whose rule holds over the shown answers only", () => {
    const withExits = FormDefinitionSchema.parse({
      ...definition,
      exits: [
        { id: "too-young", when: { "<": [{ var: "mother_age" }, 16] }, message: { vi: "Đến trực tiếp" } },
        { id: "father-named", when: { "==": [{ var: "father_name" }, "X"] }, message: { vi: "Đến trực tiếp" } },
      ],
    });
    const exitFor = (answers: Record<string, unknown>) => formExit(withExits, answersState(withExits, answers, TODAY))?.id ?? null;
    expect(exitFor({ mother_age: "15" })).toBe("too-young");
    expect(exitFor({ mother_age: "30", father_known: "yes", father_name: "X" })).toBe("father-named");
    // The father's name is hidden when he is not known: it leads nowhere.
    expect(exitFor({ mother_age: "30", father_known: "no", father_name: "X" })).toBeNull();
    expect(() =>
      FormDefinitionSchema.parse({ ...withExits, exits: [...(withExits.exits ?? []), { id: "too-young", when: true, message: { vi: "A" } }] }),
    ).toThrow(/duplicate exit too-young/);
  });
});
