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
  it("fields.ts reaches no zod at run time, through any of its imports", () => {
    // Follows each import that is not `import type` to its file, and that file's, and so on.
    const seen = new Set<string>();
    const runtime: string[] = [];
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, "utf8");
      for (const m of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)";?$/gm)) {
        const [, typeOnly, spec = ""] = m;
        if (typeOnly) continue;
        runtime.push(spec);
        if (spec.startsWith(".")) visit(new URL(`${spec}.ts`, url));
      }
    };
    visit(new URL("./fields.ts", import.meta.url));
    expect(runtime.length).toBeGreaterThan(0); // it does use helpers: formatDate, localText
    expect(runtime.filter((spec) => !spec.startsWith("."))).toEqual([]);
  });
});
