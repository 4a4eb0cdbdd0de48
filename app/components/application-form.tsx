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
import type { LiveRows } from "./answers-watch";

type Props = {
  definition: FormDefinition;
  today: string;
  values: DraftValues;
  /**
   * Which fields the values show and require (application.server.ts formVisibility), for forms with
   * rules; without it every field is shown with its own `required`. The browser follows changes itself.
   */
  visibility?: FormStateView;
  /**
   * The line said under a field's label, by field name: where its value was filled in from (its `prefill`).
   * Made by the page, so pages without prefill carry none of it (the form's pages are at their script budget).
   */
  marks?: Readonly<Record<string, string>>;
  /** Fields holding a verified value (core/forms/verified-prefill.ts): read-only. */
  locked?: readonly string[];
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
/**
 * The check and what follows the answers (react-hook-form, zod, the rules, the schema): the form works
 * without it and the server checks every post anyway. If it cannot be fetched, the post goes to the server.
 */
const loadControls = loadOnce(() => import("./answers-control"));
type Controls = NonNullable<Awaited<ReturnType<typeof loadControls>>>;
type Live = { module: Controls; answers: ReturnType<Controls["createAnswersControl"]> };

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
  marks,
  locked,
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
  const submit = useSubmit();
  const navigation = useNavigation();
  // Which fields the answers show and require: as the server decided for the page, then the form's own after each change.
  const [state, setState] = useState<FormStateView | undefined>(visibility);
  useEffect(() => setState(visibility), [visibility]);
  // Groups whose rows the citizen added or removed here: drawn from the control's field arrays since.
  const [liveRows, setLiveRows] = useState<Record<string, LiveRows>>({});
  const [movedRows, setMovedRows] = useState<ReadonlySet<string>>(new Set());
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
    // The server's findings on a group whose rows moved here no longer name the right rows.
    const key = clientErrors?.[name] ?? (movedRows.has(name.split(".")[0] ?? name) ? undefined : serverErrors[name]);
    const field = fieldNamed(name);
    return key && field ? t(key, fieldErrorParams(field, today, lang)) : key ? t(key) : undefined;
  };
  const rowsOf = (name: string) => {
    const moved = movedRows.has(name) ? liveRows[name] : undefined;
    return moved ? moved.rows.map((r) => r.values) : shownRows(definition, values, name, state?.required[name] ?? true);
  };
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

  // The react-hook-form control of this page's form (answers-control.ts), made from the answers on
  // the page once its code has loaded; made anew when the server sends the page again.
  const formRef = useRef<HTMLFormElement>(null);
  const live = useRef<Live | null>(null);
  const [watching, setWatching] = useState<Live | null>(null);
  const focusRow = useRef<{ group: string; row: number } | null>(null);
  // The check reads what the page shows now, not when the control was made.
  const shownNowRef = useRef(shown);
  shownNowRef.current = shown;
  const requiredRef = useRef(requiredNow);
  requiredRef.current = requiredNow;
  useEffect(() => {
    live.current = null;
    setWatching(null);
    setLiveRows({});
    setMovedRows(new Set());
  }, [values]);
  const onlyBase = only ? { names: only, base: values } : undefined;

  const start = async (): Promise<Live | null> => {
    if (live.current) return live.current;
    const loaded = await loadControls();
    const form = formRef.current;
    if (!loaded || !form) return null;
    live.current ??= {
      module: loaded,
      answers: loaded.createAnswersControl({
        definition,
        today,
        only: onlyBase,
        shown: (name) => shownNowRef.current(name),
        // A requested document must be replaced (supplement); otherwise a required one must be on file or chosen.
        missingFile: (f) =>
          only
            ? "supplement.errors.new_file_required"
            : requiredRef.current(f) && !attachments.some((a) => a.fieldName === f.name)
              ? "form.errors.file_required"
              : null,
        defaultValues: postedAnswers(definition, new FormData(form), onlyBase),
      }),
    };
    setWatching(live.current);
    return live.current;
  };
  const runCheck = async (current: Live, form: HTMLFormElement) => {
    const check = ++latestCheck.current;
    const found = await current.answers.check(() => new FormData(form));
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
    void start()
      .then(async (current) => {
        if (!current) return true;
        // An answer that leads out of the online procedure goes to the server, which says where to go.
        const answers = postedAnswers(definition, new FormData(form), onlyBase);
        if (definition.exits?.length && current.module.exitsNow(definition, today, answers)) return true;
        return Object.keys(await runCheck(current, form)).length === 0;
      })
      .catch(() => true) // a check that fails to run leaves the decision to the server
      .then((send) => {
        if (send) submit(submitter, { method: "post", encType: "multipart/form-data" });
      });
  };

  // Fetching starts when the citizen first enters the form, so the check is ready by the submit.
  const warm = () => void start().catch(() => null);

  // Each change is taken into the control (its watch re-reads the rules); once a check has shown
  // errors, each change re-checks, so a fixed field's message goes away.
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    void start()
      .then((current) => {
        if (!current) return null;
        current.answers.sync(postedAnswers(definition, new FormData(form), onlyBase));
        return clientErrors === null ? null : runCheck(current, form);
      })
      .catch(() => null);
  };

  /** A group's rows changed here (useFieldArray): drawn from the control from now on; re-checked if a check has run. */
  const rowsMoved = (group: string, move: (rows: LiveRows) => void, focus: number) => {
    const rows = liveRows[group];
    const form = formRef.current;
    if (!rows || !form) return false;
    // The rows as the page shows them first (a group that appeared after an answer has its fewest rows).
    live.current?.answers.sync(postedAnswers(definition, new FormData(form), onlyBase));
    focusRow.current = { group, row: focus };
    setMovedRows((moved) => new Set([...moved, group]));
    move(rows);
    return true;
  };
  useEffect(() => {
    const target = focusRow.current;
    if (!target) return;
    focusRow.current = null;
    // GOV.UK "add another": the new row's first box; after a removal, the row now in its place (or the group).
    const row = document.getElementById(`${fieldId(target.group)}-row-${target.row}`);
    const input = row?.querySelector<HTMLElement>("input, select, textarea");
    (input ?? row ?? document.getElementById(fieldId(target.group)))?.focus();
    const form = formRef.current;
    if (form && clientErrors !== null && live.current) void runCheck(live.current, form).catch(() => null);
    // Run once the field array has told its new rows (onRows), so the row to focus is on the page.
  }, [liveRows]);

  return (
    <>
      {savedNotice && clientErrors === null ? (
        <p className="notice" role="status">
          {savedNotice}
        </p>
      ) : null}
      <ErrorSummary errors={[...summary, ...extraErrors]} />
      <Form ref={formRef} method="post" encType="multipart/form-data" noValidate onSubmit={onSubmit} onChange={onChange} onFocus={warm}>
        {watching ? (
          <watching.module.AnswersWatch
            formControl={watching.answers.formControl}
            options={watching.answers.options}
            definition={definition}
            today={today}
            onState={visibility ? setState : undefined}
            onRows={(group, rows) => setLiveRows((all) => ({ ...all, [group]: rows }))}
          />
        ) : null}
        {definition.sections.map((section, i) =>
          section.fields.some((f) => shown(f.name)) ? (
            <fieldset key={i} className="form-section">
              <legend className="section-title">{localText(section.title, lang)}</legend>
              {section.fields
                .filter((f) => shown(f.name))
                .map((field) =>
                  field.type === "group" ? (
                    <GroupFieldset
                      key={field.name}
                      group={{ ...field, required: requiredNow(field) }}
                      rows={rowsOf(field.name)}
                      rowKeys={movedRows.has(field.name) ? liveRows[field.name]?.rows.map((r) => r.key) : undefined}
                      errorFor={errorFor}
                      onAdd={liveRows[field.name] ? (rows) => rowsMoved(field.name, (r) => r.add(), rows) : undefined}
                      onRemove={liveRows[field.name] ? (row, rows) => rowsMoved(field.name, (r) => r.remove(row), Math.min(row, rows - 2)) : undefined}
                    />
                  ) : (
                    <DefinitionField
                      key={field.name}
                      field={{ ...field, required: requiredNow(field) }}
                      value={scalar(values[field.name])}
                      error={errorFor(field.name)}
                      attachments={attachments}
                      removable={!only}
                      mark={marks?.[field.name]}
                      locked={locked?.includes(field.name)}
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
