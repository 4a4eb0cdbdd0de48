import type { Field, FormDefinition } from "./definition";
import { allFields } from "./fields";
import { ruleFields, ruleHolds, type Rule } from "./rules";
import { PROCEDURE_FEE_VAR } from "../payments/fees";

/**
 * The checks a form must pass before it is published, beyond its shape (definition.ts): each problem
 * says where and what, in words the agency administrator who wrote the form can act on.
 * - a rule names a field the form does not have, a file field (files are not answers), the field
 *   itself or a field after it — rules read only what was answered before, which is also why a form
 *   cannot contain a cycle of rules;
 * - a required field that no answers can ever show (its rules, or its section's, are false for every
 *   combination of the choices they read);
 * - a choice field without options.
 * Each finding is an i18n key (form_admin.checks.*) with its parameters, placed on the field, section,
 * fee or exit it is about, so the builder shows it in the administrator's language and links to it.
 */
export type CheckPlace =
  { kind: "field"; name: string; group?: string } | { kind: "section"; index: number; title: string } | { kind: "fee" } | { kind: "exit"; id: string };

export const CHECK_FINDINGS = [
  "unknown_field",
  "row_field",
  "own_field",
  "later_field",
  "file_field",
  "no_options",
  "rule_in_group",
  "prefill_in_group",
  "never_shown",
] as const;
export type CheckFinding = (typeof CHECK_FINDINGS)[number];

/** Where (and in which of its rules: shown when, required when), what (an i18n key's last part) and its parameters. */
export type DefinitionProblem = { place: CheckPlace; rule?: "shown" | "required"; finding: CheckFinding; params: Record<string, string> };

/** At most this many combinations of answers are tried to decide whether a field can ever be shown. */
const MAX_COMBINATIONS = 4096;

export function checkDefinition(def: FormDefinition): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const fields = allFields(def);
  const byName = new Map(fields.map((f) => [f.name, f]));
  const position = new Map(fields.map((f, i) => [f.name, i]));
  // A row's field, by name, with its group: a rule cannot name it (which row would it read?).
  const inGroup = new Map(fields.flatMap((f) => (f.type === "group" ? f.fields.map((item) => [item.name, f.name] as const) : [])));
  let index = 0;

  type Where = { place: CheckPlace; rule?: "shown" | "required" };
  const checkRule = (rule: Rule | undefined, where: Where, before: number, self?: string, also: readonly string[] = []) => {
    if (rule === undefined) return;
    const found = (finding: CheckFinding, params: Record<string, string>) => problems.push({ ...where, finding, params });
    for (const name of ruleFields(rule)) {
      if (also.includes(name)) continue;
      const field = byName.get(name);
      const at = position.get(name);
      const group = inGroup.get(name);
      if (group) found("row_field", { name, group });
      else if (!field || at === undefined) found("unknown_field", { name });
      else if (name === self) found("own_field", { name });
      else if (at >= before) found("later_field", { name });
      else if (field.type === "file") found("file_field", { name });
    }
  };

  def.sections.forEach((section, s) => {
    checkRule(section.visibleIf, { place: { kind: "section", index: s, title: section.title.vi }, rule: "shown" }, index);
    for (const field of section.fields) {
      const place: CheckPlace = { kind: "field", name: field.name };
      checkRule(field.visibleIf, { place, rule: "shown" }, index, field.name);
      checkRule(field.requiredIf, { place, rule: "required" }, index, field.name);
      if ((field.type === "select" || field.type === "radio" || field.type === "checkbox") && field.options?.length === 0)
        problems.push({ place, finding: "no_options", params: {} });
      if (field.type === "group")
        for (const item of field.fields) {
          const itemPlace: CheckPlace = { kind: "field", name: item.name, group: field.name };
          if (item.visibleIf !== undefined || item.requiredIf !== undefined) problems.push({ place: itemPlace, finding: "rule_in_group", params: {} });
          if (item.prefill !== undefined) problems.push({ place: itemPlace, finding: "prefill_in_group", params: {} });
          if ((item.type === "select" || item.type === "radio" || item.type === "checkbox") && item.options?.length === 0)
            problems.push({ place: itemPlace, finding: "no_options", params: {} });
        }
      const required = field.required || field.requiredIf !== undefined;
      if (required && (section.visibleIf !== undefined || field.visibleIf !== undefined)) {
        const rules = [section.visibleIf, field.visibleIf].filter((r): r is Rule => r !== undefined);
        if (canHold(rules, byName) === false) problems.push({ place, finding: "never_shown", params: {} });
      }
      index += 1;
    }
  });
  // The fee reads any answer (it is computed once the form is complete) and the procedure's fee.
  checkRule(def.fee, { place: { kind: "fee" } }, fields.length, undefined, [PROCEDURE_FEE_VAR]);
  for (const exit of def.exits ?? []) checkRule(exit.when, { place: { kind: "exit", id: exit.id } }, fields.length);
  return problems;
}

/** The answers a choice field can have (null: not answered, or hidden); undefined when there are too many to try. */
function domainOf(field: Field): unknown[] | undefined {
  if (field.type === "select" || field.type === "radio") return [null, ...field.options.map((o) => o.value)];
  if (field.type === "checkbox" && !field.options) return [false, true];
  if (field.type === "checkbox" && field.options && field.options.length <= 6) {
    const values = field.options.map((o) => o.value);
    return Array.from({ length: 2 ** values.length }, (_, mask) => values.filter((_, i) => mask & (1 << i)));
  }
  return undefined;
}

/**
 * Whether some answers make every rule hold: tried over every combination of the choices the rules
 * read. undefined when a rule reads a free answer (text, a number…) or the combinations are too many.
 */
function canHold(rules: Rule[], byName: ReadonlyMap<string, Field>): boolean | undefined {
  const names = [...new Set(rules.flatMap(ruleFields))];
  const domains: unknown[][] = [];
  let combinations = 1;
  for (const name of names) {
    const field = byName.get(name);
    // An unknown field is reported by itself; the rule is not judged further.
    const domain = field ? domainOf(field) : undefined;
    if (!domain) return undefined;
    domains.push(domain);
    combinations *= domain.length;
    if (combinations > MAX_COMBINATIONS) return undefined;
  }
  for (let n = 0; n < combinations; n += 1) {
    const answers: Record<string, unknown> = {};
    let rest = n;
    names.forEach((name, i) => {
      const domain = domains[i] ?? [null];
      answers[name] = domain[rest % domain.length];
      rest = Math.floor(rest / domain.length);
    });
    if (rules.every((rule) => ruleHolds(rule, answers))) return true;
  }
  return false;
}
