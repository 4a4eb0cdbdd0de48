import { Form, Link, useActionData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { problemLine, type BuilderProblem, type Message } from "~/core/forms/builder";
import type { BuilderAnswer } from "~/server/forms/builder-edit.server";
import type { BuilderPage, RuleView } from "~/server/forms/builder-page.server";

/**
 * The form builder's controls (issue 16), shared by its views: inputs named and identified alike so
 * the error summary links to them, texts in two languages side by side, the rule editor, and the
 * draft's version that every post carries. Plain forms: everything works without JavaScript.
 */
export type Loaded = BuilderPage;
export type Typed = Record<string, string | string[]> | null;

/** An error or problem text in the administrator's language: an i18n key, or a message with its parameters. */
export function say(t: TFunction, m: string | Message | undefined): string | undefined {
  if (m === undefined) return undefined;
  return typeof m === "string" ? t(m, { defaultValue: m }) : t(m.key, m.params ?? {});
}

/** What a refused post brings back: its errors and what was typed. */
export function useAnswer() {
  const answer = useActionData<BuilderAnswer>();
  const typed: Typed = answer?.values ?? null;
  const errors: Errors = answer?.errors ?? {};
  return { typed, errors, problems: answer?.problems ?? null };
}
export type Errors = Record<string, string | Message>;

export const typedText = (typed: Typed, name: string, fallback: string): string => {
  const v = typed?.[name];
  return typeof v === "string" ? v : Array.isArray(v) ? (v[0] ?? fallback) : fallback;
};

/** Every post carries the draft's version it was made on: a post over someone else's save is refused. */
export function Version({ loaded }: { loaded: Loaded }) {
  return <input type="hidden" name="updatedAt" value={loaded.draft?.updatedAt ?? ""} />;
}

/** A form of one button posting an intent on the draft's version. */
export function IntentButton({ loaded, intent, label, className }: { loaded: Loaded; intent: string; label: string; className: string }) {
  return (
    <Form method="post">
      <Version loaded={loaded} />
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </Form>
  );
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={`${id}-error`} className="error-message">
      {message}
    </span>
  ) : null;
}

/** A labelled input with its error (and hint), named and identified by `name` so the error summary can link to it. */
export function Input({
  name,
  label,
  value,
  hint,
  error,
  inputMode,
  lang,
}: {
  name: string;
  label: string;
  value: string;
  hint?: string;
  error?: string;
  inputMode?: "numeric";
  lang?: string;
}) {
  const described = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`form-group${error ? " form-group--error" : ""}`}>
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <span id={`${name}-hint`} className="hint">
          {hint}
        </span>
      ) : null}
      <FieldError id={name} message={error} />
      <input
        id={name}
        name={name}
        type="text"
        defaultValue={value}
        aria-describedby={described}
        aria-invalid={error ? true : undefined}
        inputMode={inputMode}
        lang={lang}
        autoComplete="off"
      />
    </div>
  );
}

/** A text in Vietnamese and English side by side, the English marked missing when empty. */
export function LocalTextInputs({
  prefix,
  legend,
  vi,
  en,
  typed,
  errors,
  optionalVi,
}: {
  prefix: string;
  legend: string;
  vi: string;
  en: string;
  typed: Typed;
  errors: Errors;
  optionalVi?: boolean;
}) {
  const { t } = useTranslation();
  const err = (name: string) => say(t, errors[name]);
  const enValue = typedText(typed, `${prefix}_en`, en);
  return (
    <fieldset className="form-group local-text">
      <legend>{legend}</legend>
      <div className="local-text__pair">
        <Input
          name={`${prefix}_vi`}
          label={optionalVi ? t("form_admin.text.vi_optional") : t("form_admin.text.vi")}
          value={typedText(typed, `${prefix}_vi`, vi)}
          error={err(`${prefix}_vi`)}
          lang="vi"
        />
        <Input
          name={`${prefix}_en`}
          label={t("form_admin.text.en")}
          value={enValue}
          hint={enValue === "" && (vi !== "" || !optionalVi) ? t("form_admin.text.en_missing") : undefined}
          error={err(`${prefix}_en`)}
          lang="en"
        />
      </div>
    </fieldset>
  );
}

/** A rule: none, a simple condition (field, operator, value) or JsonLogic typed as JSON. */
export function RuleEditor({
  prefix,
  legend,
  noneLabel,
  rule,
  candidates,
  typed,
  errors,
}: {
  prefix: string;
  legend: string;
  noneLabel?: string;
  rule: RuleView;
  candidates: { name: string; label: string }[];
  typed: Typed;
  errors: Errors;
}) {
  const { t } = useTranslation();
  const err = (name: string) => say(t, errors[name]);
  const mode = typedText(typed, `${prefix}_mode`, rule.mode);
  const modes = [
    ...(noneLabel ? [["none", noneLabel] as const] : []),
    ["simple", t("form_admin.rule.simple")] as const,
    ["json", t("form_admin.rule.json")] as const,
  ];
  const selectedField = typedText(typed, `${prefix}_field`, rule.condition?.field ?? "");
  return (
    <fieldset className="form-group rule-editor">
      <legend>{legend}</legend>
      <FieldError id={`${prefix}_mode`} message={err(`${prefix}_mode`)} />
      {modes.map(([value, label], i) => (
        <div className="choice" key={value}>
          <input
            id={i === 0 ? `${prefix}_mode` : `${prefix}_mode_${value}`}
            type="radio"
            name={`${prefix}_mode`}
            value={value}
            defaultChecked={mode === value}
          />
          <label htmlFor={i === 0 ? `${prefix}_mode` : `${prefix}_mode_${value}`}>{label}</label>
        </div>
      ))}
      <div className="rule-editor__simple">
        <div className={`form-group${err(`${prefix}_field`) ? " form-group--error" : ""}`}>
          <label htmlFor={`${prefix}_field`}>{t("form_admin.rule.field")}</label>
          <FieldError id={`${prefix}_field`} message={err(`${prefix}_field`)} />
          <select id={`${prefix}_field`} name={`${prefix}_field`} defaultValue={selectedField}>
            <option value="">{t("form_admin.rule.choose_field")}</option>
            {candidates.map((c) => (
              <option key={c.name} value={c.name}>
                {c.label} ({c.name})
              </option>
            ))}
            {selectedField && !candidates.some((c) => c.name === selectedField) ? <option value={selectedField}>{selectedField}</option> : null}
          </select>
        </div>
        <div className={`form-group${err(`${prefix}_op`) ? " form-group--error" : ""}`}>
          <label htmlFor={`${prefix}_op`}>{t("form_admin.rule.op")}</label>
          <FieldError id={`${prefix}_op`} message={err(`${prefix}_op`)} />
          <select id={`${prefix}_op`} name={`${prefix}_op`} defaultValue={typedText(typed, `${prefix}_op`, rule.condition?.op ?? "eq")}>
            {["eq", "ne", "gt", "ge", "lt", "le", "one_of", "contains", "answered", "not_answered"].map((op) => (
              <option key={op} value={op}>
                {t(`form_admin.rule.ops.${op}`)}
              </option>
            ))}
          </select>
        </div>
        <Input
          name={`${prefix}_value`}
          label={t("form_admin.rule.value")}
          hint={t("form_admin.rule.value_hint")}
          value={typedText(typed, `${prefix}_value`, rule.condition?.value ?? "")}
          error={err(`${prefix}_value`)}
        />
      </div>
      <div className={`form-group${err(`${prefix}_json`) ? " form-group--error" : ""}`}>
        <label htmlFor={`${prefix}_json`}>{t("form_admin.rule.json_label")}</label>
        <span id={`${prefix}_json-hint`} className="hint">
          {t("form_admin.rule.json_hint")}
        </span>
        <FieldError id={`${prefix}_json`} message={err(`${prefix}_json`)} />
        <textarea
          id={`${prefix}_json`}
          name={`${prefix}_json`}
          rows={3}
          defaultValue={typedText(typed, `${prefix}_json`, rule.json)}
          aria-describedby={[`${prefix}_json-hint`, err(`${prefix}_json`) ? `${prefix}_json-error` : null].filter(Boolean).join(" ")}
          spellCheck={false}
          className="code-input"
        />
      </div>
    </fieldset>
  );
}

/** Problems that stop publishing, each in the administrator's language and a link to the field or section it is about. */
export function ProblemList({ problems }: { problems: BuilderProblem[] }) {
  const { t } = useTranslation();
  const target = (p: BuilderProblem) => (p.path !== undefined ? `?field=${p.path}` : p.section !== undefined ? `?section=${p.section}` : null);
  return (
    <ul>
      {problems.map((p, i) => {
        const to = target(p);
        const line = problemLine(p, (key, params) => t(key, params ?? {}));
        return <li key={i}>{to ? <Link to={to}>{line}</Link> : line}</li>;
      })}
    </ul>
  );
}

/** The problems a refused publish brings back, at the top of the page. */
export function Problems({ problems, title }: { problems: BuilderProblem[]; title: string }) {
  return (
    <div className="error-summary" role="alert" aria-labelledby="problems-title">
      <h2 id="problems-title">{title}</h2>
      <ProblemList problems={problems} />
    </div>
  );
}

export function BackToForm() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to="?">{t("form_admin.edit.back_to_form")}</Link>
    </p>
  );
}

/** A row's small buttons (move up, move down, remove), each named with what it acts on. */
export function RowButtons({ loaded, intents, of }: { loaded: Loaded; intents: { intent: string; label: string; warning?: boolean }[]; of: string }) {
  return (
    <Form method="post" className="inline-form row-buttons">
      <Version loaded={loaded} />
      {intents.map((b) => (
        <button
          key={b.intent}
          type="submit"
          name="intent"
          value={b.intent}
          className={b.warning ? "button button--small button--warning" : "button button--secondary button--small"}
        >
          {b.label}
          <span className="visually-hidden"> {of}</span>
        </button>
      ))}
    </Form>
  );
}
