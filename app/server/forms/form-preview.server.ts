import { answersState, buildAnswersSchema, draftAnswers, fieldErrors, missingAttachments } from "../../core/forms/answers-schema";
import { fileFields } from "../../core/forms/definition";
import { checkUploads } from "../dossiers/application.server";
import { rawAnswers, type DraftValues } from "../../core/forms/fields";
import { applyRowIntent, parseRowIntent } from "../../core/forms/rows";
import { formExit, hasRules, stateView, type FormStateView } from "../../core/forms/visibility";
import { dossierFee } from "../../core/payments/fees";
import type { FormDefinition } from "../../core/forms/definition";
import { problemLine, type BuilderProblem } from "../../core/forms/builder";
import { vnDate } from "../../core/calendar/working-days";
import { ProcedureCodeSchema } from "../catalog/procedure-admin.server";
import { draftForPreview } from "./form-drafts.server";
import { formatVnd } from "../../utils/format";
import type { TFunction } from "i18next";

/**
 * The builder's preview (issue 16): the draft's form as a citizen meets it, made by the citizen's own
 * form component. Posting it back answers as the application form would — what the answers show,
 * what is missing or wrong, where an exit leads, the fee they come to — and keeps nothing: no dossier,
 * no draft answers, no file.
 */
export type PreviewPage =
  | { kind: "problems"; code: string; nameVi: string; nameEn: string | null; problems: BuilderProblem[] }
  | {
      kind: "form";
      code: string;
      nameVi: string;
      nameEn: string | null;
      definition: FormDefinition;
      today: string;
      values: DraftValues;
      visibility: FormStateView | undefined;
      errors: Record<string, string>;
      /** After "Continue": the answers pass (and their fee), or an exit holds. */
      outcome: null | { kind: "valid"; feeVnd: number } | { kind: "exit"; id: string; message: { vi: string; en?: string } };
    };

/** The preview of the draft (with the posted answers checked, when `form` is given); undefined: not found. */
export async function previewDraft(input: {
  agencyPath: string;
  code: string;
  form?: FormData;
  oversized?: ReadonlySet<string>;
}): Promise<PreviewPage | undefined> {
  const code = ProcedureCodeSchema.safeParse(input.code);
  if (!code.success) return undefined;
  const found = await draftForPreview({ agencyPath: input.agencyPath, code: code.data });
  if (!found) return undefined;
  const p = found.procedure;
  const named = { code: p.code, nameVi: p.nameVi, nameEn: p.nameEn };
  if (!found.checked.ok) return { kind: "problems", ...named, problems: found.checked.problems };
  const def = found.checked.definition;
  const today = vnDate(new Date());
  let values = input.form ? draftAnswers(def, rawAnswers(def, input.form)) : {};
  // "Add another" and "Remove" of a repeating group: the change made on what was posted, as the application form does.
  const rowIntent = input.form ? parseRowIntent(def, input.form.get("intent")) : null;
  const rowChange = rowIntent ? applyRowIntent(def, values, rowIntent, true) : null;
  if (rowChange) values = rowChange.values;
  const state = answersState(def, values, today);
  const visibility = hasRules(def) ? stateView(state) : undefined;
  const page = { kind: "form" as const, ...named, definition: def, today, values, visibility, errors: {}, outcome: null };
  if (!input.form || input.form.get("intent") !== "continue") return page;
  const exit = formExit(def, state);
  if (exit) return { ...page, outcome: { kind: "exit", id: exit.id, message: exit.message } };
  const parsed = buildAnswersSchema(def, today).safeParse(values);
  // Files are checked as the application form checks them, and not kept: a required one must come with this post.
  const shownFiles = fileFields(def).filter((f) => !state.hidden.has(f.name));
  const { uploads, errors: fileErrors } = await checkUploads(shownFiles, input.form, input.oversized ?? new Set());
  const sent = new Set(uploads.map((u) => u.fieldName));
  const errors: Record<string, string> = { ...(parsed.success ? {} : fieldErrors(parsed.error)), ...fileErrors };
  for (const name of missingAttachments(def, sent, state)) errors[name] ??= "form.errors.file_required";
  if (!parsed.success || Object.keys(errors).length > 0) return { ...page, errors };
  const fee = dossierFee({ procedureFeeVnd: p.feeVnd, rule: def.fee, answers: parsed.data });
  if (!fee.ok) return { ...page, errors: { _form: "form.errors.fee_unknown" } };
  return { ...page, outcome: { kind: "valid", feeVnd: fee.feeVnd } };
}

/**
 * The preview page's data, its administration words already translated (the page's component is
 * shared with the citizen's pages' components, which may not hold staff strings).
 */
export type PreviewView = NonNullable<Awaited<ReturnType<typeof previewView>>>;

export async function previewView(input: {
  agencyPath: string;
  code: string;
  form?: FormData;
  oversized?: ReadonlySet<string>;
  scripts: boolean;
  t: TFunction;
  language: string;
}) {
  const page = await previewDraft({ agencyPath: input.agencyPath, code: input.code, form: input.form, oversized: input.oversized });
  if (!page) return undefined;
  const { t } = input;
  const base = `/admin/forms/${encodeURIComponent(page.code)}`;
  const common = {
    title: t("form_admin.preview.title", { code: page.code }),
    heading: input.language === "en" && page.nameEn ? page.nameEn : page.nameVi,
    caption: input.scripts ? t("form_admin.preview.caption_js") : t("form_admin.preview.caption_no_js"),
    intro: t("form_admin.preview.intro"),
    back: { to: base, label: t("form_admin.preview.back") },
    other: input.scripts
      ? { to: `${base}/preview/no-script`, label: t("form_admin.preview.without_js") }
      : { to: `${base}/preview`, label: t("form_admin.preview.with_js") },
  };
  if (page.kind === "problems")
    return {
      ...common,
      problems: {
        title: t("form_admin.preview.problems"),
        items: page.problems.map((p) => ({
          to: p.path !== undefined ? `${base}?field=${p.path}` : p.section !== undefined ? `${base}?section=${p.section}` : base,
          text: problemLine(p, (key, params) => t(key, params)),
        })),
      },
      form: null,
    };
  const outcome = page.outcome;
  return {
    ...common,
    problems: null,
    form: {
      definition: page.definition,
      today: page.today,
      values: page.values,
      visibility: page.visibility,
      errors: page.errors,
      exit: outcome?.kind === "exit" ? outcome.message : null,
      texts: {
        accepted: outcome?.kind === "valid" ? t("form_admin.preview.accepted", { fee: formatVnd(outcome.feeVnd, input.language) }) : null,
        exitTitle: t("form_admin.preview.exit"),
        filesNote: t("form_admin.preview.files_note"),
      },
    },
  };
}
