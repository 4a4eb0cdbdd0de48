import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import type { PreviewView } from "~/server/forms/form-preview.server";
import type { previewAction, previewLoader } from "~/server/forms/preview-route.server";
import type { FormDefinition } from "~/core/forms/definition";
import type { FormStateView } from "~/core/forms/visibility";
import type { DraftValues } from "~/core/forms/fields";
import { shownText } from "~/core/text/local-text";
import { ApplicationForm } from "./application-form";
import { ErrorSummary } from "./error-summary";

/** The words around a preview, translated by the page that shows it (they belong to the administration's strings). */
export type PreviewTexts = { accepted: string | null; exitTitle: string; filesNote: string };

export type PreviewProps = {
  definition: FormDefinition;
  today: string;
  values: DraftValues;
  visibility: FormStateView | undefined;
  errors: Record<string, string>;
  exit: { vi: string; en?: string } | null;
  texts: PreviewTexts;
};

/**
 * A form as a citizen meets it, made by the citizen's own form component, for the form builder's
 * preview: what the last "Continue" found comes first (accepted with its fee, or the exit it leads to).
 */
export function FormPreview({ definition, today, values, visibility, errors, exit, texts }: PreviewProps) {
  const { t, i18n } = useTranslation();
  const message = exit ? shownText(exit, i18n.language) : null;
  return (
    <>
      {texts.accepted ? (
        <p className="notice" role="status">
          {texts.accepted}
        </p>
      ) : null}
      {message ? (
        <div className="notice" role="status">
          <h2>{texts.exitTitle}</h2>
          <p lang={message.lang}>{message.text}</p>
        </div>
      ) : null}
      {errors._form ? <ErrorSummary errors={[{ message: t(errors._form) }]} /> : null}
      <p className="hint">{texts.filesNote}</p>
      <ApplicationForm definition={definition} today={today} values={values} visibility={visibility} serverErrors={errors} attachments={[]} />
    </>
  );
}

/** The form builder's preview page, with or without JavaScript (its routes differ only in that). */
export function FormPreviewPage({ view }: { view: PreviewView }) {
  return (
    <>
      <p className="caption">{view.caption}</p>
      <h1>{view.heading}</h1>
      <p>{view.intro}</p>
      <p className="button-group">
        <Link to={view.back.to} reloadDocument>
          {view.back.label}
        </Link>
        <Link to={view.other.to} reloadDocument>
          {view.other.label}
        </Link>
      </p>
      {view.problems ? (
        <div className="error-summary" role="alert" aria-labelledby="problems-title">
          <h2 id="problems-title">{view.problems.title}</h2>
          <ul>
            {view.problems.items.map((p, i) => (
              <li key={i}>
                <Link to={p.to} reloadDocument>
                  {p.text}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {view.form ? <FormPreview {...view.form} /> : null}
    </>
  );
}

/** Both preview routes' page: the answer to the last post, or the form as loaded. */
export function FormPreviewRoute() {
  const loaded = useLoaderData<typeof previewLoader>();
  const answered = useActionData<typeof previewAction>();
  return <FormPreviewPage view={answered ?? loaded} />;
}

export const previewMeta: MetaFunction<(args: LoaderFunctionArgs) => ReturnType<typeof previewLoader>> = ({ data: d }) => [{ title: d?.title ?? "" }];
