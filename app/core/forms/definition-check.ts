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
 */
export type DefinitionProblem = { where: string; message: string };

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

  const checkRule = (rule: Rule | undefined, where: string, before: number, self?: string, also: readonly string[] = []) => {
    if (rule === undefined) return;
    for (const name of ruleFields(rule)) {
      if (also.includes(name)) continue;
      const field = byName.get(name);
      const at = position.get(name);
      const group = inGroup.get(name);
      if (group)
        problems.push({
          where,
          message: `the rule names "${name}", a field of each row of the group "${group}": a rule may read the group ("${group}"), not one row's field`,
        });
      else if (!field || at === undefined) problems.push({ where, message: `the rule names "${name}", which is not a field of this form` });
      else if (name === self) problems.push({ where, message: `the rule names the field it belongs to ("${name}")` });
      else if (at >= before)
        problems.push({ where, message: `the rule names "${name}", which comes later in the form: a rule may only read fields before it` });
      else if (field.type === "file") problems.push({ where, message: `the rule names "${name}", a file field: rules read answers, not files` });
    }
  };

  def.sections.forEach((section, s) => {
    const sectionWhere = `section ${s + 1} (${section.title.vi})`;
    checkRule(section.visibleIf, `${sectionWhere}: shown when`, index);
    for (const field of section.fields) {
      const where = `field "${field.name}"`;
      checkRule(field.visibleIf, `${where}: shown when`, index, field.name);
      checkRule(field.requiredIf, `${where}: required when`, index, field.name);
      if ((field.type === "select" || field.type === "radio" || field.type === "checkbox") && field.options?.length === 0)
        problems.push({ where, message: "a choice without options" });
      if (field.type === "group")
        for (const item of field.fields) {
          const itemWhere = `field "${item.name}" of the group "${field.name}"`;
          if (item.visibleIf !== undefined || item.requiredIf !== undefined)
            problems.push({ where: itemWhere, message: "a rule on a field inside a repeating group: put the rule on the group itself" });
          if (item.prefill !== undefined) problems.push({ where: itemWhere, message: "prefill inside a repeating group: which row would it fill?" });
          if ((item.type === "select" || item.type === "radio" || item.type === "checkbox") && item.options?.length === 0)
            problems.push({ where: itemWhere, message: "a choice without options" });
        }
      const required = field.required || field.requiredIf !== undefined;
      if (required && (section.visibleIf !== undefined || field.visibleIf !== undefined)) {
        const rules = [section.visibleIf, field.visibleIf].filter((r): r is Rule => r !== undefined);
        if (canHold(rules, byName) === false)
          problems.push({ where, message: "a required field that no answers can ever show: its rules (or its section's) are never true" });
      }
      index += 1;
    }
  });
  // The fee reads any answer (it is computed once the form is complete) and the procedure's fee.
  checkRule(def.fee, "the fee", fields.length, undefined, [PROCEDURE_FEE_VAR]);
  for (const exit of def.exits ?? []) checkRule(exit.when, `exit "${exit.id}"`, fields.length);
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
