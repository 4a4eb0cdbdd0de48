import {
  checkDraft,
  conditionOf,
  draftFields,
  fieldAt,
  fieldPathText,
  fieldTypes,
  missingEnglish,
  parseFieldPath,
  perUnitFeeOf,
  prefillSources,
  subFields,
  type Condition,
  type DraftDefinition,
  type DraftField,
  type DraftText,
  type FieldPath,
} from "../../core/forms/builder";
import { ProcedureCodeSchema } from "../catalog/procedure-admin.server";
import { openFormBuilder } from "./form-drafts.server";

/**
 * What the form builder's page shows, made on the server (the page's JavaScript carries no schema
 * and no rule code): the draft's outline, the view asked for (a section, a field, an exit) with the
 * fields its rules may read, the problems that stop publishing and the texts still without English.
 */

/** A rule as its editor shows it: none, a simple condition, or JSON. */
export type RuleView = { mode: "none" | "simple" | "json"; condition: Condition | null; json: string };

function ruleView(rule: unknown): RuleView {
  if (rule === undefined || rule === null) return { mode: "none", condition: null, json: "" };
  const condition = conditionOf(rule);
  return { mode: condition ? "simple" : "json", condition, json: JSON.stringify(rule) };
}

const textOf = (value: unknown): DraftText => {
  if (value === null || typeof value !== "object") return { vi: "" };
  const vi: unknown = Reflect.get(value, "vi");
  const en: unknown = Reflect.get(value, "en");
  return { vi: typeof vi === "string" ? vi : "", ...(typeof en === "string" ? { en } : {}) };
};

/** Fields a rule at this point may read: the ones before it that hold an answer (not files, not groups). */
function candidatesBefore(draft: DraftDefinition, stop: (path: FieldPath) => boolean) {
  const out: { name: string; label: string }[] = [];
  for (const { path, field } of draftFields(draft)) {
    if (stop(path)) break;
    if (path.sub !== undefined || field.type === "file" || field.type === "group" || field.name === "") continue;
    out.push({ name: field.name, label: field.label.vi || field.name });
  }
  return out;
}

function requiredMode(field: DraftField): "yes" | "no" | "when" {
  if (field.requiredIf !== undefined) return "when";
  return field.required === false ? "no" : "yes";
}

function propValue(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : undefined;
}

function fieldView(draft: DraftDefinition, path: FieldPath) {
  const field = fieldAt(draft, path);
  if (!field) return null;
  const info = fieldTypes().find((t) => t.type === field.type);
  const parent = path.sub !== undefined ? fieldAt(draft, { section: path.section, field: path.field }) : undefined;
  const parentInfo = parent ? fieldTypes().find((t) => t.type === parent.type) : undefined;
  const here = fieldPathText(path);
  const options = Array.isArray(field.options)
    ? field.options.map((o: unknown) => {
        const value: unknown = o !== null && typeof o === "object" ? Reflect.get(o, "value") : undefined;
        const label = textOf(o !== null && typeof o === "object" ? Reflect.get(o, "label") : undefined);
        return { value: typeof value === "string" ? value : "", vi: label.vi, en: label.en ?? "" };
      })
    : [];
  return {
    path: here,
    field: {
      type: field.type,
      name: field.name,
      label: field.label,
      hint: field.hint === undefined ? undefined : textOf(field.hint),
      required: requiredMode(field),
      prefill: typeof field.prefill === "string" ? field.prefill : undefined,
    },
    // A group's field is given the types its group allows; any other, every type a section allows.
    types: parentInfo ? parentInfo.subTypes : fieldTypes().map((t) => t.type),
    props: (info?.props ?? []).map((p) => {
      const value: unknown = field[p.key];
      return {
        ...p,
        value: propValue(value),
        local: p.kind === "local" && value !== undefined ? textOf(value) : undefined,
        values: Array.isArray(value)
          ? value.filter((v): v is string => typeof v === "string")
          : p.kind === "choices" && Array.isArray(p.default)
            ? p.default
            : undefined,
      };
    }),
    options,
    subFields:
      path.sub === undefined && info?.props.some((p) => p.kind === "fields")
        ? subFields(field).map((s, i) => ({ path: fieldPathText({ ...path, sub: i }), name: s.name, label: s.label.vi, type: s.type }))
        : null,
    subTypes: info?.subTypes ?? [],
    parent: parent ? { path: fieldPathText({ section: path.section, field: path.field }), label: parent.label.vi || parent.name } : null,
    visible: ruleView(field.visibleIf),
    requiredIf: ruleView(field.requiredIf),
    // A rule reads only the fields before it (definition-check.ts); a group's field, those before its group.
    candidates: candidatesBefore(draft, (p) => p.section > path.section || (p.section === path.section && p.field >= path.field)),
    prefillSources: prefillSources(),
  };
}

/** What the page says after a post that went through (`?notice=`). */
const NOTICES = ["saved", "published", "discarded"] as const;
type Notice = (typeof NOTICES)[number];
const noticeOf = (v: string | null): Notice | null => NOTICES.find((n) => n === v) ?? null;

export type BuilderPage = NonNullable<Awaited<ReturnType<typeof builderPage>>>;

/** The builder's page for a procedure in scope, or undefined (not found). */
export async function builderPage(input: { agencyPath: string; code: string; search: URLSearchParams }) {
  const code = ProcedureCodeSchema.safeParse(input.code);
  if (!code.success) return undefined;
  const builder = await openFormBuilder({ agencyPath: input.agencyPath, code: code.data });
  if (!builder) return undefined;
  const { procedure, published, draft } = builder;
  const base = {
    procedure: { code: procedure.code, nameVi: procedure.nameVi, nameEn: procedure.nameEn },
    published: published ? { version: published.version } : null,
    types: fieldTypes(),
    notice: noticeOf(input.search.get("notice")),
  };
  if (!draft) return { ...base, draft: null, view: { kind: "overview" as const }, overview: null, fee: null, problems: [], missingEnglish: [] };
  const def = draft.definition;
  const number = (name: string) => {
    const v = input.search.get(name);
    return v !== null && /^\d{1,3}$/.test(v) ? Number(v) : null;
  };
  const fieldParam = input.search.get("field");
  const path = fieldParam ? parseFieldPath(fieldParam) : null;
  const sectionIndex = number("section");
  const exitIndex = number("exit");
  const section = sectionIndex !== null ? def.sections[sectionIndex] : undefined;
  const exit = exitIndex !== null ? def.exits?.[exitIndex] : undefined;
  const field = path ? fieldView(def, path) : null;
  const allAnswers = candidatesBefore(def, () => false);
  const view = field
    ? { kind: "field" as const, field }
    : input.search.get("confirm") === "discard"
      ? { kind: "discard" as const }
      : section && sectionIndex !== null
        ? {
            kind: "section" as const,
            section: {
              index: sectionIndex,
              title: section.title,
              visible: ruleView(section.visibleIf),
              candidates: candidatesBefore(def, (p) => p.section >= sectionIndex),
            },
          }
        : exit && exitIndex !== null
          ? { kind: "exit" as const, exit: { index: exitIndex, id: exit.id, when: ruleView(exit.when), message: exit.message, candidates: allAnswers } }
          : { kind: "overview" as const };
  const checked = checkDraft(def, (published?.version ?? 0) + 1);
  const perUnit = def.fee === undefined ? null : perUnitFeeOf(def.fee);
  return {
    ...base,
    draft: { updatedAt: draft.updatedAt.getTime(), updatedByName: draft.updatedByName, basedOnVersion: draft.basedOnVersion },
    view,
    overview: {
      sections: def.sections.map((s, i) => ({
        title: s.title.vi,
        visibility: s.visibleIf === undefined ? null : JSON.stringify(s.visibleIf),
        fields: s.fields.map((f, j) => ({
          path: fieldPathText({ section: i, field: j }),
          name: f.name,
          label: f.label.vi,
          type: f.type,
          required: requiredMode(f),
          visible: f.visibleIf !== undefined,
          subCount: Array.isArray(f.fields) ? subFields(f).length : null,
          first: j === 0,
          last: j === s.fields.length - 1,
        })),
      })),
      exits: (def.exits ?? []).map((e) => ({ id: e.id, message: e.message.vi })),
    },
    fee: {
      mode: def.fee === undefined ? ("none" as const) : perUnit ? ("per_unit" as const) : ("json" as const),
      perUnit,
      json: def.fee === undefined ? "" : JSON.stringify(def.fee),
      numberFields: draftFields(def).flatMap(({ field: f }) => (f.type === "number" ? [{ name: f.name, label: f.label.vi || f.name }] : [])),
    },
    problems: checked.ok ? [] : checked.problems,
    missingEnglish: missingEnglish(def),
  };
}
