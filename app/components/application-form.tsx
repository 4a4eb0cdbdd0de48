import { Form, useNavigation, useSubmit } from "@remix-run/react";
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FormDefinition } from "~/core/forms/definition";
import { allFields, fieldErrorParams } from "~/core/forms/fields";
import { localText } from "~/core/text/local-text";
import type { AttachmentSummary } from "~/server/dossiers.server";
import { DefinitionField, fieldId } from "./definition-field";
import { ErrorSummary, type SummaryError } from "./error-summary";

type Props = {
  definition: FormDefinition;
  today: string;
  values: Record<string, string | string[]>;
  serverErrors: Record<string, string>;
  attachments: AttachmentSummary[];
  /** Only these fields are shown and sent (answering a supplement request); the rest keep their values. */
  only?: readonly string[];
  /** The main button's label (default "Continue"); and whether "Save draft" is offered. */
  submitLabel?: string;
  allowSave?: boolean;
  /** More inputs of the same post (the officer's intake details), shown before the buttons, and their errors. */
  extra?: ReactNode;
  extraErrors?: SummaryError[];
};

type CheckAnswers = (typeof import("~/core/forms/check-answers"))["checkAnswers"];
let checker: Promise<CheckAnswers | null> | null = null;
/**
 * The schema (zod) is fetched on first use, not with the page: the form works without it
 * and the server checks every post anyway. If it cannot be fetched, the post goes to the server.
 */
const loadChecker = () =>
  (checker ??= import("~/core/forms/check-answers").then(
    (m) => m.checkAnswers,
    () => {
      checker = null;
      return null;
    },
  ));

/**
 * A procedure's form: plain HTML that posts without JavaScript; with JavaScript,
 * the browser checks it first with the same zod schema the server uses, so the
 * citizen sees the same messages sooner, and re-checks as they correct it.
 * "Save draft" and removing a file skip the check.
 */
export function ApplicationForm({ definition, today, values, serverErrors, attachments, only, submitLabel, allowSave = true, extra, extraErrors = [] }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  // The browser's own findings, after the first checked submit (null: not checked yet).
  const [clientErrors, setClientErrors] = useState<Record<string, string> | null>(null);
  const submit = useSubmit();
  const navigation = useNavigation();
  const shown = (name: string) => !only || only.includes(name);
  const fields = allFields(definition).filter((f) => shown(f.name));

  const errorFor = (name: string): string | undefined => {
    const key = clientErrors?.[name] ?? serverErrors[name];
    const field = fields.find((f) => f.name === name);
    return key && field ? t(key, fieldErrorParams(field, today)) : key ? t(key) : undefined;
  };
  const summary = fields.flatMap((f) => {
    const message = errorFor(f.name);
    // "Label: message", the label without its closing punctuation (declarations end with a full stop).
    return message ? [{ fieldId: fieldId(f.name), message: `${localText(f.label, lang).replace(/[.:;\s]+$/u, "")}: ${message}` }] : [];
  });

  const runCheck = (checkAnswers: CheckAnswers, form: HTMLFormElement) => {
    const base = only ? { names: only, base: values } : undefined;
    const found = checkAnswers({ definition, today, form: new FormData(form), only: base });
    // Only the fields on this page: the rest are not the citizen's to fix here.
    const mine = Object.fromEntries(Object.entries(found).filter(([name]) => shown(name)));
    setClientErrors(mine);
    return mine;
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = event.nativeEvent instanceof SubmitEvent ? event.nativeEvent.submitter : null;
    // Saving a draft or removing a file never waits for the form to be valid.
    if (!(submitter instanceof HTMLButtonElement) || submitter.value !== "continue") return;
    event.preventDefault();
    const form = event.currentTarget;
    void loadChecker().then((checkAnswers) => {
      if (checkAnswers && Object.keys(runCheck(checkAnswers, form)).length > 0) return;
      submit(submitter, { method: "post", encType: "multipart/form-data" });
    });
  };

  // Fetching starts when the citizen first enters the form, so the check is ready by the submit.
  const warm = () => void loadChecker();

  // Once a check has shown errors, each change re-checks, so a fixed field's message goes away.
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    if (clientErrors === null) return;
    const form = event.currentTarget;
    void loadChecker().then((checkAnswers) => {
      if (checkAnswers) runCheck(checkAnswers, form);
    });
  };

  return (
    <>
      <ErrorSummary errors={[...summary, ...extraErrors]} />
      <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} onChange={onChange} onFocus={warm}>
        {definition.sections.map((section, i) =>
          section.fields.some((f) => shown(f.name)) ? (
            <fieldset key={i} className="form-section">
              <legend className="section-title">{localText(section.title, lang)}</legend>
              {section.fields.filter((f) => shown(f.name)).map((field) => (
                <DefinitionField key={field.name} field={field} value={values[field.name]} error={errorFor(field.name)} attachments={attachments} removable={!only} />
              ))}
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
