import { describe, expect, it } from "vitest";
import {
  buildIssueResultSchema,
  DEFAULT_RESULT_FIELDS,
  fileFacts,
  issueResultErrors,
  issueResultInput,
  resultFieldsOf,
  ResultFieldsSchema,
  resultValueText,
} from "./result-fields";

const TODAY = "2026-12-05";
const BIRTH = ResultFieldsSchema.parse([
  { name: "certificate_number", type: "text", maxLength: 20, label: { vi: "Số Giấy khai sinh", en: "Birth certificate number" } },
  { name: "register_book", type: "text", maxLength: 10, label: { vi: "Quyển số", en: "Register book number" } },
  { name: "record_type", type: "select", label: { vi: "Loại", en: "Type" }, options: [{ value: "so_1", label: { vi: "Số 1", en: "No. 1" } }] },
  { name: "months", type: "number", min: 1, max: 12, label: { vi: "Số tháng", en: "Months" } },
  { name: "notes", type: "textarea", maxLength: 50, required: false, label: { vi: "Ghi chú", en: "Notes" } },
]);
const schema = buildIssueResultSchema(BIRTH, TODAY);
const filled = { certificate_number: " 123/2026 ", register_book: "01", record_type: "so_1", months: "6", notes: "" };

describe("result fields, declared per procedure", () => {
  it("accept what a certificate or decision is made of, and nothing else", () => {
    expect(BIRTH.map((f) => f.name)).toEqual(["certificate_number", "register_book", "record_type", "months", "notes"]);
    const label = { vi: "Nhãn" };
    expect(ResultFieldsSchema.safeParse([{ name: "scan", type: "file", label }]).success).toBe(false);
    expect(ResultFieldsSchema.safeParse([{ name: "phone", type: "phone", label }]).success).toBe(false);
    expect(
      ResultFieldsSchema.safeParse([
        { name: "a", type: "text", label },
        { name: "a", type: "text", label },
      ]).success,
    ).toBe(false);
    expect(ResultFieldsSchema.safeParse([]).success).toBe(false);
    // The issue form's own inputs cannot be shadowed by a result field.
    for (const name of ["source", "confirmed", "version", "values", "result_file"])
      expect(ResultFieldsSchema.safeParse([{ name, type: "text", label }]).success, name).toBe(false);
    // Everything typed at full length must fit a plain form post.
    expect(ResultFieldsSchema.safeParse(Array.from({ length: 7 }, (_, i) => ({ name: `t${i}`, type: "textarea", maxLength: 1000, label }))).success).toBe(
      false,
    );
  });

  it("fall back to a document number and the decision text for a procedure without its own", () => {
    expect(resultFieldsOf(null)).toBe(DEFAULT_RESULT_FIELDS);
    expect(resultFieldsOf([{ name: "broken", type: "file", label: { vi: "x" } }])).toBe(DEFAULT_RESULT_FIELDS);
    expect(DEFAULT_RESULT_FIELDS.map((f) => [f.name, f.label.en])).toEqual([
      ["document_number", "Number of the result document"],
      ["result_text", "What was decided"],
    ]);
    expect(resultFieldsOf(BIRTH)).toEqual(BIRTH);
  });
});

describe("the issue-result schema, built from the declaration", () => {
  it("takes the filled fields, trimmed and typed, and drops what the declaration does not name", () => {
    const parsed = schema.parse({ source: "fields", version: "3", confirmed: "yes", values: { ...filled, forged: "x" } });
    expect(parsed).toEqual({
      source: "fields",
      version: 3,
      confirmed: "yes",
      values: { certificate_number: "123/2026", register_book: "01", record_type: "so_1", months: 6, notes: null },
    });
  });

  it("reports each field's problem by its input name, as i18n keys", () => {
    const result = schema.safeParse({
      source: "fields",
      version: "3",
      confirmed: "yes",
      values: { ...filled, certificate_number: "", register_book: "x".repeat(11), record_type: "so_9", months: "13" },
    });
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(issueResultErrors(result.error)).toEqual({
      "values.certificate_number": "form.errors.required",
      "values.register_book": "form.errors.too_long",
      "values.record_type": "form.errors.option",
      "values.months": "form.errors.number_max",
    });
  });

  it("refuses a post that skipped the confirmation page", () => {
    for (const confirmed of [undefined, "", "no", "on"]) {
      const result = schema.safeParse({ source: "fields", version: "3", confirmed, values: filled });
      expect(result.success).toBe(false);
      if (!result.success) expect(issueResultErrors(result.error)).toMatchObject({ confirmed: "officer.errors.confirm_required" });
    }
  });

  it("takes an uploaded document instead, which must be there and at most 10 MB", () => {
    const pdf = new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d])], "ket-qua-da-ky.pdf", { type: "application/pdf" });
    expect(schema.parse({ source: "upload", version: "3", confirmed: "yes", result_file: pdf })).toEqual({
      source: "upload",
      version: 3,
      confirmed: "yes",
      result_file: { name: "ket-qua-da-ky.pdf", size: 5 },
    });
    const none = schema.safeParse({ source: "upload", version: "3", confirmed: "yes" });
    expect(none.success ? {} : issueResultErrors(none.error)).toEqual({ result_file: "officer.errors.result_file_required" });
    const empty = schema.safeParse({ source: "upload", version: "3", confirmed: "yes", result_file: new File([], "") });
    expect(empty.success ? {} : issueResultErrors(empty.error)).toEqual({ result_file: "officer.errors.result_file_required" });
    const big = schema.safeParse({ source: "upload", version: "3", confirmed: "yes", result_file: { name: "a.pdf", size: 10 * 1024 * 1024 + 1 } });
    expect(big.success ? {} : issueResultErrors(big.error)).toEqual({ result_file: "form.errors.file_size" });
  });

  it("needs to know which of the two it is", () => {
    for (const source of [undefined, "", "email"]) {
      const result = schema.safeParse({ source, version: "3", confirmed: "yes", values: filled });
      expect(result.success ? {} : issueResultErrors(result.error)).toEqual({ source: "officer.errors.result_source_required" });
    }
  });

  it("reads a form post the way the inputs are named, on the server and in the browser", () => {
    const form = new FormData();
    for (const [k, v] of Object.entries({
      source: "fields",
      version: "4",
      confirmed: "yes",
      "values.certificate_number": "07",
      "values.register_book": "02",
      "values.record_type": "so_1",
      "values.months": "3",
    }))
      form.append(k, v);
    expect(schema.parse(issueResultInput(BIRTH, form))).toMatchObject({ version: 4, values: { certificate_number: "07", months: 3, notes: null } });
    // react-hook-form gives a FileList for a file input.
    const list = { length: 1, item: () => null, 0: { name: "a.pdf", size: 9 } };
    expect(fileFacts(list)).toEqual({ name: "a.pdf", size: 9 });
    expect(fileFacts({ length: 0, item: () => null })).toBeUndefined();
  });

  it("prints a select by its option label and a date as dd/mm/yyyy", () => {
    const select = BIRTH[2];
    if (select?.type !== "select") throw new Error("no select");
    expect(resultValueText(select, "so_1", "en")).toBe("No. 1");
    expect(resultValueText(select, "so_1", "vi")).toBe("Số 1");
    const [date] = ResultFieldsSchema.parse([{ name: "d", type: "date", label: { vi: "Ngày" } }]);
    if (!date) throw new Error("no date");
    expect(resultValueText(date, "2026-12-05", "vi")).toBe("05/12/2026");
    expect(resultValueText(date, null, "vi")).toBe("");
  });
});
