import { describe, expect, it } from "vitest";
import { createAnswersControl } from "~/components/answers-control";
import { buildAnswersSchema, fieldErrors, FormErrorKey } from "./answers-schema";
import { checkDefinition } from "./definition-check";
import { englishFinding } from "../../../tests/fixtures/english-checks";
import { FormDefinitionSchema } from "./definition";
import { draftAnswers, postedAnswers, rawAnswers, summaryLabels } from "./fields";
import { applyRowIntent, parseRowIntent, shownRows } from "./rows";
import { formState } from "./visibility";
import { dossierFee } from "../payments/fees";

const TODAY = "2026-12-07";

/** A household business's founders: a repeating group with its own checks, and a fee per founder past the first. */
const definition = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Hộ kinh doanh" },
      fields: [
        { type: "text", name: "business_name", label: { vi: "Tên hộ kinh doanh" } },
        {
          type: "group",
          name: "founders",
          label: { vi: "Thành viên hộ gia đình góp vốn" },
          rowLabel: { vi: "Thành viên" },
          minRows: 1,
          maxRows: 3,
          fields: [
            { type: "text", name: "founder_name", label: { vi: "Họ và tên" } },
            { type: "cccd", name: "founder_cccd", label: { vi: "Số định danh cá nhân" } },
            { type: "number", name: "founder_share", label: { vi: "Phần vốn góp (%)" }, min: 1, max: 100 },
          ],
        },
        { type: "file", name: "drawings", label: { vi: "Bản vẽ" }, maxFiles: 5 },
      ],
    },
  ],
  fee: { "+": [{ var: "procedure_fee" }, { "*": [10000, { "-": [{ count: { var: "founders" } }, 1] }] }] },
});

const post = (entries: [string, string][]) => {
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  return form;
};

const founder = (row: number, name: string, cccd = "001099012345", share = "50"): [string, string][] => [
  [`founders.${row}.founder_name`, name],
  [`founders.${row}.founder_cccd`, cccd],
  [`founders.${row}.founder_share`, share],
];

describe("repeating groups", () => {
  it("reads a group's rows from a post by its row count, the rows beyond the count and the group's maximum ignored", () => {
    const form = post([
      ["business_name", "Tạp hoá Lan"],
      ["founders.rows", "2"],
      ...founder(0, "Vũ Thị Lan"),
      ...founder(1, "Vũ Văn Nam"),
      ...founder(2, "Not counted"),
    ]);
    expect(rawAnswers(definition, form).founders).toEqual([
      { founder_name: "Vũ Thị Lan", founder_cccd: "001099012345", founder_share: "50" },
      { founder_name: "Vũ Văn Nam", founder_cccd: "001099012345", founder_share: "50" },
    ]);
    const forged = post([["founders.rows", "999"], ...founder(0, "A")]);
    expect(rawAnswers(definition, forged).founders).toHaveLength(3);
    // A post without the group's count (the group was not on the page) does not answer it; a count of 0 is no rows.
    expect(rawAnswers(definition, post([["business_name", "Lan"]]))).not.toHaveProperty("founders");
    expect(rawAnswers(definition, post([["founders.rows", "0"]])).founders).toEqual([]);
    // A row of empty boxes is still a row; a draft keeps only the group's own fields.
    expect(draftAnswers(definition, { founders: [{ founder_name: "A", other: "x" }, "not a row", {}] }).founders).toEqual([{ founder_name: "A" }, {}, {}]);
  });

  it("checks each row with its fields' schemas, keyed as the inputs are named, and the number of rows", () => {
    const schema = buildAnswersSchema(definition, TODAY);
    const good = schema.safeParse(
      postedAnswers(definition, post([["business_name", "Lan"], ["founders.rows", "2"], ...founder(0, "Lan"), ...founder(1, "Nam", "001099012345", "50")])),
    );
    expect(good.success && good.data.founders).toEqual([
      { founder_name: "Lan", founder_cccd: "001099012345", founder_share: 50 },
      { founder_name: "Nam", founder_cccd: "001099012345", founder_share: 50 },
    ]);
    const bad = schema.safeParse(
      postedAnswers(definition, post([["business_name", "Lan"], ["founders.rows", "2"], ...founder(0, "Lan"), ...founder(1, "", "123", "0")])),
    );
    expect(bad.success).toBe(false);
    if (!bad.success)
      expect(fieldErrors(bad.error)).toEqual({
        "founders.1.founder_name": FormErrorKey.required,
        "founders.1.founder_cccd": FormErrorKey.cccd,
        "founders.1.founder_share": FormErrorKey.numberMin,
      });
    const none = schema.safeParse(
      postedAnswers(
        definition,
        post([
          ["business_name", "Lan"],
          ["founders.rows", "0"],
        ]),
      ),
    );
    expect(none.success ? null : fieldErrors(none.error)).toEqual({ founders: FormErrorKey.required });
  });

  it("the browser's check (react-hook-form with the same schema) finds the same errors under the same names", async () => {
    const control = createAnswersControl({ definition, today: TODAY, shown: () => true, missingFile: () => null });
    const found = await control.check(() => post([["business_name", "Lan"], ["founders.rows", "2"], ...founder(0, "Lan"), ...founder(1, "", "123", "0")]));
    expect(found).toEqual({
      "founders.1.founder_name": FormErrorKey.required,
      "founders.1.founder_cccd": FormErrorKey.cccd,
      "founders.1.founder_share": FormErrorKey.numberMin,
    });
    expect(
      await control.check(() =>
        post([
          ["business_name", "Lan"],
          ["founders.rows", "0"],
        ]),
      ),
    ).toEqual({ founders: FormErrorKey.required });
  });

  it("adds and removes rows by the post's intent, within the group's bounds", () => {
    const values = draftAnswers(definition, { founders: [{ founder_name: "A" }, { founder_name: "B" }] });
    const add = parseRowIntent(definition, "add:founders");
    expect(add).toEqual({ kind: "add", group: "founders" });
    const added = add && applyRowIntent(definition, values, add, true);
    expect(added?.values.founders).toEqual([{ founder_name: "A" }, { founder_name: "B" }, {}]);
    expect(added?.row).toBe(2);
    // Full: nothing is added.
    expect(added && add && applyRowIntent(definition, added.values, add, true)).toBeNull();
    const remove = parseRowIntent(definition, "remove:founders:0");
    const removed = remove && applyRowIntent(definition, values, remove, true);
    expect(removed?.values.founders).toEqual([{ founder_name: "B" }]);
    for (const forged of ["add:business_name", "remove:founders", "add:nope", "remove:founders:x", "continue", 3])
      expect(parseRowIntent(definition, forged)).toBeNull();
    // Before anything is typed, a required group shows its fewest rows.
    expect(shownRows(definition, {}, "founders", true)).toEqual([{}]);
    expect(shownRows(definition, {}, "founders", false)).toEqual([]);
  });

  it("a fee rule and a visibility rule read the group's rows", () => {
    const answers = { business_name: "Lan", founders: [{}, {}, {}] };
    expect(dossierFee({ procedureFeeVnd: 100000, rule: definition.fee, answers })).toEqual({ ok: true, feeVnd: 120000 });
    const withRule = FormDefinitionSchema.parse({
      ...definition,
      sections: [
        ...definition.sections,
        {
          title: { vi: "Uỷ quyền" },
          visibleIf: { ">": [{ count: { var: "founders" } }, 1] },
          fields: [{ type: "text", name: "representative", label: { vi: "Người đại diện" } }],
        },
      ],
    });
    expect(formState(withRule, { founders: [{}] }).hidden.has("representative")).toBe(true);
    expect(formState(withRule, { founders: [{}, {}] }).hidden.has("representative")).toBe(false);
  });

  it("names a row's error by its row in the summary", () => {
    expect(summaryLabels(definition, "vi").get("founders.*.founder_name")).toBe("Họ và tên");
  });

  it("the checker refuses a rule that names one row's field, and rules or prefill inside a group", () => {
    const broken = FormDefinitionSchema.parse({
      version: 1,
      sections: [
        {
          title: { vi: "A" },
          fields: [
            {
              type: "group",
              name: "owners",
              label: { vi: "Chủ sở hữu" },
              fields: [
                { type: "text", name: "owner_name", label: { vi: "Tên" }, prefill: "account.fullName" },
                { type: "text", name: "owner_note", label: { vi: "Ghi chú" }, visibleIf: { "==": [{ var: "owner_name" }, "x"] } },
              ],
            },
            { type: "text", name: "after", label: { vi: "Sau" }, visibleIf: { "==": [{ var: "owner_name" }, "x"] } },
          ],
        },
      ],
    });
    const messages = checkDefinition(broken).map(englishFinding);
    expect(messages).toEqual([
      "Field “owner_name” of the group “owners” — prefill inside a repeating group: which row would it fill?",
      "Field “owner_note” of the group “owners” — a rule on a field inside a repeating group: put the rule on the group itself",
      "Field “after” — shown when: the rule names “owner_name”, a field of each row of the group “owners”: a rule may read the group (“owners”), not one row's field",
    ]);
    expect(() =>
      FormDefinitionSchema.parse({
        version: 1,
        sections: [
          { title: { vi: "A" }, fields: [{ type: "group", name: "g", label: { vi: "G" }, fields: [{ type: "file", name: "f", label: { vi: "F" } }] }] },
        ],
      }),
    ).toThrow();
    expect(() =>
      FormDefinitionSchema.parse({
        version: 1,
        sections: [
          {
            title: { vi: "A" },
            fields: [{ type: "group", name: "g", label: { vi: "G" }, minRows: 4, maxRows: 2, fields: [{ type: "text", name: "g", label: { vi: "F" } }] }],
          },
        ],
      }),
    ).toThrow();
  });
});
