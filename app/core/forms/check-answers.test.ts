import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FormErrorKey } from "./answers-schema";
import { checkAnswers } from "./check-answers";
import { FormDefinitionSchema } from "./definition";
import { postedAnswers } from "./fields";

const definition = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Người nộp" },
      fields: [
        { type: "text", name: "applicant_name", label: { vi: "Họ tên" }, maxLength: 10 },
        { type: "cccd", name: "cccd", label: { vi: "CCCD" } },
        { type: "checkbox", name: "channels", label: { vi: "Nhận tin" }, options: [{ value: "sms", label: { vi: "SMS" } }, { value: "email", label: { vi: "Email" } }] },
        { type: "checkbox", name: "declare", label: { vi: "Cam đoan" } },
        { type: "file", name: "scan", label: { vi: "Bản chụp" } },
      ],
    },
  ],
});

const post = (entries: [string, string][]) => {
  const form = new FormData();
  for (const [k, v] of entries) form.append(k, v);
  return form;
};

describe("the browser's check of a form (checkAnswers)", () => {
  it("takes the answers from the form data as the server does and finds the same problems", () => {
    const form = post([
      ["applicant_name", "Một cái tên quá dài"],
      ["cccd", "123"],
      ["channels", "fax"],
      ["intent", "continue"],
    ]);
    expect(checkAnswers({ definition, today: "2026-11-22", form })).toEqual({
      applicant_name: FormErrorKey.tooLong,
      cccd: FormErrorKey.cccd,
      channels: FormErrorKey.option,
      declare: FormErrorKey.mustTick,
    });
  });

  it("passes a valid post; attachments are left to the server", () => {
    const form = post([
      ["applicant_name", "Lê An"],
      ["cccd", "001099012345"],
      ["channels", "sms"],
      ["channels", "email"],
      ["declare", "on"],
    ]);
    expect(checkAnswers({ definition, today: "2026-11-22", form })).toEqual({});
  });

  it("answering a supplement request, takes only the requested fields and keeps the rest of the dossier", () => {
    const base = { applicant_name: "Lê An", cccd: "001099012345", channels: ["sms"], declare: "on" };
    // A field that was not requested is ignored even if sent; a requested one sent empty is emptied.
    const form = post([["applicant_name", "Một cái tên quá dài"]]);
    const only = { names: ["cccd"], base };
    expect(postedAnswers(definition, form, only)).toEqual({ ...base, cccd: "" });
    expect(checkAnswers({ definition, today: "2026-11-22", form, only })).toEqual({ cccd: FormErrorKey.required });
  });
});

describe("what the form page loads at first", () => {
  // The form page imports these helpers; zod must stay out of them so the schema library is
  // fetched only when the answers are checked (the page's JavaScript budget, tests/bench/js-size.js).
  it("fields.ts imports no runtime code but types", () => {
    const source = readFileSync(new URL("./fields.ts", import.meta.url), "utf8");
    const imports = [...source.matchAll(/^import\s+(type\s+)?.*$/gm)];
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.filter((m) => !m[1]).map((m) => m[0])).toEqual([]);
  });
});
