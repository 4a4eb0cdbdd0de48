import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "../../locales/en/forms-admin.json";
import vi from "../../locales/vi/forms-admin.json";
import { CHECK_FINDINGS } from "../../app/core/forms/definition-check";
import { RULE_FINDINGS } from "../../app/core/forms/rules";

const text = (tree: unknown, key: string): string | undefined => {
  let node: unknown = tree;
  for (const part of key.split(".")) node = node !== null && typeof node === "object" ? Reflect.get(node, part) : undefined;
  return typeof node === "string" && node.trim() !== "" ? node : undefined;
};
const vars = (s: string | undefined) => [...(s ?? "").matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("the form builder's checker, translated", () => {
  it("has every finding of the definition checker and the rule checker, and every place, in both languages", () => {
    const keys = [
      ...CHECK_FINDINGS.map((f) => `form_admin.checks.${f}`),
      ...RULE_FINDINGS.map((f) => `form_admin.checks.rule.${f}`),
      ...["field", "field_in_group", "section", "exit", "fee", "form"].map((p) => `form_admin.checks.place.${p}`),
      "form_admin.checks.in.shown",
      "form_admin.checks.in.required",
    ];
    for (const key of keys) {
      expect(text(en, key), `en ${key}`).toBeDefined();
      expect(text(vi, key), `vi ${key}`).toBeDefined();
    }
  });

  it("has every schema message the builder names, with the same placeholders in both languages", () => {
    const source = readFileSync(path.resolve("app/core/forms/builder.ts"), "utf8");
    const used = new Set([...source.matchAll(/form_admin\.checks\.schema\.([a-z_]+)/g)].map((m) => m[1] ?? ""));
    // Keys made from an issue's kind (too_small_<what>) and from the definition's named checks.
    for (const what of ["array", "string", "number", "value"]) used.add(`too_small_${what}`).add(`too_big_${what}`);
    for (const check of ["rows", "duplicate_name", "reserved_name", "duplicate_exit"]) used.add(check);
    used.delete("too_small_");
    used.delete("too_big_");
    for (const key of used) {
      const full = `form_admin.checks.schema.${key}`;
      expect(text(en, full), `en ${full}`).toBeDefined();
      expect(vars(text(vi, full)), `placeholders of ${full}`).toEqual(vars(text(en, full)));
    }
  });
});
