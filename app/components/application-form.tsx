import { Form, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Field, FormDefinition } from "~/core/forms/definition";
import { allFields, fieldErrorParams, postedAnswers, summaryLabels, type DraftValue, type DraftValues } from "~/core/forms/fields";
import type { FormStateView } from "~/core/forms/visibility";
import { localText } from "~/core/text/local-text";
import type { AttachmentSummary } from "~/server/dossiers/dossiers.server";
import { DefinitionField } from "./definition-field";
import { GroupFieldset, rowName } from "./group-field";
import { shownRows } from "~/core/forms/rows";
import { fieldId } from "./field-id";
import { ErrorSummary, type SummaryError } from "./error-summary";

type Props = {
  definition: FormDefinition;
  today: string;
  values: DraftValues;
  /**
   * Which fields the values show and require (application.server.ts formVisibility), for forms with
   * rules; without it every field is shown with its own `required`. The browser follows changes itself.
   */
  visibility?: FormStateView;
  /** Fields whose value was filled in from the account (their `prefill`), marked so. */
  prefilled?: readonly string[];
  serverErrors: Record<string, string>;
  attachments: AttachmentSummary[];
  /** Only these fields are shown and sent (answering a supplement request); the rest keep their values. */
  only?: readonly string[];
  /** The main button's label (default "Continue"); and whether "Save draft" is offered. */
  submitLabel?: string;
  allowSave?: boolean;
  /** "Draft saved", when the last post saved the draft; hidden once the browser's check finds errors. */
  savedNotice?: string;
  /** More inputs of the same post (the officer's intake details), shown before the buttons, and their errors. */
  extra?: ReactNode;
  extraErrors?: SummaryError[];
};

/** A one-answer field's draft value (a group's rows are never one field's). */
const scalar = (v: DraftValue | undefined): string | string[] | undefined =>
  typeof v === "string" ? v : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : undefined;

/** A module fetched with import() on first use, not with the page; a failed fetch is tried again next time. */
function loadOnce<T>(importer: () => Promise<T>): () => Promise<T | null> {
  let loading: Promise<T | null> | null = null;
  return () =>
    (loading ??= importer().then(
      (m) => m,
      () => {
        loading = null;
        return null;
      },
    ));
}
/** The rule evaluator (json-logic-js): the page is made with the server's decision, the browser follows changes with it. */
const loadVisibility = loadOnce(() => import("~/core/forms/visibility"));
/**
 * The check (react-hook-form, zod and the schema): the form works without it and the server checks
 * every post anyway. If it cannot be fetched, the post goes to the server.
 */
const loadControls = loadOnce(() => import("./answers-control"));
type Controls = NonNullable<Awaited<ReturnType<typeof loadControls>>>;

/**
 * A procedure's form: plain HTML that posts without JavaScript; with JavaScript,
 * the browser checks it first with the same zod schema the server uses, and the chosen
 * files by their size and first bytes, so the citizen sees every message at once, sooner,
 * and re-checks as they correct it. "Save draft" and removing a file skip the check.
 * Fields and sections with rules (core/forms/visibility.ts) are shown as the answers say: from the
 * saved answers when the page is made (without JavaScript, a field an answer reveals appears after
 * "Continue" or "Save draft"), and at each change with JavaScript.
 */
export function ApplicationForm({
  definition,
  today,
  values,
  visibility,
  prefilled = [],
  serverErrors,
  attachments,
  only,
  submitLabel,
  allowSave = true,
  savedNotice,
  extra,
  extraErrors = [],
}: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The browser's own findings, after the first checked submit (null: not checked yet).
  const [clientErrors, setClientErrors] = useState<Record<string, string> | null>(null);
  const latestCheck = useRef(0);
  const latestChange = useRef(0);
  const submit = useSubmit();
  const navigation = useNavigation();
  // Which fields the answers show and require: as the server decided for the page, then the form's own after each change.
  const [state, setState] = useState<FormStateView | undefined>(visibility);
  useEffect(() => setState(visibility), [visibility]);
  const requiredNow = (field: Field) => state?.required[field.name] ?? field.required;
  const shown = (name: string) => (!only || only.includes(name)) && !state?.hidden.includes(name);
  const fields = allFields(definition).filter((f) => shown(f.name));
  const labels = summaryLabels(definition, lang);

  /** A field by the name its input posts: a form field, or a repeating group's row field (`group.row.field`). */
  const fieldNamed = (name: string) => {
    const [groupName, , itemName] = name.split(".");
    const top = fields.find((f) => f.name === groupName);
    return top?.type === "group" && itemName ? top.fields.find((f) => f.name === itemName) : top;
  };
  const errorFor = (name: string): string | undefined => {
    const key = clientErrors?.[name] ?? serverErrors[name];
    const field = fieldNamed(name);
    return key && field ? t(key, fieldErrorParams(field, today, lang)) : key ? t(key) : undefined;
  };
  const rowsOf = (name: string) => shownRows(definition, values, name, state?.required[name] ?? true);
  const summary = fields.flatMap((f) => {
    const message = errorFor(f.name);
    const own = message ? [{ fieldId: fieldId(f.name), message: `${labels.get(f.name) ?? f.name}: ${message}` }] : [];
    if (f.type !== "group") return own;
    // Each row's errors after the group's own, named by row: "Thành viên 2 — Họ và tên: …".
    const rows = rowsOf(f.name).flatMap((_, row) =>
      f.fields.flatMap((item) => {
        const name = `${f.name}.${row}.${item.name}`;
        const rowMessage = errorFor(name);
        return rowMessage
          ? [{ fieldId: fieldId(name), message: `${rowName(f, row, lang)} — ${labels.get(`${f.name}.*.${item.name}`) ?? item.name}: ${rowMessage}` }]
          : [];
      }),
    );
    return [...own, ...rows];
  });

  // One react-hook-form control per form, made when its code has loaded (answers-control.ts).
  const control = useRef<{ check: (formData: () => FormData) => Promise<Record<string, string>> } | null>(null);
  const runCheck = async (loaded: Controls, form: HTMLFormElement) => {
    const check = ++latestCheck.current;
    control.current ??= loaded.createAnswersControl({
      definition,
      today,
      only: only ? { names: only, base: values } : undefined,
      shown,
      // A requested document must be replaced (supplement); otherwise a required one must be on file or chosen.
      missingFile: (f) =>
        only ? "supplement.errors.new_file_required" : requiredNow(f) && !attachments.some((a) => a.fieldName === f.name) ? "form.errors.file_required" : null,
    });
    const found = await control.current.check(() => new FormData(form));
    // Checks read files, so they end out of order: only the latest one's findings are shown.
    if (check === latestCheck.current) setClientErrors(found);
    return found;
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = event.nativeEvent instanceof SubmitEvent ? event.nativeEvent.submitter : null;
    // Saving a draft or removing a file never waits for the form to be valid, and clears what an
    // earlier check found: the page then says only "Draft saved".
    if (!(submitter instanceof HTMLButtonElement) || submitter.value !== "continue") {
      latestCheck.current += 1;
      setClientErrors(null);
      return;
    }
    event.preventDefault();
    const form = event.currentTarget;
    void loadControls()
      .then(async (loaded) => {
        if (!loaded) return true;
        // An answer that leads out of the online procedure goes to the server, which says where to go.
        const answers = postedAnswers(definition, new FormData(form), only ? { names: only, base: values } : undefined);
        if (definition.exits?.length && loaded.exitsNow(definition, today, answers)) return true;
        return Object.keys(await runCheck(loaded, form)).length === 0;
      })
      .catch(() => true) // a check that fails to run leaves the decision to the server
      .then((send) => {
        if (send) submit(submitter, { method: "post", encType: "multipart/form-data" });
      });
  };

  // Fetching starts when the citizen first enters the form, so the check is ready by the submit.
  const warm = () => {
    void loadControls();
    if (visibility) void loadVisibility();
  };

  // Once a check has shown errors, each change re-checks, so a fixed field's message goes away.
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    // Rules read the answers as typed until the check's code has loaded, then as the server reads them.
    if (visibility) {
      // Rules read the answers as typed until the check's code has loaded, then as the server reads them.
      const answers = postedAnswers(definition, new FormData(form), only ? { names: only, base: values } : undefined);
      const change = ++latestChange.current;
      void loadVisibility()
        .then((m) => m && change === latestChange.current && setState(m.stateView(m.formState(definition, answers))))
        .then(() => loadControls())
        .then((loaded) => loaded && change === latestChange.current && setState(loaded.shownNow(definition, today, answers)))
        .catch(() => null);
    }
    if (clientErrors === null) return;
    void loadControls()
      .then((loaded) => (loaded ? runCheck(loaded, form) : null))
      .catch(() => null);
  };

  return (
    <>
      {savedNotice && clientErrors === null ? (
        <p className="notice" role="status">
          {savedNotice}
        </p>
      ) : null}
      <ErrorSummary errors={[...summary, ...extraErrors]} />
      <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} onChange={onChange} onFocus={warm}>
        {definition.sections.map((section, i) =>
          section.fields.some((f) => shown(f.name)) ? (
            <fieldset key={i} className="form-section">
              <legend className="section-title">{localText(section.title, lang)}</legend>
              {section.fields
                .filter((f) => shown(f.name))
                .map((field) =>
                  field.type === "group" ? (
                    <GroupFieldset key={field.name} group={{ ...field, required: requiredNow(field) }} rows={rowsOf(field.name)} errorFor={errorFor} />
                  ) : (
                    <DefinitionField
                      key={field.name}
                      field={{ ...field, required: requiredNow(field) }}
                      value={scalar(values[field.name])}
                      error={errorFor(field.name)}
                      attachments={attachments}
                      removable={!only}
                      prefilled={prefilled.includes(field.name)}
                    />
                  ),
                )}
            </fieldset>
          ) : null,
        )}
        {extra}
        <div className="button-group">
          <button type="submit" name="intent" value="continue" className="button" disabled={navigation.state === "submitting"}>
            {submitLabel ?? t("form.continue")}
          </button>
          {allowSave ? (
            <button type="submit" name="intent" value="save" className="button button--secondary" formNoValidate>
              {t("form.save_draft")}
            </button>
          ) : null}
        </div>
      </Form>
    </>
  );
}
