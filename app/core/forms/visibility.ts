import type { Field, FormDefinition } from "./definition";
import { ruleHolds } from "./rules";

/**
 * Which fields of a form are shown, and which of those are required, for the answers given so far.
 * Sections and fields are decided in the order of the form, each rule reading only the answers of
 * fields shown before it (the definition checker refuses a rule naming a later field, so there is no
 * cycle to resolve): an answer to a field that is hidden is as if it had never been given — it does
 * not show or require anything further, and it is not stored. No zod here: the browser uses this on
 * the form page's first load to show and hide fields (the same module decides on the server).
 */
export type FormState = {
  /** The shown fields, in the form's order, each with whether it is required now. */
  shown: { field: Field; required: boolean }[];
  /** Names of the fields hidden by their own rule or their section's. */
  hidden: Set<string>;
  /** The shown fields' answers as the rules read them (hidden ones absent). */
  answers: Record<string, unknown>;
};

/**
 * `parse` turns a raw answer into the value rules compare (the typed answer, or null when it is
 * blank or not valid yet); by default a raw answer is used as it is.
 */
export function formState(
  def: FormDefinition,
  answers: Readonly<Record<string, unknown>>,
  parse: (field: Field, raw: unknown) => unknown = (_field, raw) => raw,
): FormState {
  const seen: Record<string, unknown> = {};
  const shown: FormState["shown"] = [];
  const hidden = new Set<string>();
  for (const section of def.sections) {
    const sectionShown = !section.visibleIf || ruleHolds(section.visibleIf, seen);
    for (const field of section.fields) {
      if (!sectionShown || (field.visibleIf && !ruleHolds(field.visibleIf, seen))) {
        hidden.add(field.name);
        continue;
      }
      const required = field.requiredIf ? ruleHolds(field.requiredIf, seen) : field.required;
      shown.push({ field, required });
      if (field.type !== "file") seen[field.name] = parse(field, answers[field.name]) ?? null;
    }
  }
  return { shown, hidden, answers: seen };
}

/** The form's first exit (definition.ts `exits`) whose rule holds for the shown answers, or null. */
export function formExit(def: FormDefinition, state: FormState): NonNullable<FormDefinition["exits"]>[number] | null {
  return def.exits?.find((exit) => ruleHolds(exit.when, state.answers)) ?? null;
}

/** Whether any section or field of the form has a rule: forms without one skip the work. */
export function hasRules(def: FormDefinition): boolean {
  return def.sections.some((s) => s.visibleIf !== undefined || s.fields.some((f) => f.visibleIf !== undefined || f.requiredIf !== undefined));
}

/** A FormState as data a page can carry (loader data, props): the hidden names, and each shown field's requiredness. */
export type FormStateView = { hidden: string[]; required: Record<string, boolean> };
export function stateView(state: FormState): FormStateView {
  return { hidden: [...state.hidden], required: Object.fromEntries(state.shown.map((s) => [s.field.name, s.required])) };
}
