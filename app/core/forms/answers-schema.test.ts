import { describe, expect, it } from "vitest";
import { answersState, buildAnswersSchema, draftAnswers, fieldErrorParams, fieldErrors, FormErrorKey, missingAttachments } from "./answers-schema";
import { allFields, FormDefinitionSchema } from "./definition";
import { summaryLabels } from "./fields";

const definition = FormDefinitionSchema.parse({
  version: 2,
  sections: [
    {
      title: { vi: "Người nộp", en: "Applicant" },
      fields: [
        { type: "text", name: "applicant_name", label: { vi: "Họ tên" }, maxLength: 10, minLength: 2 },
        { type: "date", name: "dob", label: { vi: "Ngày sinh" }, max: "today", min: "1900-01-01" },
        { type: "cccd", name: "cccd", label: { vi: "CCCD" } },
        { type: "phone", name: "phone", label: { vi: "Điện thoại" } },
        { type: "email", name: "email", label: { vi: "Email" }, required: false },
        { type: "number", name: "copies", label: { vi: "Số bản" }, min: 1, max: 10 },
        {
          type: "select",
          name: "relation",
          label: { vi: "Quan hệ" },
          options: [
            { value: "cha", label: { vi: "Cha" } },
            { value: "me", label: { vi: "Mẹ" } },
          ],
        },
        {
          type: "radio",
          name: "sex",
          label: { vi: "Giới tính" },
          options: [
            { value: "nam", label: { vi: "Nam" } },
            { value: "nu", label: { vi: "Nữ" } },
          ],
        },
        {
          type: "checkbox",
          name: "channels",
          label: { vi: "Nhận tin" },
          required: false,
          options: [
            { value: "sms", label: { vi: "SMS" } },
            { value: "email", label: { vi: "Email" } },
          ],
        },
        { type: "checkbox", name: "declare", label: { vi: "Cam đoan" } },
        { type: "textarea", name: "note", label: { vi: "Ghi chú" }, required: false, maxLength: 20 },
        { type: "file", name: "scan", label: { vi: "Bản chụp" } },
      ],
    },
  ],
});

const schema = buildAnswersSchema(definition, "2026-11-22");
const valid = {
  applicant_name: "  Lê An ",
  dob: "2000-02-29",
  cccd: "001 099 012345",
  phone: "+84 912 345 678",
  email: "",
  copies: "3",
  relation: "me",
  sex: "nu",
  declare: "on",
  note: "",
};

describe("form definition → zod schema", () => {
  it("accepts valid answers and normalises them", () => {
    const parsed = schema.parse({ ...valid, channels: ["sms"], unknown_field: "dropped" });
    expect(parsed).toEqual({
      applicant_name: "Lê An",
      dob: "2000-02-29",
      cccd: "001099012345",
      phone: "0912345678",
      email: null,
      copies: 3,
      relation: "me",
      sex: "nu",
      channels: ["sms"],
      declare: true,
      note: null,
    });
  });

  it("reports each problem with its i18n key, on the right field", () => {
    const result = schema.safeParse({
      applicant_name: "A",
      dob: "2026-11-23",
      cccd: "003099012345",
      phone: "12345",
      email: "not-an-email",
      copies: "2.5",
      relation: "ong",
      declare: "",
      note: "x".repeat(21),
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(fieldErrors(result.error)).toEqual({
      applicant_name: FormErrorKey.tooShort,
      dob: FormErrorKey.dateMax,
      cccd: FormErrorKey.cccd,
      phone: FormErrorKey.phone,
      email: FormErrorKey.email,
      copies: FormErrorKey.integer,
      relation: FormErrorKey.option,
      sex: FormErrorKey.required,
      declare: FormErrorKey.mustTick,
      note: FormErrorKey.tooLong,
    });
  });

  it("treats blank and missing answers to required fields as required, and optional ones as null", () => {
    const result = schema.safeParse({ ...valid, applicant_name: "   ", relation: "" });
    expect(result.success).toBe(false);
    if (!result.success) expect(fieldErrors(result.error)).toMatchObject({ applicant_name: FormErrorKey.required, relation: FormErrorKey.required });
    expect(schema.parse({ ...valid, email: undefined }).email).toBeNull();
    const blanks = schema.safeParse({ ...valid, dob: "", cccd: "", phone: "", copies: "" });
    expect(blanks.success).toBe(false);
    if (!blanks.success)
      expect(fieldErrors(blanks.error)).toEqual({
        dob: FormErrorKey.required,
        cccd: FormErrorKey.required,
        phone: FormErrorKey.required,
        copies: FormErrorKey.required,
      });
  });

  it("checks dates are real, and bounds resolve 'today' from the date given", () => {
    const notADay = schema.safeParse({ ...valid, dob: "2001-02-29" });
    expect(notADay.success).toBe(false);
    if (!notADay.success) expect(fieldErrors(notADay.error)).toEqual({ dob: FormErrorKey.dateNotReal });
    expect(buildAnswersSchema(definition, "2030-01-01").safeParse({ ...valid, dob: "2026-11-23" }).success).toBe(true);
  });

  it("takes dates typed day/month/year and keeps them as ISO dates", () => {
    expect(schema.parse({ ...valid, dob: "29/02/2000" }).dob).toBe("2000-02-29");
    expect(schema.parse({ ...valid, dob: " 5/1/1990 " }).dob).toBe("1990-01-05");
    const errorsFor = (dob: string) => {
      const r = schema.safeParse({ ...valid, dob });
      return r.success ? {} : fieldErrors(r.error);
    };
    expect(errorsFor("31/02/2000")).toEqual({ dob: FormErrorKey.dateNotReal });
    expect(errorsFor("5/1/90")).toEqual({ dob: FormErrorKey.dateYear });
    expect(errorsFor("ngày 5")).toEqual({ dob: FormErrorKey.date });
    // The bounds apply to the date as read: the 23rd typed day-first is after "today" (22/11/2026).
    expect(errorsFor("23/11/2026")).toEqual({ dob: FormErrorKey.dateMax });
    expect(errorsFor("31/12/1899")).toEqual({ dob: FormErrorKey.dateMin });
  });

  it("fills a date bound into its message as the language writes dates", () => {
    const dob = allFields(definition).find((f) => f.name === "dob");
    if (!dob) throw new Error("no dob");
    expect(fieldErrorParams(dob, "2026-11-22", "vi")).toEqual({ min: "01/01/1900", max: "22/11/2026" });
    expect(fieldErrorParams(dob, "2026-11-22", "en")).toEqual({ min: "01/01/1900", max: "22/11/2026" });
  });

  it("reuses the schema built for the same definition and day, and builds anew when the day changes", () => {
    expect(buildAnswersSchema(definition, "2026-11-22")).toBe(schema);
    const tomorrow = buildAnswersSchema(definition, "2026-11-23");
    expect(tomorrow).not.toBe(schema);
    // The new day's bound is the one applied: a birth date of the 23rd is no longer in the future.
    expect(schema.safeParse({ ...valid, dob: "2026-11-23" }).success).toBe(false);
    expect(tomorrow.safeParse({ ...valid, dob: "2026-11-23" }).success).toBe(true);
  });

  it("refuses numbers out of range and options that do not exist in a multi-choice", () => {
    const r = schema.safeParse({ ...valid, copies: "11", channels: ["fax"] });
    expect(r.success).toBe(false);
    if (!r.success) expect(fieldErrors(r.error)).toMatchObject({ copies: FormErrorKey.numberMax, channels: FormErrorKey.option });
  });

  it("leaves files out of the answers and lists required files not yet attached", () => {
    const parsed = schema.safeParse({ ...valid, scan: "forged.pdf" });
    expect(parsed.success && Object.keys(parsed.data)).not.toContain("scan");
    const state = answersState(definition, valid, "2026-11-22");
    expect(missingAttachments(definition, new Set(), state)).toEqual(["scan"]);
    expect(missingAttachments(definition, new Set(["scan"]), state)).toEqual([]);
  });
});

describe("draft answers", () => {
  it("keeps what was typed for fields that exist, drops the rest (a newer form version)", () => {
    const kept = draftAnswers(definition, { applicant_name: "Lê", removed_in_v2: "gone", copies: 4, channels: ["sms", 5], scan: "x" });
    expect(kept).toEqual({ applicant_name: "Lê", copies: "4", channels: ["sms"] });
  });
});

describe("form definition schema", () => {
  it("refuses duplicate field names and non-snake_case names", () => {
    const field = { type: "text", name: "a", label: { vi: "A" } };
    expect(FormDefinitionSchema.safeParse({ version: 1, sections: [{ title: { vi: "S" }, fields: [field, field] }] }).success).toBe(false);
    expect(FormDefinitionSchema.safeParse({ version: 1, sections: [{ title: { vi: "S" }, fields: [{ ...field, name: "Bad-Name" }] }] }).success).toBe(false);
  });
});

describe("how the error summary names fields (summaryLabels)", () => {
  const twoPeople = FormDefinitionSchema.parse({
    version: 1,
    sections: [
      {
        title: { vi: "Người yêu cầu", en: "Applicant" },
        fields: [
          { type: "text", name: "applicant_name", label: { vi: "Họ và tên", en: "Full name" } },
          { type: "date", name: "applicant_dob", label: { vi: "Ngày sinh", en: "Date of birth" } },
        ],
      },
      {
        title: { vi: "Trẻ em", en: "Child" },
        fields: [
          { type: "text", name: "child_name", label: { vi: "Tên của trẻ", en: "Full name" } },
          { type: "date", name: "child_dob", label: { vi: "Ngày sinh", en: "Date of birth" } },
        ],
      },
      { title: { vi: "Cam đoan", en: "Declaration" }, fields: [{ type: "checkbox", name: "declare", label: { vi: "Tôi cam đoan.", en: "I declare." } }] },
    ],
  });
  it("puts the section's title before a label another field also carries, in each language", () => {
    expect(Object.fromEntries(summaryLabels(twoPeople, "vi"))).toEqual({
      applicant_name: "Họ và tên",
      applicant_dob: "Người yêu cầu — Ngày sinh",
      child_name: "Tên của trẻ",
      child_dob: "Trẻ em — Ngày sinh",
      declare: "Tôi cam đoan",
    });
    // In English both names read "Full name": both are named by section there.
    expect(Object.fromEntries(summaryLabels(twoPeople, "en"))).toEqual({
      applicant_name: "Applicant — Full name",
      applicant_dob: "Applicant — Date of birth",
      child_name: "Child — Full name",
      child_dob: "Child — Date of birth",
      declare: "I declare",
    });
  });
});
