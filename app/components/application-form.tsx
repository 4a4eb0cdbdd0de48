import { zodResolver } from "@hookform/resolvers/zod";
import { Form, useNavigation, useSubmit } from "@remix-run/react";
import { useMemo, useRef, type FormEvent, type ReactNode } from "react";
import { useForm, type FieldErrors } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { buildAnswersSchema, fieldErrorParams } from "~/core/forms/answers-schema";
import { allFields, localText, type FormDefinition } from "~/core/forms/definition";
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

const messageOf = (errors: FieldErrors, name: string) => {
  const m = errors[name]?.message;
  return typeof m === "string" ? m : undefined;
};

/**
 * A procedure's form: plain HTML that posts without JavaScript; with JavaScript,
 * react-hook-form checks it first with the same zod schema the server uses, so
 * the citizen sees the same messages sooner. "Save draft" skips the check.
 */
export function ApplicationForm({ definition, today, values, serverErrors, attachments, only, submitLabel, allowSave = true, extra, extraErrors = [] }: Props) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const schema = useMemo(() => buildAnswersSchema(definition, today), [definition, today]);
  const form = useForm<Record<string, unknown>>({ resolver: zodResolver(schema), defaultValues: values, mode: "onSubmit", reValidateMode: "onChange" });
  const submit = useSubmit();
  const navigation = useNavigation();
  const formRef = useRef<HTMLFormElement>(null);
  const shown = (name: string) => !only || only.includes(name);
  const fields = allFields(definition).filter((f) => shown(f.name));

  const errorFor = (name: string): string | undefined => {
    const key = messageOf(form.formState.errors, name) ?? serverErrors[name];
    const field = fields.find((f) => f.name === name);
    return key && field ? t(key, fieldErrorParams(field, today)) : key ? t(key) : undefined;
  };
  const summary = fields.flatMap((f) => {
    const message = errorFor(f.name);
    // "Label: message", the label without its closing punctuation (declarations end with a full stop).
    return message ? [{ fieldId: fieldId(f.name), message: `${localText(f.label, lang).replace(/[.:;\s]+$/u, "")}: ${message}` }] : [];
  });

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = event.nativeEvent instanceof SubmitEvent ? event.nativeEvent.submitter : null;
    // Saving a draft or removing a file never waits for the form to be valid.
    if (!(submitter instanceof HTMLButtonElement) || submitter.value !== "continue") return;
    event.preventDefault();
    void form.handleSubmit(() => submit(submitter, { method: "post", encType: "multipart/form-data" }))(event);
  };

  return (
    <>
      <ErrorSummary errors={[...summary, ...extraErrors]} />
      <Form method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} ref={formRef}>
        {definition.sections.map((section, i) =>
          section.fields.some((f) => shown(f.name)) ? (
            <fieldset key={i} className="form-section">
              <legend className="section-title">{localText(section.title, lang)}</legend>
              {section.fields.filter((f) => shown(f.name)).map((field) => (
                <DefinitionField key={field.name} field={field} value={values[field.name]} error={errorFor(field.name)} register={form.register} attachments={attachments} removable={!only} />
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
