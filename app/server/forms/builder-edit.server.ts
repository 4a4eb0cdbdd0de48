import * as z from "zod";
import {
  addField,
  addSection,
  CONDITION_OPS,
  draftFields,
  fieldAt,
  fieldPathText,
  fieldTypes,
  parseFieldPath,
  parseRuleJson,
  perUnitFeeRule,
  prefillSources,
  removeField,
  removeSection,
  renameField,
  replaceField,
  ruleOf,
  moveField,
  moveSection,
  setExits,
  setFee,
  subFields,
  updateSection,
  type DraftDefinition,
  type DraftField,
  type FieldPath,
  type Message,
  type PropDescriptor,
} from "../../core/forms/builder";
import type { Rule } from "../../core/forms/rules";
import { discardFormDraft, openFormBuilder, publishFormDraft, saveFormDraft, startFormDraft, type FormManager } from "./form-drafts.server";
import type { BuilderProblem } from "../../core/forms/builder";

/**
 * The form builder's posts (issue 16), between its route and the store: every edit is a plain form
 * post with an `intent` button (so the builder works without JavaScript), parsed here with the
 * schemas below, applied to the draft by core/forms/builder.ts and saved with its event. A post that
 * cannot be read comes back with its errors and what was typed, and changes nothing.
 */

/** Each input's error: an i18n key, or a message with its parameters (what the rule checker found). */
export type EditErrors = Record<string, string | Message>;

/** What a refused post answers: each input's error and what was typed, or the problems that stop publishing. */
export type BuilderAnswer = { errors: EditErrors; values: Record<string, string | string[]> | null; problems: BuilderProblem[] | null };

export type EditOutcome =
  | { kind: "not_found" }
  /** Saved; `view` is the builder's page to go back to (its query string). */
  | { kind: "saved"; view: string }
  | { kind: "invalid"; errors: EditErrors; values: Record<string, string | string[]> }
  /** Someone else saved the draft in between: nothing was written. */
  | { kind: "stale" }
  | { kind: "problems"; problems: BuilderProblem[] }
  | { kind: "published"; version: number }
  /** The draft is thrown away; the published form (if any) is as it was. */
  | { kind: "discarded" };

const VersionSchema = z
  .string()
  .regex(/^\d{1,15}$/)
  .transform(Number);

/** The intent buttons: what to do, and on which section, field (a path) or option. */
const IntentSchema = z
  .string()
  .regex(/^[a-z-]{2,20}(?::\d{1,3}(?:\.\d{1,3}){0,2})?(?::\d{1,3})?$/)
  .transform((text) => {
    const [action = "", target, index] = text.split(":");
    return { action, target: target ?? "", index: index === undefined ? undefined : Number(index) };
  });

/** What was posted, as text (a repeated name keeps each value): echoed back to the form when it is refused. */
function postedValues(form: FormData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string" || name.length > 60) continue;
    const text = value.slice(0, 5000);
    const had = out[name];
    out[name] = had === undefined ? text : Array.isArray(had) ? [...had, text].slice(0, 50) : [had, text];
  }
  return out;
}
const one = (values: Record<string, string | string[]>, name: string): string => {
  const v = values[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};
const all = (values: Record<string, string | string[]>, name: string): string[] => {
  const v = values[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

const ViSchema = (max: number) => z.string().trim().min(1, "form_admin.errors.vi_required").max(max, "form_admin.errors.too_long");
const EnSchema = (max: number) => z.string().trim().max(max, "form_admin.errors.too_long");
const text = (vi: string, en: string) => (en ? { vi, en } : { vi });

export const SectionFormSchema = z.object({ title_vi: ViSchema(200), title_en: EnSchema(200) });

export const FieldFormSchema = z.object({
  name: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_]{0,47}$/, "form_admin.errors.name_format"),
  type: z.string().refine((t) => fieldTypes().some((x) => x.type === t), "form_admin.errors.type"),
  label_vi: ViSchema(500),
  label_en: EnSchema(500),
  hint_vi: z.string().trim().max(1000, "form_admin.errors.too_long"),
  hint_en: EnSchema(1000),
  required: z.enum(["yes", "no", "when"], { error: "form_admin.errors.required_mode" }),
  prefill: z.string().refine((p) => p === "" || prefillSources().includes(p), "form_admin.errors.prefill"),
});

export const OptionRowSchema = z.object({
  value: z.string().regex(/^[a-z0-9_-]{1,40}$/, "form_admin.errors.option_value"),
  vi: ViSchema(300),
  en: EnSchema(300),
});

export const ExitFormSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, "form_admin.errors.exit_id"),
  message_vi: ViSchema(2000),
  message_en: EnSchema(2000),
});

export const FeeFormSchema = z.discriminatedUnion("fee_mode", [
  z.object({ fee_mode: z.literal("none") }),
  z.object({
    fee_mode: z.literal("per_unit"),
    fee_field: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, "form_admin.errors.fee_field"),
    fee_unit: z.coerce.number({ error: "form_admin.errors.number" }).int("form_admin.errors.number").min(0, "form_admin.errors.number").max(100_000_000),
    fee_from: z.coerce.number({ error: "form_admin.errors.number" }).int("form_admin.errors.number").min(1, "form_admin.errors.number").max(1000),
  }),
  z.object({ fee_mode: z.literal("json"), fee_json: z.string() }),
]);

/** The first message per input of a failed parse, keyed by the input's name (which is also its id). */
function errorsOf(error: z.ZodError, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = `${prefix}${String(issue.path[0] ?? "_form")}`;
    out[key] ??= issue.message;
  }
  return out;
}

/** The type a rule's value is compared as, for a field of the draft ("checkbox-single": one box). */
function typeForRule(draft: DraftDefinition, name: string): string | undefined {
  const found = draftFields(draft).find((f) => f.field.name === name)?.field;
  if (!found) return undefined;
  return found.type === "checkbox" && !Array.isArray(found.options) ? "checkbox-single" : found.type;
}

/**
 * A rule editor's inputs (`<prefix>_mode`: none, simple or json): no rule, the simple condition
 * (field, operator, value) or a rule typed as JSON, checked by the rule checker.
 */
function ruleInput(
  draft: DraftDefinition,
  values: Record<string, string | string[]>,
  prefix: string,
): { ok: true; rule: Rule | undefined } | { ok: false; errors: EditErrors } {
  const mode = one(values, `${prefix}_mode`);
  if (mode === "" || mode === "none") return { ok: true, rule: undefined };
  if (mode === "json") {
    const parsed = parseRuleJson(one(values, `${prefix}_json`));
    return parsed.ok ? { ok: true, rule: parsed.rule } : { ok: false, errors: { [`${prefix}_json`]: parsed.error } };
  }
  if (mode !== "simple") return { ok: false, errors: { [`${prefix}_mode`]: "form_admin.errors.rule_mode" } };
  const field = one(values, `${prefix}_field`);
  const op = CONDITION_OPS.find((o) => o === one(values, `${prefix}_op`));
  const value = one(values, `${prefix}_value`);
  const errors: EditErrors = {};
  if (!/^[a-z][a-z0-9_]{0,47}$/.test(field)) errors[`${prefix}_field`] = "form_admin.errors.rule_field";
  if (!op) errors[`${prefix}_op`] = "form_admin.errors.rule_op";
  if (op && op !== "answered" && op !== "not_answered" && value.trim() === "") errors[`${prefix}_value`] = "form_admin.errors.rule_value";
  if (value.length > 200) errors[`${prefix}_value`] = "form_admin.errors.too_long";
  if (!op || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, rule: ruleOf({ field, op, value }, typeForRule(draft, field)) };
}

/** A type-specific property from its input; undefined when left blank. */
function propInput(p: PropDescriptor, values: Record<string, string | string[]>): { ok: true; value: unknown } | { ok: false; error: string } {
  const name = `prop_${p.key}`;
  switch (p.kind) {
    case "number": {
      const typed = one(values, name).trim().replace(",", ".");
      if (typed === "") return { ok: true, value: undefined };
      const n = Number(typed);
      if (!Number.isFinite(n) || (p.integer && !Number.isInteger(n)) || (p.min !== undefined && n < p.min) || (p.max !== undefined && n > p.max))
        return { ok: false, error: "form_admin.errors.number" };
      return { ok: true, value: n };
    }
    case "boolean":
      return { ok: true, value: one(values, name) === "on" };
    case "local": {
      const vi = one(values, `${name}_vi`).trim();
      const en = one(values, `${name}_en`).trim();
      if (vi.length > 500 || en.length > 500) return { ok: false, error: "form_admin.errors.too_long" };
      return { ok: true, value: vi === "" ? undefined : text(vi, en) };
    }
    case "text": {
      const typed = one(values, name).trim();
      return typed.length > 200 ? { ok: false, error: "form_admin.errors.too_long" } : { ok: true, value: typed === "" ? undefined : typed };
    }
    case "choices": {
      const picked = all(values, name).filter((v) => p.choices.includes(v));
      return { ok: true, value: picked.length > 0 ? picked : undefined };
    }
    default:
      return { ok: true, value: undefined };
  }
}

/** The option rows of a choice field's editor (`option_<i>_value|vi|en`, `option_count` of them); blank rows are dropped. */
function optionRows(values: Record<string, string | string[]>, current: unknown): { ok: true; options: unknown[] } | { ok: false; errors: EditErrors } {
  const count = Math.min(Number(one(values, "option_count")) || 0, 100);
  const before: unknown[] = Array.isArray(current) ? current : [];
  const options: unknown[] = [];
  const errors: EditErrors = {};
  for (let i = 0; i < count; i += 1) {
    const row = { value: one(values, `option_${i}_value`).trim(), vi: one(values, `option_${i}_vi`), en: one(values, `option_${i}_en`) };
    if (row.value === "" && row.vi.trim() === "" && row.en.trim() === "") continue;
    const parsed = OptionRowSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors[`option_${i}_${String(issue.path[0])}`] ??= issue.message;
      continue;
    }
    // What the builder does not edit (an option's delivery mode) stays with the option.
    const kept: unknown = before[i];
    options.push({
      ...(kept !== null && typeof kept === "object" ? kept : {}),
      value: parsed.data.value,
      label: text(parsed.data.vi, parsed.data.en),
    });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, options };
}

/** The field editor's post as the field it describes (its group's fields kept), or the errors of each input. */
function fieldInput(
  draft: DraftDefinition,
  path: FieldPath,
  values: Record<string, string | string[]>,
): { ok: true; field: DraftField } | { ok: false; errors: EditErrors } {
  const current = fieldAt(draft, path);
  if (!current) return { ok: false, errors: { _form: "form_admin.errors.bad_request" } };
  const parsed = FieldFormSchema.safeParse({
    name: one(values, "name"),
    type: one(values, "type"),
    label_vi: one(values, "label_vi"),
    label_en: one(values, "label_en"),
    hint_vi: one(values, "hint_vi"),
    hint_en: one(values, "hint_en"),
    required: one(values, "required"),
    prefill: one(values, "prefill"),
  });
  const errors: EditErrors = parsed.success ? {} : errorsOf(parsed.error);
  const visible = ruleInput(draft, values, "visible");
  if (!visible.ok) Object.assign(errors, visible.errors);
  const when = one(values, "required") === "when";
  const requiredWhen = ruleInput(draft, values, "requiredif");
  if (when && !requiredWhen.ok) Object.assign(errors, requiredWhen.errors);
  else if (when && requiredWhen.ok && requiredWhen.rule === undefined) errors.requiredif_mode = "form_admin.errors.rule_needed";
  const info = fieldTypes().find((t) => t.type === one(values, "type"));
  const props: Record<string, unknown> = {};
  for (const p of info?.props ?? []) {
    if (p.kind === "options") {
      const rows = optionRows(values, current.type === info?.type ? current.options : undefined);
      if (rows.ok) props.options = rows.options;
      else Object.assign(errors, rows.errors);
    } else if (p.kind === "fields") props.fields = subFields(current);
    else {
      const got = propInput(p, values);
      if (!got.ok) errors[`prop_${p.key}`] = got.error;
      else if (got.value !== undefined) props[p.key] = got.value;
    }
  }
  if (!parsed.success || Object.keys(errors).length > 0 || !visible.ok) return { ok: false, errors };
  const d = parsed.data;
  const field: DraftField = {
    type: d.type,
    name: d.name,
    label: text(d.label_vi, d.label_en),
    ...(d.hint_vi ? { hint: text(d.hint_vi, d.hint_en) } : {}),
    required: d.required === "yes",
    ...(visible.rule !== undefined ? { visibleIf: visible.rule } : {}),
    ...(when && requiredWhen.ok && requiredWhen.rule !== undefined ? { requiredIf: requiredWhen.rule } : {}),
    ...(d.prefill ? { prefill: d.prefill } : {}),
    ...props,
  };
  return { ok: true, field };
}

type Applied = { ok: true; draft: DraftDefinition; view: string } | { ok: false; errors: EditErrors };
const refused: Applied = { ok: false, errors: { _form: "form_admin.errors.bad_request" } };

/** One post's change to the draft (everything but start and publish). */
function applyEdit(draft: DraftDefinition, intent: { action: string; target: string; index?: number }, values: Record<string, string | string[]>): Applied {
  const section = /^\d{1,3}$/.test(intent.target) ? Number(intent.target) : -1;
  const path = parseFieldPath(intent.target);
  const done = (next: DraftDefinition | null, view = ""): Applied => (next ? { ok: true, draft: next, view } : refused);
  switch (intent.action) {
    case "section-add": {
      const parsed = SectionFormSchema.safeParse({ title_vi: one(values, "title_vi"), title_en: one(values, "title_en") });
      if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
      return done(addSection(draft, text(parsed.data.title_vi, parsed.data.title_en)), `section=${draft.sections.length}`);
    }
    case "section-save": {
      const parsed = SectionFormSchema.safeParse({ title_vi: one(values, "title_vi"), title_en: one(values, "title_en") });
      const rule = ruleInput(draft, values, "visible");
      const errors = { ...(parsed.success ? {} : errorsOf(parsed.error)), ...(rule.ok ? {} : rule.errors) };
      if (!parsed.success || !rule.ok) return { ok: false, errors };
      return done(updateSection(draft, section, { title: text(parsed.data.title_vi, parsed.data.title_en), visibleIf: rule.rule }), `section=${section}`);
    }
    case "section-up":
    case "section-down":
      return done(moveSection(draft, section, intent.action === "section-up" ? -1 : 1));
    case "section-remove":
      return done(removeSection(draft, section));
    case "field-add": {
      const added = addField(draft, { section }, one(values, `new_type_${section}`));
      return added
        ? { ok: true, draft: added.draft, view: `field=${fieldPathText(added.path)}` }
        : { ok: false, errors: { [`new_type_${section}`]: "form_admin.errors.type" } };
    }
    case "field-up":
    case "field-down":
      return path ? done(moveField(draft, path, intent.action === "field-up" ? -1 : 1)) : refused;
    case "field-remove":
      return path ? done(removeField(draft, path)) : refused;
    case "field-save":
    case "option-add":
    case "option-remove":
    case "sub-add":
    case "sub-up":
    case "sub-down":
    case "sub-remove": {
      if (!path) return refused;
      // A new name is given to every rule reading the field too; a name already used is refused.
      const renamed = renameField(draft, path, one(values, "name").trim());
      const edited = fieldInput(renamed.ok ? renamed.draft : draft, path, values);
      if (!edited.ok || !renamed.ok) {
        const errors = edited.ok ? {} : edited.errors;
        return { ok: false, errors: renamed.ok ? errors : { ...errors, name: errors.name ?? renamed.error } };
      }
      let next = replaceField(renamed.draft, path, edited.field);
      if (!next) return refused;
      const view = `field=${fieldPathText(path)}`;
      const field = fieldAt(next, path);
      if (intent.action === "option-add" && field) {
        next = replaceField(next, path, { ...field, options: [...(Array.isArray(field.options) ? field.options : []), { value: "", label: { vi: "" } }] });
      } else if (intent.action === "option-remove" && field && Array.isArray(field.options) && intent.index !== undefined) {
        next = replaceField(next, path, { ...field, options: field.options.filter((_, i) => i !== intent.index) });
      } else if (intent.action === "sub-add" && path.sub === undefined) {
        const added = addField(next, { section: path.section, group: path.field }, one(values, "new_sub_type"));
        if (!added) return { ok: false, errors: { new_sub_type: "form_admin.errors.type" } };
        return { ok: true, draft: added.draft, view: `field=${fieldPathText(added.path)}` };
      } else if ((intent.action === "sub-up" || intent.action === "sub-down" || intent.action === "sub-remove") && intent.index !== undefined) {
        const sub = { ...path, sub: intent.index };
        next = intent.action === "sub-remove" ? removeField(next, sub) : moveField(next, sub, intent.action === "sub-up" ? -1 : 1);
      }
      return done(next, view);
    }
    case "fee-save": {
      const parsed = FeeFormSchema.safeParse({
        fee_mode: one(values, "fee_mode"),
        fee_field: one(values, "fee_field"),
        fee_unit: one(values, "fee_unit").replace(/[.\s]/g, ""),
        fee_from: one(values, "fee_from"),
        fee_json: one(values, "fee_json"),
      });
      if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error) };
      const fee = parsed.data;
      if (fee.fee_mode === "none") return done(setFee(draft, undefined), "");
      if (fee.fee_mode === "per_unit") return done(setFee(draft, perUnitFeeRule({ field: fee.fee_field, unitVnd: fee.fee_unit, fromUnit: fee.fee_from })));
      const rule = parseRuleJson(fee.fee_json);
      return rule.ok ? done(setFee(draft, rule.rule)) : { ok: false, errors: { fee_json: rule.error } };
    }
    case "exit-add": {
      const exits = draft.exits ?? [];
      const id = `exit-${exits.length + 1}`;
      return done(setExits(draft, [...exits, { id, when: false, message: { vi: "" } }]), `exit=${exits.length}`);
    }
    case "exit-save": {
      const exits = [...(draft.exits ?? [])];
      if (!exits[section]) return refused;
      const parsed = ExitFormSchema.safeParse({ id: one(values, "id"), message_vi: one(values, "message_vi"), message_en: one(values, "message_en") });
      const rule = ruleInput(draft, values, "when");
      const errors = { ...(parsed.success ? {} : errorsOf(parsed.error)), ...(rule.ok ? {} : rule.errors) };
      if (rule.ok && rule.rule === undefined) errors.when_mode = "form_admin.errors.rule_needed";
      if (!parsed.success || !rule.ok || rule.rule === undefined) return { ok: false, errors };
      exits[section] = { id: parsed.data.id, when: rule.rule, message: text(parsed.data.message_vi, parsed.data.message_en) };
      return done(setExits(draft, exits), `exit=${section}`);
    }
    case "exit-remove":
      return draft.exits?.[section]
        ? done(
            setExits(
              draft,
              draft.exits.filter((_, i) => i !== section),
            ),
          )
        : refused;
    default:
      return refused;
  }
}

/** The builder page's post: start the draft, change it, or publish it. */
export async function editFormDraft(input: { manager: FormManager; code: string; form: FormData; now?: Date }): Promise<EditOutcome> {
  const values = postedValues(input.form);
  const intent = IntentSchema.safeParse(one(values, "intent"));
  if (!intent.success) return { kind: "invalid", errors: { _form: "form_admin.errors.bad_request" }, values };
  const { manager, code } = input;
  if (intent.data.action === "start") {
    const started = await startFormDraft({ manager, code, now: input.now });
    return started.ok ? { kind: "saved", view: "" } : { kind: "not_found" };
  }
  const builder = await openFormBuilder({ agencyPath: manager.agencyPath, code });
  if (!builder) return { kind: "not_found" };
  const version = VersionSchema.safeParse(one(values, "updatedAt"));
  if (!version.success) return { kind: "invalid", errors: { _form: "form_admin.errors.bad_request" }, values };
  // Published or discarded by someone since the page was made: like a save over theirs, refused.
  if (!builder.draft) return { kind: "stale" };
  if (version.data !== builder.draft.updatedAt.getTime()) return { kind: "stale" };
  if (intent.data.action === "publish") {
    const published = await publishFormDraft({ manager, code, expectedUpdatedAt: version.data, now: input.now });
    if (published.ok) return { kind: "published", version: published.version };
    if (published.error === "problems") return { kind: "problems", problems: published.problems };
    return published.error === "stale" ? { kind: "stale" } : { kind: "not_found" };
  }
  if (intent.data.action === "discard") {
    const discarded = await discardFormDraft({ manager, code, expectedUpdatedAt: version.data, now: input.now });
    if (discarded.ok) return { kind: "discarded" };
    return discarded.error === "stale" ? { kind: "stale" } : { kind: "not_found" };
  }
  const applied = applyEdit(builder.draft.definition, intent.data, values);
  if (!applied.ok) return { kind: "invalid", errors: applied.errors, values };
  const saved = await saveFormDraft({ manager, code, definition: applied.draft, expectedUpdatedAt: version.data, now: input.now });
  if (!saved.ok) return saved.error === "stale" ? { kind: "stale" } : { kind: "not_found" };
  return { kind: "saved", view: applied.view };
}
