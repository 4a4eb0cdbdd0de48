import { describe, expect, it } from "vitest";
import { FormErrorKey } from "~/core/forms/answers-schema";
import { FormDefinitionSchema } from "~/core/forms/definition";
import { postedAnswers } from "~/core/forms/fields";
import { createAnswersControl, type AnswersControlInput } from "./answers-control";

/** The browser's check as the form page makes it (react-hook-form with the one schema), on one post. */
const checkAnswers = (input: Pick<AnswersControlInput, "definition" | "today" | "only"> & { form: FormData }) =>
  createAnswersControl({ ...input, shown: () => true, missingFile: () => null }).check(() => input.form);

const definition = FormDefinitionSchema.parse({
  version: 1,
  sections: [
    {
      title: { vi: "Người nộp" },
      fields: [
        { type: "text", name: "applicant_name", label: { vi: "Họ tên" }, maxLength: 10 },
        { type: "cccd", name: "cccd", label: { vi: "CCCD" } },
        {
          type: "checkbox",
          name: "channels",
          label: { vi: "Nhận tin" },
          options: [
            { value: "sms", label: { vi: "SMS" } },
            { value: "email", label: { vi: "Email" } },
          ],
        },
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

describe("the browser's check of a form (react-hook-form, answers-control)", () => {
  it("takes the answers from the form data as the server does and finds the same problems", async () => {
    const form = post([
      ["applicant_name", "Một cái tên quá dài"],
      ["cccd", "123"],
      ["channels", "fax"],
      ["intent", "continue"],
    ]);
    expect(await checkAnswers({ definition, today: "2026-11-22", form })).toEqual({
      applicant_name: FormErrorKey.tooLong,
      cccd: FormErrorKey.cccd,
      channels: FormErrorKey.option,
      declare: FormErrorKey.mustTick,
    });
  });

  it("passes a valid post; attachments are left to the server", async () => {
    const form = post([
      ["applicant_name", "Lê An"],
      ["cccd", "001099012345"],
      ["channels", "sms"],
      ["channels", "email"],
      ["declare", "on"],
    ]);
    expect(await checkAnswers({ definition, today: "2026-11-22", form })).toEqual({});
  });

  it("answering a supplement request, takes only the requested fields and keeps the rest of the dossier", async () => {
    const base = { applicant_name: "Lê An", cccd: "001099012345", channels: ["sms"], declare: "on" };
    // A field that was not requested is ignored even if sent; a requested one sent empty is emptied.
    const form = post([["applicant_name", "Một cái tên quá dài"]]);
    const only = { names: ["cccd"], base };
    expect(postedAnswers(definition, form, only)).toEqual({ ...base, cccd: "" });
    expect(await checkAnswers({ definition, today: "2026-11-22", form, only })).toEqual({ cccd: FormErrorKey.required });
  });
});
