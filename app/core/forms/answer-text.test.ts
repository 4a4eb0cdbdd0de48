import { describe, expect, it } from "vitest";
import { FormDefinitionSchema } from "./definition";
import { answerText, declaredAnswers } from "./answer-text";

const WORDS = { notGiven: "Không khai", yes: "Có", no: "Không" };

const definition = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Hộ kinh doanh", en: "Business" },
      fields: [
        { type: "text", name: "business_name", label: { vi: "Tên hộ kinh doanh", en: "Business name" } },
        { type: "date", name: "opened_on", label: { vi: "Ngày thành lập" }, required: false },
        { type: "number", name: "capital", label: { vi: "Vốn (triệu đồng)" } },
        {
          type: "radio",
          name: "owner_type",
          label: { vi: "Ai thành lập?" },
          options: [
            { value: "ca_nhan", label: { vi: "Cá nhân", en: "An individual" } },
            { value: "ho_gia_dinh", label: { vi: "Hộ gia đình", en: "A household" } },
          ],
        },
        {
          type: "group",
          name: "founders",
          label: { vi: "Thành viên góp vốn" },
          rowLabel: { vi: "Thành viên", en: "Member" },
          visibleIf: { "==": [{ var: "owner_type" }, "ho_gia_dinh"] },
          fields: [{ type: "text", name: "founder_name", label: { vi: "Họ và tên", en: "Full name" } }],
        },
        { type: "file", name: "proof", label: { vi: "Giấy tờ" }, accept: ["pdf"] },
      ],
    },
    { title: { vi: "Cam kết" }, fields: [{ type: "checkbox", name: "agree", label: { vi: "Tôi cam đoan" } }] },
  ],
});

describe("answers as a person reads them", () => {
  it("says an option by its label, a date and a number as the language writes them, nothing as 'not given'", () => {
    const [business] = definition.sections;
    const field = (name: string) => {
      const f = business?.fields.find((x) => x.name === name);
      if (!f || f.type === "group") throw new Error(name);
      return f;
    };
    expect(answerText(field("owner_type"), "ho_gia_dinh", "vi", WORDS)).toBe("Hộ gia đình");
    expect(answerText(field("owner_type"), "ho_gia_dinh", "en", WORDS)).toBe("A household");
    expect(answerText(field("opened_on"), "2024-03-05", "vi", WORDS)).toBe("05/03/2024");
    expect(answerText(field("capital"), 1500, "vi", WORDS)).toBe("1.500");
    expect(answerText(field("capital"), 1500, "en", WORDS)).toBe("1,500");
    expect(answerText(field("business_name"), "", "vi", WORDS)).toBe("Không khai");
    expect(answerText(field("business_name"), undefined, "vi", WORDS)).toBe("Không khai");
  });

  it("lists a dossier's answers section by section on its own form: rows of a group one by one, no files, nothing hidden", () => {
    const answers = {
      business_name: "Phở Hàng Bạc",
      capital: 200,
      owner_type: "ho_gia_dinh",
      founders: [{ founder_name: "An" }, { founder_name: "Bình" }],
      agree: true,
    };
    expect(declaredAnswers(definition, answers, [], "vi", WORDS)).toEqual([
      {
        title: "Hộ kinh doanh",
        rows: [
          { label: "Tên hộ kinh doanh", value: "Phở Hàng Bạc" },
          { label: "Ngày thành lập", value: "Không khai" },
          { label: "Vốn (triệu đồng)", value: "200" },
          { label: "Ai thành lập?", value: "Hộ gia đình" },
          { label: "Thành viên 1 — Họ và tên", value: "An" },
          { label: "Thành viên 2 — Họ và tên", value: "Bình" },
        ],
      },
      { title: "Cam kết", rows: [{ label: "Tôi cam đoan", value: "Có" }] },
    ]);
    // A field the answers hid was not asked: not listed, not even as "not given".
    const alone = declaredAnswers(definition, { ...answers, owner_type: "ca_nhan", founders: [] }, ["founders"], "en", WORDS);
    expect(alone[0]?.rows.map((r) => r.label)).toEqual(["Business name", "Ngày thành lập", "Vốn (triệu đồng)", "Ai thành lập?"]);
    // Shown but empty: said so.
    expect(declaredAnswers(definition, { owner_type: "ho_gia_dinh" }, [], "vi", WORDS)[0]?.rows).toContainEqual({
      label: "Thành viên góp vốn",
      value: "Không khai",
    });
  });

  it("marks the verified answers (their row's third cell), and only those", () => {
    const rows = declaredAnswers(definition, { business_name: "Phở Hàng Bạc", capital: 200 }, [], "vi", WORDS, {
      fields: ["business_name"],
      mark: "Đã xác thực",
    })[0]?.rows;
    expect(rows?.filter((r) => r.action)).toEqual([{ label: "Tên hộ kinh doanh", value: "Phở Hàng Bạc", action: "Đã xác thực" }]);
  });
});
