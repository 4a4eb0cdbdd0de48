import * as z from "zod";
import { checkDefinition, type CheckPlace, type DefinitionProblem } from "./definition-check";
import { FormDefinitionSchema, type FormDefinition } from "./definition";
import { isRule, ruleProblems, type Rule } from "./rules";
import { PROCEDURE_FEE_VAR } from "../payments/fees";

/**
 * The form builder's model (issue 16): a draft of a form definition as an agency administrator edits
 * it, and the edits themselves. A draft may be incomplete or wrong — a field without options, a rule
 * naming a field not added yet — so it is read leniently (anything stored loads) and checked whole
 * only when it is published (`checkDraft`: the definition schema, then the definition checker).
 * Which field types exist and which properties each has are read from the definition schema itself,
 * so a type or property added there appears in the builder without a change here.
 */

const DraftTextSchema = z.object({ vi: z.string().max(5000).catch(""), en: z.string().max(5000).optional().catch(undefined) }).catch({ vi: "" });
export type DraftText = z.infer<typeof DraftTextSchema>;

export const DraftFieldSchema = z.looseObject({ type: z.string().catch("text"), name: z.string().catch(""), label: DraftTextSchema });
export type DraftField = z.infer<typeof DraftFieldSchema>;

const DraftSectionSchema = z.looseObject({ title: DraftTextSchema, fields: z.array(DraftFieldSchema).catch([]) });
export type DraftSection = z.infer<typeof DraftSectionSchema>;

const DraftExitSchema = z.looseObject({ id: z.string().catch(""), when: z.unknown(), message: DraftTextSchema });
export type DraftExit = z.infer<typeof DraftExitSchema>;

export const DraftDefinitionSchema = z
  .looseObject({
    sections: z.array(DraftSectionSchema).catch([]),
    exits: z.array(DraftExitSchema).optional().catch(undefined),
  })
  .catch({ sections: [] });
export type DraftDefinition = z.infer<typeof DraftDefinitionSchema>;

/** Any stored JSON as a draft (never throws: what cannot be read is left out). */
export function readDraft(value: unknown): DraftDefinition {
  return DraftDefinitionSchema.parse(value);
}

/** A new form: one section, no field yet. */
export function emptyDraft(): DraftDefinition {
  return { sections: [{ title: { vi: "Thông tin chung", en: "General information" }, fields: [] }] };
}

/** A published definition as a draft to edit (its version is given again when it is published). */
export function draftFrom(def: FormDefinition): DraftDefinition {
  const { version: _version, ...rest } = def;
  return readDraft(structuredClone(rest));
}

// ——— What the schema offers ————————————————————————————————————————————————————————————————

/** Properties every field has, edited by the builder's common controls. */
export const COMMON_KEYS = ["type", "name", "label", "hint", "required", "visibleIf", "requiredIf", "prefill"] as const;

/** A type-specific property of a field, as the editor shows it (derived from the definition schema). */
export type PropDescriptor = { key: string; optional: boolean; default?: string | number | boolean | string[] } & (
  | { kind: "number"; integer: boolean; min?: number; max?: number }
  | { kind: "boolean" }
  | { kind: "text" }
  /** A text in Vietnamese and English (a group's row label). */
  | { kind: "local" }
  | { kind: "choices"; choices: string[] }
  /** The choices of a select, radio or checkbox field. */
  | { kind: "options" }
  /** The fields of a repeating group. */
  | { kind: "fields" }
);
export type FieldTypeInfo = { type: string; props: PropDescriptor[]; subTypes: string[] };

/** The object schemas of a union (nested unions flattened). */
function objectOptions(schema: unknown): z.ZodObject[] {
  if (schema instanceof z.ZodObject) return [schema];
  if (schema instanceof z.ZodUnion) return schema.options.flatMap(objectOptions);
  if (schema instanceof z.ZodPipe) return objectOptions(schema.in);
  return [];
}

function literalType(object: z.ZodObject): string | undefined {
  const type = object.shape.type;
  if (!(type instanceof z.ZodLiteral)) return undefined;
  const [value] = type.values;
  return typeof value === "string" ? value : undefined;
}

function describe(key: string, schema: unknown): PropDescriptor | null {
  let inner = schema;
  let optional = false;
  let fallback: unknown;
  for (;;) {
    if (inner instanceof z.ZodOptional) {
      optional = true;
      inner = inner.unwrap();
    } else if (inner instanceof z.ZodDefault) {
      fallback = inner.def.defaultValue;
      optional = true;
      inner = inner.unwrap();
    } else break;
  }
  const base = {
    key,
    optional,
    ...(typeof fallback === "string" || typeof fallback === "number" || typeof fallback === "boolean"
      ? { default: fallback }
      : Array.isArray(fallback)
        ? { default: fallback.filter((v): v is string => typeof v === "string") }
        : {}),
  };
  if (inner instanceof z.ZodNumber) return { ...base, kind: "number", integer: inner.isInt, min: finite(inner.minValue), max: finite(inner.maxValue) };
  if (inner instanceof z.ZodBoolean) return { ...base, kind: "boolean" };
  if (inner instanceof z.ZodArray) {
    if (key === "options") return { ...base, kind: "options" };
    if (inner.element instanceof z.ZodEnum) return { ...base, kind: "choices", choices: inner.element.options.map(String) };
    if (objectOptions(inner.element).some((o) => literalType(o) !== undefined)) return { ...base, kind: "fields" };
    return null;
  }
  if (inner instanceof z.ZodEnum) return { ...base, kind: "choices", choices: inner.options.map(String) };
  if (inner instanceof z.ZodObject) return "vi" in inner.shape ? { ...base, kind: "local" } : null;
  return { ...base, kind: "text" };
}
const finite = (n: number | null | undefined) => (typeof n === "number" && Number.isFinite(n) ? n : undefined);

/** The field types a section may hold, each with its own properties and (for a group) the types of its fields. */
export function fieldTypes(): FieldTypeInfo[] {
  return (knownTypes ??= readFieldTypes());
}
let knownTypes: FieldTypeInfo[] | undefined;

function readFieldTypes(): FieldTypeInfo[] {
  const section = FormDefinitionSchema.shape.sections.element;
  const fieldsSchema = section.shape.fields.element;
  return objectOptions(fieldsSchema).flatMap((object) => {
    const type = literalType(object);
    if (!type) return [];
    const common: readonly string[] = COMMON_KEYS;
    const props = Object.entries(object.shape).flatMap(([key, schema]) => {
      if (common.includes(key)) return [];
      const d = describe(key, schema);
      return d ? [d] : [];
    });
    const nested = Object.values(object.shape).flatMap((schema) => {
      let inner: unknown = schema;
      while (inner instanceof z.ZodOptional || inner instanceof z.ZodDefault) inner = inner.unwrap();
      return inner instanceof z.ZodArray ? objectOptions(inner.element).flatMap((o) => literalType(o) ?? []) : [];
    });
    return [{ type, props, subTypes: nested }];
  });
}

/** Where a field's first value may come from, as the schema lists them. */
export function prefillSources(): string[] {
  const [first] = objectOptions(FormDefinitionSchema.shape.sections.element.shape.fields.element);
  let prefill: unknown = first?.shape.prefill;
  while (prefill instanceof z.ZodOptional) prefill = prefill.unwrap();
  return prefill instanceof z.ZodEnum ? prefill.options.map(String) : [];
}

// ——— Addressing fields ————————————————————————————————————————————————————————————————————

/** A field's place: its section, its index there, and for a group's field its index in the group ("0.2", "0.2.1"). */
export type FieldPath = { section: number; field: number; sub?: number };

export function parseFieldPath(text: string): FieldPath | null {
  const m = /^(\d{1,3})\.(\d{1,3})(?:\.(\d{1,3}))?$/.exec(text);
  if (!m) return null;
  return { section: Number(m[1]), field: Number(m[2]), ...(m[3] !== undefined ? { sub: Number(m[3]) } : {}) };
}
export const fieldPathText = (p: FieldPath) => `${p.section}.${p.field}${p.sub !== undefined ? `.${p.sub}` : ""}`;

/** A group's fields (empty for any other field). */
export function subFields(field: DraftField): DraftField[] {
  return z
    .array(DraftFieldSchema)
    .catch([])
    .parse(field.fields ?? []);
}

export function fieldAt(draft: DraftDefinition, path: FieldPath): DraftField | undefined {
  const field = draft.sections[path.section]?.fields[path.field];
  if (!field || path.sub === undefined) return field;
  return subFields(field)[path.sub];
}

/** Every field of the draft with its path, in the form's order (a group's fields after it). */
export function draftFields(draft: DraftDefinition): { path: FieldPath; field: DraftField }[] {
  return draft.sections.flatMap((section, s) =>
    section.fields.flatMap((field, f) => [
      { path: { section: s, field: f }, field },
      ...subFields(field).map((sub, g) => ({ path: { section: s, field: f, sub: g }, field: sub })),
    ]),
  );
}

// ——— Edits ————————————————————————————————————————————————————————————————————————————————

const copy = (draft: DraftDefinition): DraftDefinition => structuredClone(draft);

function move<T>(items: T[], from: number, delta: number): boolean {
  const to = from + delta;
  if (from < 0 || from >= items.length || to < 0 || to >= items.length) return false;
  const [item] = items.splice(from, 1);
  if (item === undefined) return false;
  items.splice(to, 0, item);
  return true;
}

export function addSection(draft: DraftDefinition, title: DraftText): DraftDefinition {
  const next = copy(draft);
  next.sections.push({ title, fields: [] });
  return next;
}

export function updateSection(draft: DraftDefinition, index: number, change: { title: DraftText; visibleIf: Rule | undefined }): DraftDefinition | null {
  const next = copy(draft);
  const section = next.sections[index];
  if (!section) return null;
  section.title = change.title;
  if (change.visibleIf === undefined) delete section.visibleIf;
  else section.visibleIf = change.visibleIf;
  return next;
}

export function moveSection(draft: DraftDefinition, index: number, delta: number): DraftDefinition | null {
  const next = copy(draft);
  return move(next.sections, index, delta) ? next : null;
}

export function removeSection(draft: DraftDefinition, index: number): DraftDefinition | null {
  if (!draft.sections[index]) return null;
  const next = copy(draft);
  next.sections.splice(index, 1);
  return next;
}

/** A name no field of the draft has yet: `<type>_<n>`. */
export function freshName(draft: DraftDefinition, type: string): string {
  const taken = new Set(draftFields(draft).map((f) => f.field.name));
  const stem = type.replace(/[^a-z0-9_]/g, "_");
  for (let n = 1; ; n += 1) if (!taken.has(`${stem}_${n}`)) return `${stem}_${n}`;
}

/** A new field of a type, with what that type needs to be valid (two options for a choice), at the end of a section or a group. */
export function addField(draft: DraftDefinition, at: { section: number; group?: number }, type: string): { draft: DraftDefinition; path: FieldPath } | null {
  const info = fieldTypes().find((t) => t.type === type);
  if (!info) return null;
  const next = copy(draft);
  const section = next.sections[at.section];
  if (!section) return null;
  const field: DraftField = { type, name: freshName(draft, type), label: { vi: "" }, required: true };
  if (info.props.some((p) => p.kind === "options") && type !== "checkbox")
    field.options = [
      { value: "co", label: { vi: "Có", en: "Yes" } },
      { value: "khong", label: { vi: "Không", en: "No" } },
    ];
  if (info.props.some((p) => p.kind === "fields")) field.fields = [];
  if (at.group === undefined) {
    section.fields.push(field);
    return { draft: next, path: { section: at.section, field: section.fields.length - 1 } };
  }
  const group = section.fields[at.group];
  if (!group) return null;
  const subs = subFields(group);
  if (
    !fieldTypes()
      .find((t) => t.type === group.type)
      ?.subTypes.includes(type)
  )
    return null;
  subs.push(field);
  group.fields = subs;
  return { draft: next, path: { section: at.section, field: at.group, sub: subs.length - 1 } };
}

/** Replaces the field at `path` (its edited version). */
export function replaceField(draft: DraftDefinition, path: FieldPath, field: DraftField): DraftDefinition | null {
  const next = copy(draft);
  const section = next.sections[path.section];
  const current = section?.fields[path.field];
  if (!section || !current) return null;
  if (path.sub === undefined) {
    // A group keeps its fields (edited one by one).
    section.fields[path.field] = current.fields !== undefined && field.fields === undefined ? { ...field, fields: current.fields } : field;
    return next;
  }
  const subs = subFields(current);
  if (!subs[path.sub]) return null;
  subs[path.sub] = field;
  current.fields = subs;
  return next;
}

export function moveField(draft: DraftDefinition, path: FieldPath, delta: number): DraftDefinition | null {
  const next = copy(draft);
  const section = next.sections[path.section];
  if (!section) return null;
  if (path.sub === undefined) return move(section.fields, path.field, delta) ? next : null;
  const group = section.fields[path.field];
  if (!group) return null;
  const subs = subFields(group);
  if (!move(subs, path.sub, delta)) return null;
  group.fields = subs;
  return next;
}

export function removeField(draft: DraftDefinition, path: FieldPath): DraftDefinition | null {
  const next = copy(draft);
  const section = next.sections[path.section];
  if (!section?.fields[path.field]) return null;
  if (path.sub === undefined) {
    section.fields.splice(path.field, 1);
    return next;
  }
  const group = section.fields[path.field];
  if (!group) return null;
  const subs = subFields(group);
  if (!subs[path.sub]) return null;
  subs.splice(path.sub, 1);
  group.fields = subs;
  return next;
}

export function setFee(draft: DraftDefinition, fee: Rule | undefined): DraftDefinition {
  const next = copy(draft);
  if (fee === undefined) delete next.fee;
  else next.fee = fee;
  return next;
}

export function setExits(draft: DraftDefinition, exits: DraftExit[]): DraftDefinition {
  const next = copy(draft);
  if (exits.length === 0) delete next.exits;
  else next.exits = exits;
  return next;
}

/** A rule with every reading of the field `from` (`{"var": from}`, `{"var": [from, default]}`) made a reading of `to`. */
export function renameInRule(rule: unknown, from: string, to: string): unknown {
  if (Array.isArray(rule)) return rule.map((item) => renameInRule(item, from, to));
  if (rule === null || typeof rule !== "object") return rule;
  return Object.fromEntries(
    Object.entries(rule).map(([op, args]) => {
      if (op !== "var") return [op, renameInRule(args, from, to)];
      if (args === from) return [op, to];
      if (Array.isArray(args) && args[0] === from) return [op, [to, ...args.slice(1).map((a) => renameInRule(a, from, to))]];
      return [op, renameInRule(args, from, to)];
    }),
  );
}

export type RenameOutcome = { ok: true; draft: DraftDefinition } | { ok: false; error: "form_admin.errors.name_taken" | "form_admin.errors.bad_request" };

/**
 * Gives the field at `path` a new name, and every rule that reads it the new name too: the sections'
 * and fields' conditions (a group's fields' included), the exits and the fee — a group read by `count`
 * is read through `var` like any field. Prefill names an account's detail, never a field: untouched.
 * A name another field already has is refused (names are unique across the whole form).
 */
export function renameField(draft: DraftDefinition, path: FieldPath, to: string): RenameOutcome {
  const field = fieldAt(draft, path);
  if (!field) return { ok: false, error: "form_admin.errors.bad_request" };
  const from = field.name;
  if (from === to) return { ok: true, draft: copy(draft) };
  const here = fieldPathText(path);
  if (draftFields(draft).some((f) => f.field.name === to && fieldPathText(f.path) !== here)) return { ok: false, error: "form_admin.errors.name_taken" };
  const next = replaceField(draft, path, { ...field, name: to });
  if (!next) return { ok: false, error: "form_admin.errors.bad_request" };
  const rename = (holder: Record<string, unknown>, key: string) => {
    if (holder[key] !== undefined) holder[key] = renameInRule(holder[key], from, to);
  };
  for (const section of next.sections) {
    rename(section, "visibleIf");
    for (const f of section.fields) {
      rename(f, "visibleIf");
      rename(f, "requiredIf");
      // A group's fields are a copy read leniently (subFields): written back once renamed.
      if (Array.isArray(f.fields))
        f.fields = subFields(f).map((sub) => {
          rename(sub, "visibleIf");
          rename(sub, "requiredIf");
          return sub;
        });
    }
  }
  for (const exit of next.exits ?? []) rename(exit, "when");
  rename(next, "fee");
  return { ok: true, draft: next };
}

// ——— Rules: the simple condition and the fee per unit ——————————————————————————————————————

export const CONDITION_OPS = ["eq", "ne", "gt", "ge", "lt", "le", "one_of", "contains", "answered", "not_answered"] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
const COMPARISONS = { eq: "==", ne: "!=", gt: ">", ge: ">=", lt: "<", le: "<=" } as const;
const COMPARISON_OPS = ["eq", "ne", "gt", "ge", "lt", "le"] as const;

/** A condition as the builder's simple form writes it: a field, an operator and a value (typed as text). */
export type Condition = { field: string; op: ConditionOp; value: string };

const varName = (node: unknown): string | null => {
  if (node === null || typeof node !== "object" || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== "var") return null;
  const name: unknown = Reflect.get(node, "var");
  return typeof name === "string" ? name : null;
};
const scalarText = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : null);

/** The simple condition a rule is, or null when it is anything else (then it is edited as JSON). */
export function conditionOf(rule: unknown): Condition | null {
  if (rule === null || typeof rule !== "object" || Array.isArray(rule)) return null;
  const entries = Object.entries(rule);
  const [entry] = entries;
  if (entries.length !== 1 || !entry) return null;
  const [op, args] = entry;
  const list: unknown[] = Array.isArray(args) ? args : [args];
  const comparison = COMPARISON_OPS.find((c) => COMPARISONS[c] === op);
  if (comparison && list.length === 2) {
    const field = varName(list[0]);
    const value = scalarText(list[1]);
    if (field && value !== null) return { field, op: comparison, value };
  }
  if (op === "in" && list.length === 2) {
    const field = varName(list[0]);
    if (field && Array.isArray(list[1])) {
      const values = list[1].map(scalarText);
      if (values.every((v): v is string => v !== null)) return { field, op: "one_of", value: values.join(", ") };
    }
    const inField = varName(list[1]);
    const value = scalarText(list[0]);
    if (inField && value !== null) return { field: inField, op: "contains", value };
  }
  if ((op === "!!" || op === "!") && list.length === 1) {
    const field = varName(list[0]);
    if (field) return { field, op: op === "!!" ? "answered" : "not_answered", value: "" };
  }
  return null;
}

/** A typed value for a field of this type: a number for a number field, true/false for a single box. */
function typedValue(text: string, fieldType: string | undefined): string | number | boolean {
  const trimmed = text.trim();
  if (fieldType === "number" && /^-?\d+(?:[.,]\d+)?$/.test(trimmed)) return Number(trimmed.replace(",", "."));
  if (fieldType === "checkbox-single" && (trimmed === "true" || trimmed === "false")) return trimmed === "true";
  return trimmed;
}

/** The JsonLogic rule of a simple condition; `fieldType` types the value ("checkbox-single" for one box). */
export function ruleOf(condition: Condition, fieldType?: string): Rule {
  const v = { var: condition.field };
  const { op } = condition;
  const value = typedValue(condition.value, fieldType);
  switch (op) {
    case "eq":
      return { "==": [v, value] };
    case "ne":
      return { "!=": [v, value] };
    case "gt":
      return { ">": [v, value] };
    case "ge":
      return { ">=": [v, value] };
    case "lt":
      return { "<": [v, value] };
    case "le":
      return { "<=": [v, value] };
  }
  if (op === "one_of")
    return {
      in: [
        v,
        condition.value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== ""),
      ],
    };
  if (op === "contains") return { in: [condition.value.trim(), v] };
  return op === "answered" ? { "!!": [v] } : { "!": [v] };
}

/** The fee as "the procedure's fee, plus a unit price for each unit of a number field from the N-th". */
export type PerUnitFee = { field: string; unitVnd: number; fromUnit: number };

export function perUnitFeeOf(rule: unknown): PerUnitFee | null {
  // {"+": [{"var": "procedure_fee"}, {"*": [unit, {"max": [0, {"-": [{"var": field}, fromUnit - 1]}]}]}]}
  const one = (node: unknown, op: string): unknown[] | null => {
    if (node === null || typeof node !== "object" || Array.isArray(node)) return null;
    const keys = Object.keys(node);
    const args: unknown = Reflect.get(node, op);
    return keys.length === 1 && keys[0] === op && Array.isArray(args) ? args : null;
  };
  const sum = one(rule, "+");
  if (!sum || sum.length !== 2 || varName(sum[0]) !== PROCEDURE_FEE_VAR) return null;
  const product = one(sum[1], "*");
  if (!product || product.length !== 2 || typeof product[0] !== "number") return null;
  const atLeast = one(product[1], "max");
  if (!atLeast || atLeast.length !== 2 || atLeast[0] !== 0) return null;
  const minus = one(atLeast[1], "-");
  const field = minus && minus.length === 2 ? varName(minus[0]) : null;
  if (!minus || !field || typeof minus[1] !== "number") return null;
  return { field, unitVnd: product[0], fromUnit: minus[1] + 1 };
}

export function perUnitFeeRule(fee: PerUnitFee): Rule {
  return { "+": [{ var: PROCEDURE_FEE_VAR }, { "*": [fee.unitVnd, { max: [0, { "-": [{ var: fee.field }, fee.fromUnit - 1] }] }] }] };
}

/** A text to show in the administrator's language: an i18n key and its parameters. */
export type Message = { key: string; params?: Record<string, string> };

/** What is wrong with a rule, as a message: its first finding. */
const ruleMessage = (value: unknown): Message => {
  const [first] = ruleProblems(value);
  return first ? { key: `form_admin.checks.rule.${first.finding}`, params: first.params } : { key: "form_admin.checks.rule.not_a_rule" };
};

/** A rule typed as JSON: the rule, or what is wrong with it (an i18n key, or the rule checker's finding with its parameters). */
export function parseRuleJson(text: string): { ok: true; rule: Rule } | { ok: false; error: string | Message } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "form_admin.errors.rule_json" };
  }
  if (isRule(value)) return { ok: true, rule: value };
  return { ok: false, error: ruleMessage(value) };
}

// ——— Translations and the check before publishing ————————————————————————————————————————

/** A text written in Vietnamese whose English is missing: what it is and, for a field's, where to edit it. */
export type MissingEnglish = { what: "section" | "label" | "hint" | "option" | "exit"; vi: string; path?: string; section?: number };

export function missingEnglish(draft: DraftDefinition): MissingEnglish[] {
  const out: MissingEnglish[] = [];
  const lacks = (t: unknown): t is DraftText => {
    const parsed = DraftTextSchema.safeParse(t);
    return parsed.success && parsed.data.vi.trim() !== "" && !parsed.data.en?.trim();
  };
  draft.sections.forEach((section, s) => {
    if (lacks(section.title)) out.push({ what: "section", vi: section.title.vi, section: s });
  });
  for (const { path, field } of draftFields(draft)) {
    const at = fieldPathText(path);
    if (lacks(field.label)) out.push({ what: "label", vi: field.label.vi, path: at });
    if (lacks(field.hint)) out.push({ what: "hint", vi: DraftTextSchema.parse(field.hint).vi, path: at });
    // Any other text of the field in two languages (a group's row label).
    for (const [key, value] of Object.entries(field))
      if (!["label", "hint", "options", "fields"].includes(key) && value !== null && typeof value === "object" && "vi" in value && lacks(value))
        out.push({ what: "label", vi: value.vi, path: at });
    if (Array.isArray(field.options))
      for (const option of field.options) {
        const label: unknown = option !== null && typeof option === "object" ? Reflect.get(option, "label") : undefined;
        if (lacks(label)) out.push({ what: "option", vi: DraftTextSchema.parse(label).vi, path: at });
      }
  }
  for (const exit of draft.exits ?? []) if (lacks(exit.message)) out.push({ what: "exit", vi: exit.message.vi });
  return out;
}

/**
 * A reason the draft cannot be published, in the administrator's language: where (the field, section,
 * fee, exit or the form) and what, with the rule it is in (shown when, required when) or the property
 * the schema refused, and the field (path) or section to edit.
 */
export type BuilderProblem = { where: Message; what: Message; rule?: "shown" | "required"; property?: string; path?: string; section?: number };

/** The checks a definition's shape names on its issues (definition.ts `params.check`), besides a rule's. */
const SCHEMA_CHECKS = ["rows", "duplicate_name", "reserved_name", "duplicate_exit"] as const;
const CheckParamsSchema = z.looseObject({ check: z.string() });
const StringParamsSchema = z.record(z.string(), z.string()).catch({});

/** The value at a path of a JSON value (what a schema issue is about). */
function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) node = node !== null && typeof node === "object" ? Reflect.get(node, key) : undefined;
  return node;
}

/** What a schema issue says, as a message: the check that refused it, or its kind with its bounds. */
function issueMessage(issue: z.core.$ZodIssue, candidate: unknown): Message {
  if (issue.code === "custom") {
    const named = CheckParamsSchema.safeParse(issue.params);
    const check = named.success ? named.data.check : "";
    if (check === "rule") return ruleMessage(valueAt(candidate, issue.path));
    const known = SCHEMA_CHECKS.find((c) => c === check);
    if (known) return { key: `form_admin.checks.schema.${known}`, params: StringParamsSchema.parse(issue.params) };
    return { key: "form_admin.checks.schema.invalid" };
  }
  const size = (origin: string) =>
    origin === "array" || origin === "string" || origin === "number" || origin === "int" ? origin.replace("int", "number") : "value";
  switch (issue.code) {
    case "too_small":
      return { key: `form_admin.checks.schema.too_small_${size(issue.origin)}`, params: { min: String(issue.minimum) } };
    case "too_big":
      return { key: `form_admin.checks.schema.too_big_${size(issue.origin)}`, params: { max: String(issue.maximum) } };
    case "invalid_type":
      return issue.input === undefined
        ? { key: "form_admin.checks.schema.missing" }
        : { key: "form_admin.checks.schema.invalid_type", params: { expected: issue.expected } };
    case "invalid_value":
      return { key: "form_admin.checks.schema.invalid_value", params: { values: issue.values.map((v) => String(v)).join(", ") } };
    case "invalid_format":
      return { key: "form_admin.checks.schema.invalid_format" };
    case "unrecognized_keys":
      return { key: "form_admin.checks.schema.unrecognized_keys", params: { keys: issue.keys.join(", ") } };
    default:
      return { key: "form_admin.checks.schema.invalid" };
  }
}

/** Where a checker finding is, as a message. */
function placeMessage(place: CheckPlace): Message {
  switch (place.kind) {
    case "field":
      return place.group
        ? { key: "form_admin.checks.place.field_in_group", params: { name: place.name, group: place.group } }
        : { key: "form_admin.checks.place.field", params: { name: place.name } };
    case "section":
      return { key: "form_admin.checks.place.section", params: { n: String(place.index + 1), title: place.title } };
    case "exit":
      return { key: "form_admin.checks.place.exit", params: { id: place.id } };
    case "fee":
      return { key: "form_admin.checks.place.fee" };
  }
}

/** A finding of the definition checker as the builder shows it (and, given its field's path, links to it). */
export function checkerProblem(p: DefinitionProblem, path?: string): BuilderProblem {
  return {
    where: placeMessage(p.place),
    what: { key: `form_admin.checks.${p.finding}`, params: p.params },
    ...(p.rule ? { rule: p.rule } : {}),
    ...(path ? { path } : {}),
    ...(p.place.kind === "section" ? { section: p.place.index } : {}),
  };
}

/**
 * A value as a definition of the given version, or every reason it is not one: first its shape (the
 * definition schema), then the checks a form must pass before citizens see it (definition-check.ts),
 * each placed on the field or section it is about.
 */
export function checkDefinitionValue(value: unknown, version: number): { ok: true; definition: FormDefinition } | { ok: false; problems: BuilderProblem[] } {
  const draft = readDraft(value);
  const candidate = value !== null && typeof value === "object" && !Array.isArray(value) ? { ...value, version } : value;
  const parsed = FormDefinitionSchema.safeParse(candidate);
  if (!parsed.success)
    return {
      ok: false,
      problems: parsed.error.issues.map((issue): BuilderProblem => {
        const what = issueMessage(issue, candidate);
        const [top, s, inner, f, sub, g, ...rest] = issue.path;
        if (top === "sections" && typeof s === "number" && inner === "fields" && typeof f === "number") {
          const nested = sub === "fields" && typeof g === "number";
          const at = { section: s, field: f, ...(nested ? { sub: g } : {}) };
          const path = fieldPathText(at);
          const property = (nested ? rest : [sub, g, ...rest]).filter((p) => p !== undefined).join(".");
          const where: Message = { key: "form_admin.checks.place.field", params: { name: fieldAt(draft, at)?.name || path } };
          return { where, what, path, ...(property ? { property } : {}) };
        }
        if (top === "sections" && typeof s === "number") {
          const where: Message = { key: "form_admin.checks.place.section", params: { n: String(s + 1), title: draft.sections[s]?.title.vi ?? "" } };
          return { where, what, section: s, ...(inner !== undefined ? { property: issue.path.slice(2).join(".") } : {}) };
        }
        const where: Message = top === "fee" ? { key: "form_admin.checks.place.fee" } : { key: "form_admin.checks.place.form" };
        return { where, what, ...(issue.path.length > 0 && top !== "fee" ? { property: issue.path.join(".") } : {}) };
      }),
    };
  const paths = new Map(draftFields(draft).map(({ path, field }) => [field.name, fieldPathText(path)]));
  const problems = checkDefinition(parsed.data).map((p) => checkerProblem(p, p.place.kind === "field" ? paths.get(p.place.name) : undefined));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, definition: parsed.data };
}

/** The draft as a definition of the given version, or every reason it is not one (checkDefinitionValue). */
export function checkDraft(draft: DraftDefinition, version: number): { ok: true; definition: FormDefinition } | { ok: false; problems: BuilderProblem[] } {
  return checkDefinitionValue(draft, version);
}

/** A translation function as i18next's `t` is called here. */
export type Translate = (key: string, params?: Record<string, string>) => string;

/** A problem in one line of the administrator's language: where — in which rule: what. */
export function problemLine(p: BuilderProblem, t: Translate): string {
  const rule = p.rule ? `${t(`form_admin.checks.in.${p.rule}`)}: ` : "";
  const property = p.property ? `${p.property}: ` : "";
  return `${t(p.where.key, p.where.params)} — ${rule}${property}${t(p.what.key, p.what.params)}`;
}
