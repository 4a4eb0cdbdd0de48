import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, type SummaryError } from "~/components/error-summary";
import type { BuilderProblem } from "~/core/forms/builder";
import { requirePermission } from "~/server/auth/guards.server";
import { builderPage, type RuleView } from "~/server/forms/builder-page.server";
import { editFormDraft } from "~/server/forms/builder-edit.server";
import { notFound } from "~/server/platform/http.server";
import { getT } from "~/server/platform/i18n.server";
import { requireFormData } from "~/server/platform/upload.server";
import { formatDateTime, pickLang } from "~/utils/format";

/**
 * The form builder (issue 16): a procedure's form draft, edited with plain forms that post an
 * `intent` (so every essential edit works without JavaScript), previewed as a citizen sees it, and
 * published once the definition checker finds nothing wrong. One page with four views: the whole
 * form, a section (`?section=`), a field (`?field=0.2`, a group's field `0.2.1`) and an exit (`?exit=`).
 */
export const meta: MetaFunction<typeof loader> = ({ data: d }) => [{ title: d?.title ?? "" }];

const NOTICES = ["saved", "published"] as const;
type Notice = (typeof NOTICES)[number];
const isNotice = (v: string | null): v is Notice => NOTICES.some((n) => n === v);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const url = new URL(request.url);
  const page = await builderPage({ agencyPath: admin.agencyPath, code: params.code ?? "", search: url.searchParams });
  if (!page) notFound();
  const t = await getT(request);
  const notice = url.searchParams.get("notice");
  return { ...page, title: t("form_admin.edit.title", { code: page.procedure.code }), notice: isNotice(notice) ? notice : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requirePermission(request, "procedure:manage");
  const code = params.code ?? "";
  const form = await requireFormData(request);
  const outcome = await editFormDraft({ manager: admin, code, form });
  const here = `/admin/forms/${encodeURIComponent(code)}`;
  switch (outcome.kind) {
    case "not_found":
      return notFound();
    case "saved":
      return redirect(`${here}?${outcome.view ? `${outcome.view}&` : ""}notice=saved`);
    case "published":
      return redirect(`${here}?notice=published`);
    case "invalid":
      return data({ errors: outcome.errors, values: outcome.values, problems: null }, { status: 400 });
    case "problems":
      return data({ errors: { _form: "form_admin.errors.not_publishable" }, values: null, problems: outcome.problems }, { status: 400 });
    case "stale":
      return data({ errors: { _form: "form_admin.errors.stale" }, values: null, problems: null }, { status: 409 });
  }
}

type Loaded = ReturnType<typeof useLoaderData<typeof loader>>;
type Typed = Record<string, string | string[]> | null;

/** What a refused post brings back: its errors and what was typed. */
function useAnswer() {
  const answer = useActionData<typeof action>();
  const typed: Typed = answer?.values ?? null;
  const errors: Record<string, string> = answer?.errors ?? {};
  return { typed, errors, problems: answer?.problems ?? null };
}

const typedText = (typed: Typed, name: string, fallback: string): string => {
  const v = typed?.[name];
  return typeof v === "string" ? v : Array.isArray(v) ? (v[0] ?? fallback) : fallback;
};

export default function FormBuilder() {
  const { t, i18n } = useTranslation();
  const loaded = useLoaderData<typeof loader>();
  const { errors, problems } = useAnswer();
  const p = loaded.procedure;
  const summary: SummaryError[] = Object.entries(errors).map(([id, key]) => (id === "_form" ? { message: t(key) } : { fieldId: id, message: t(key) }));
  return (
    <>
      <p className="caption">{t("form_admin.edit.title", { code: p.code })}</p>
      <h1>{pickLang(p.nameVi, p.nameEn, i18n.language)}</h1>
      {loaded.notice ? (
        <p className="notice" role="status">
          {t(`form_admin.notice.${loaded.notice}`)}
        </p>
      ) : null}
      <ErrorSummary errors={summary} />
      {problems ? <Problems problems={problems} title={t("form_admin.publish.refused")} /> : null}
      {loaded.draft === null ? <NoDraft loaded={loaded} /> : <DraftViews loaded={loaded} />}
    </>
  );
}

function NoDraft({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{loaded.published ? t("form_admin.edit.published_version", { version: loaded.published.version }) : t("form_admin.edit.no_published")}</p>
      <Form method="post">
        <p>{loaded.published ? t("form_admin.edit.start_from_published") : t("form_admin.edit.start_empty")}</p>
        <button type="submit" name="intent" value="start" className="button">
          {t("form_admin.edit.start")}
        </button>
      </Form>
      <p>
        <Link to="/admin/forms">{t("form_admin.edit.back_to_list")}</Link>
      </p>
    </>
  );
}

function DraftViews({ loaded }: { loaded: Loaded }) {
  const view = loaded.view;
  if (view.kind === "field") return <FieldView loaded={loaded} view={view.field} />;
  if (view.kind === "section") return <SectionView loaded={loaded} view={view.section} />;
  if (view.kind === "exit") return <ExitView loaded={loaded} view={view.exit} />;
  return <Overview loaded={loaded} />;
}

/** Every post carries the draft's version it was made on: a post over someone else's save is refused. */
function Version({ loaded }: { loaded: Loaded }) {
  return <input type="hidden" name="updatedAt" value={loaded.draft?.updatedAt ?? ""} />;
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <span id={`${id}-error`} className="error-message">
      {message}
    </span>
  ) : null;
}

/** A labelled input with its error (and hint), named and identified by `name` so the error summary can link to it. */
function Input({
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
function LocalTextInputs({
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
  errors: Record<string, string>;
  optionalVi?: boolean;
}) {
  const { t } = useTranslation();
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
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
function RuleEditor({
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
  errors: Record<string, string>;
}) {
  const { t } = useTranslation();
  const err = (name: string) => (errors[name] ? t(errors[name], { defaultValue: errors[name] }) : undefined);
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

/** Problems that stop publishing, each a link to the field or section it is about. */
function Problems({ problems, title }: { problems: BuilderProblem[]; title: string }) {
  const { t } = useTranslation();
  const target = (p: BuilderProblem) => (p.path !== undefined ? `?field=${p.path}` : p.section !== undefined ? `?section=${p.section}` : null);
  return (
    <div className="error-summary" role="alert" aria-labelledby="problems-title">
      <h2 id="problems-title">{title}</h2>
      <ul>
        {problems.map((p, i) => {
          const to = target(p);
          const message = `${p.property ? `${p.property}: ` : ""}${p.message}`;
          return (
            <li key={i}>
              {to ? (
                <Link to={to}>
                  {p.path !== undefined ? t("form_admin.problems.field", { path: p.path }) : t("form_admin.problems.section", { n: (p.section ?? 0) + 1 })} —{" "}
                  {message}
                </Link>
              ) : (
                message
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function BackToForm() {
  const { t } = useTranslation();
  return (
    <p>
      <Link to="?">{t("form_admin.edit.back_to_form")}</Link>
    </p>
  );
}

/** A row's small buttons (move up, move down, remove), each named with what it acts on. */
function RowButtons({ loaded, intents, of }: { loaded: Loaded; intents: { intent: string; label: string; warning?: boolean }[]; of: string }) {
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

function Overview({ loaded }: { loaded: Loaded }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const draft = loaded.overview;
  const { typed, errors } = useAnswer();
  if (!draft || !loaded.draft) return null;
  const code = encodeURIComponent(loaded.procedure.code);
  const err = (name: string) => (errors[name] ? t(errors[name], { defaultValue: errors[name] }) : undefined);
  const typeLabel = (type: string) => t(`form_admin.types.${type}`, { defaultValue: type });
  return (
    <>
      <dl className="summary-list">
        <div>
          <dt>{t("form_admin.edit.published")}</dt>
          <dd>{loaded.published ? t("form_admin.list.version_n", { version: loaded.published.version }) : t("form_admin.list.not_published")}</dd>
        </div>
        <div>
          <dt>{t("form_admin.edit.draft")}</dt>
          <dd>
            {t("form_admin.edit.draft_saved_by", { at: formatDateTime(loaded.draft.updatedAt, lang), name: loaded.draft.updatedByName ?? "—" })}
            {loaded.draft.basedOnVersion !== null ? ` ${t("form_admin.edit.based_on", { version: loaded.draft.basedOnVersion })}` : ""}
          </dd>
        </div>
      </dl>
      <p className="button-group">
        <Link to={`/admin/forms/${code}/preview`} className="button button--secondary">
          {t("form_admin.preview.with_js")}
        </Link>
        <Link to={`/admin/forms/${code}/preview/no-script`} className="button button--secondary" reloadDocument>
          {t("form_admin.preview.without_js")}
        </Link>
      </p>

      {draft.sections.map((section, s) => (
        <section key={s} aria-labelledby={`section-${s}-title`} className="builder-section">
          <h2 id={`section-${s}-title`}>{t("form_admin.section.heading", { n: s + 1, title: section.title || t("form_admin.section.untitled") })}</h2>
          {section.visibility ? <p className="hint">{t("form_admin.section.shown_when", { rule: section.visibility })}</p> : null}
          <p>
            <Link to={`?section=${s}`}>
              {t("form_admin.section.edit")}
              <span className="visually-hidden"> {t("form_admin.section.n", { n: s + 1 })}</span>
            </Link>
          </p>
          <RowButtons
            loaded={loaded}
            of={t("form_admin.section.n", { n: s + 1 })}
            intents={[
              ...(s > 0 ? [{ intent: `section-up:${s}`, label: t("form_admin.move_up") }] : []),
              ...(s < draft.sections.length - 1 ? [{ intent: `section-down:${s}`, label: t("form_admin.move_down") }] : []),
              { intent: `section-remove:${s}`, label: t("form_admin.section.remove"), warning: true },
            ]}
          />
          {section.fields.length === 0 ? (
            <p>{t("form_admin.section.no_fields")}</p>
          ) : (
            <ul className="builder-fields">
              {section.fields.map((f) => (
                <li key={f.path}>
                  <p>
                    <strong>{f.label || t("form_admin.field.unlabelled")}</strong> — {typeLabel(f.type)} · <code>{f.name}</code>
                    {f.required ? ` · ${t(`form_admin.field.required_${f.required}`)}` : ""}
                    {f.visible ? ` · ${t("form_admin.field.has_condition")}` : ""}
                    {f.subCount !== null ? ` · ${t("form_admin.field.sub_count", { count: f.subCount })}` : ""}
                  </p>
                  <Link to={`?field=${f.path}`}>
                    {t("form_admin.field.edit")}
                    <span className="visually-hidden"> {f.label || f.name}</span>
                  </Link>
                  <RowButtons
                    loaded={loaded}
                    of={f.label || f.name}
                    intents={[
                      ...(f.first ? [] : [{ intent: `field-up:${f.path}`, label: t("form_admin.move_up") }]),
                      ...(f.last ? [] : [{ intent: `field-down:${f.path}`, label: t("form_admin.move_down") }]),
                      { intent: `field-remove:${f.path}`, label: t("form_admin.field.remove"), warning: true },
                    ]}
                  />
                </li>
              ))}
            </ul>
          )}
          <Form method="post" className="builder-add">
            <Version loaded={loaded} />
            <div className={`form-group${err(`new_type_${s}`) ? " form-group--error" : ""}`}>
              <label htmlFor={`new_type_${s}`}>{t("form_admin.field.new_type", { n: s + 1 })}</label>
              <FieldError id={`new_type_${s}`} message={err(`new_type_${s}`)} />
              <select id={`new_type_${s}`} name={`new_type_${s}`} defaultValue="text">
                {loaded.types.map((type) => (
                  <option key={type.type} value={type.type}>
                    {typeLabel(type.type)}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" name="intent" value={`field-add:${s}`} className="button button--secondary">
              {t("form_admin.field.add")}
              <span className="visually-hidden"> {t("form_admin.section.to_n", { n: s + 1 })}</span>
            </button>
          </Form>
        </section>
      ))}

      <Form method="post" aria-labelledby="add-section-title" className="builder-add">
        <h2 id="add-section-title">{t("form_admin.section.add_title")}</h2>
        <Version loaded={loaded} />
        <LocalTextInputs prefix="title" legend={t("form_admin.section.title")} vi="" en="" typed={typed} errors={errors} />
        <button type="submit" name="intent" value="section-add" className="button button--secondary">
          {t("form_admin.section.add")}
        </button>
      </Form>

      <FeeForm loaded={loaded} />

      <section aria-labelledby="exits-title">
        <h2 id="exits-title">{t("form_admin.exit.title")}</h2>
        <p>{t("form_admin.exit.intro")}</p>
        {draft.exits.length > 0 ? (
          <ul>
            {draft.exits.map((e, i) => (
              <li key={i}>
                <Link to={`?exit=${i}`}>{t("form_admin.exit.edit", { id: e.id })}</Link>
                {e.message ? ` — ${e.message}` : ""}
              </li>
            ))}
          </ul>
        ) : null}
        <Form method="post">
          <Version loaded={loaded} />
          <button type="submit" name="intent" value="exit-add" className="button button--secondary">
            {t("form_admin.exit.add")}
          </button>
        </Form>
      </section>

      <section aria-labelledby="english-title">
        <h2 id="english-title">{t("form_admin.english.title")}</h2>
        {loaded.missingEnglish.length === 0 ? (
          <p>{t("form_admin.english.none")}</p>
        ) : (
          <ul>
            {loaded.missingEnglish.map((m, i) => (
              <li key={i}>
                {m.path !== undefined ? (
                  <Link to={`?field=${m.path}`}>{t(`form_admin.english.${m.what}`, { text: m.vi })}</Link>
                ) : m.section !== undefined ? (
                  <Link to={`?section=${m.section}`}>{t(`form_admin.english.${m.what}`, { text: m.vi })}</Link>
                ) : (
                  t(`form_admin.english.${m.what}`, { text: m.vi })
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="publish-title">
        <h2 id="publish-title">{t("form_admin.publish.title")}</h2>
        {loaded.problems.length > 0 ? (
          <>
            <p>{t("form_admin.publish.problems_intro")}</p>
            <ul>
              {loaded.problems.map((p, i) => (
                <li key={i}>
                  {p.path !== undefined ? (
                    <Link
                      to={`?field=${p.path}`}
                    >{`${t("form_admin.problems.field", { path: p.path })} — ${p.property ? `${p.property}: ` : ""}${p.message}`}</Link>
                  ) : p.section !== undefined ? (
                    <Link to={`?section=${p.section}`}>{`${t("form_admin.problems.section", { n: p.section + 1 })} — ${p.message}`}</Link>
                  ) : (
                    `${p.property ? `${p.property}: ` : ""}${p.message}`
                  )}
                </li>
              ))}
            </ul>
          </>
        ) : (
          <p>{t("form_admin.publish.ready")}</p>
        )}
        <Form method="post">
          <Version loaded={loaded} />
          <button type="submit" name="intent" value="publish" className="button">
            {t("form_admin.publish.button")}
          </button>
        </Form>
      </section>
      <p>
        <Link to="/admin/forms">{t("form_admin.edit.back_to_list")}</Link>
      </p>
    </>
  );
}

function FeeForm({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  const fee = loaded.fee;
  if (!fee) return null;
  const err = (name: string) => (errors[name] ? t(errors[name], { defaultValue: errors[name] }) : undefined);
  const mode = typedText(typed, "fee_mode", fee.mode);
  const modes = [
    ["none", t("form_admin.fee.none")],
    ["per_unit", t("form_admin.fee.per_unit")],
    ["json", t("form_admin.fee.json")],
  ] as const;
  return (
    <Form method="post" aria-labelledby="fee-title" key={`fee-${loaded.draft?.updatedAt}`}>
      <h2 id="fee-title">{t("form_admin.fee.title")}</h2>
      <p>{t("form_admin.fee.intro")}</p>
      <Version loaded={loaded} />
      <fieldset className="form-group">
        <legend>{t("form_admin.fee.legend")}</legend>
        {modes.map(([value, label], i) => (
          <div className="choice" key={value}>
            <input id={i === 0 ? "fee_mode" : `fee_mode_${value}`} type="radio" name="fee_mode" value={value} defaultChecked={mode === value} />
            <label htmlFor={i === 0 ? "fee_mode" : `fee_mode_${value}`}>{label}</label>
          </div>
        ))}
      </fieldset>
      <fieldset className="form-group">
        <legend>{t("form_admin.fee.per_unit_legend")}</legend>
        <div className={`form-group${err("fee_field") ? " form-group--error" : ""}`}>
          <label htmlFor="fee_field">{t("form_admin.fee.field")}</label>
          <FieldError id="fee_field" message={err("fee_field")} />
          <select id="fee_field" name="fee_field" defaultValue={typedText(typed, "fee_field", fee.perUnit?.field ?? "")}>
            <option value="">{t("form_admin.rule.choose_field")}</option>
            {fee.numberFields.map((f) => (
              <option key={f.name} value={f.name}>
                {f.label} ({f.name})
              </option>
            ))}
          </select>
        </div>
        <Input
          name="fee_unit"
          label={t("form_admin.fee.unit")}
          inputMode="numeric"
          value={typedText(typed, "fee_unit", fee.perUnit ? String(fee.perUnit.unitVnd) : "")}
          error={err("fee_unit")}
        />
        <Input
          name="fee_from"
          label={t("form_admin.fee.from")}
          hint={t("form_admin.fee.from_hint")}
          inputMode="numeric"
          value={typedText(typed, "fee_from", fee.perUnit ? String(fee.perUnit.fromUnit) : "1")}
          error={err("fee_from")}
        />
      </fieldset>
      <div className={`form-group${err("fee_json") ? " form-group--error" : ""}`}>
        <label htmlFor="fee_json">{t("form_admin.fee.json_label")}</label>
        <span id="fee_json-hint" className="hint">
          {t("form_admin.fee.json_hint")}
        </span>
        <FieldError id="fee_json" message={err("fee_json")} />
        <textarea
          id="fee_json"
          name="fee_json"
          rows={3}
          defaultValue={typedText(typed, "fee_json", fee.json)}
          aria-describedby="fee_json-hint"
          spellCheck={false}
          className="code-input"
        />
      </div>
      <button type="submit" name="intent" value="fee-save" className="button button--secondary">
        {t("form_admin.fee.save")}
      </button>
    </Form>
  );
}

function SectionView({ loaded, view }: { loaded: Loaded; view: Extract<Loaded["view"], { kind: "section" }>["section"] }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  return (
    <>
      <BackToForm />
      <h2>{t("form_admin.section.heading", { n: view.index + 1, title: view.title.vi || t("form_admin.section.untitled") })}</h2>
      <Form method="post" key={loaded.draft?.updatedAt} noValidate>
        <Version loaded={loaded} />
        <LocalTextInputs prefix="title" legend={t("form_admin.section.title")} vi={view.title.vi} en={view.title.en ?? ""} typed={typed} errors={errors} />
        <RuleEditor
          prefix="visible"
          legend={t("form_admin.section.visible_legend")}
          noneLabel={t("form_admin.rule.always")}
          rule={view.visible}
          candidates={view.candidates}
          typed={typed}
          errors={errors}
        />
        <button type="submit" name="intent" value={`section-save:${view.index}`} className="button">
          {t("form_admin.section.save")}
        </button>
      </Form>
    </>
  );
}

function ExitView({ loaded, view }: { loaded: Loaded; view: Extract<Loaded["view"], { kind: "exit" }>["exit"] }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  const err = (name: string) => (errors[name] ? t(errors[name]) : undefined);
  return (
    <>
      <BackToForm />
      <h2>{t("form_admin.exit.edit", { id: view.id })}</h2>
      <p>{t("form_admin.exit.intro")}</p>
      <Form method="post" key={loaded.draft?.updatedAt} noValidate>
        <Version loaded={loaded} />
        <Input name="id" label={t("form_admin.exit.id")} hint={t("form_admin.exit.id_hint")} value={typedText(typed, "id", view.id)} error={err("id")} />
        <RuleEditor prefix="when" legend={t("form_admin.exit.when")} rule={view.when} candidates={view.candidates} typed={typed} errors={errors} />
        <LocalTextInputs prefix="message" legend={t("form_admin.exit.message")} vi={view.message.vi} en={view.message.en ?? ""} typed={typed} errors={errors} />
        <div className="button-group">
          <button type="submit" name="intent" value={`exit-save:${view.index}`} className="button">
            {t("form_admin.exit.save")}
          </button>
          <button type="submit" name="intent" value={`exit-remove:${view.index}`} className="button button--warning">
            {t("form_admin.exit.remove")}
          </button>
        </div>
      </Form>
    </>
  );
}

function FieldView({ loaded, view }: { loaded: Loaded; view: Extract<Loaded["view"], { kind: "field" }>["field"] }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  const err = (name: string) => (errors[name] ? t(errors[name], { defaultValue: errors[name] }) : undefined);
  const f = view.field;
  const typeLabel = (type: string) => t(`form_admin.types.${type}`, { defaultValue: type });
  const required = typedText(typed, "required", f.required);
  const props: ReactNode[] = view.props.map((p) => {
    const name = `prop_${p.key}`;
    // A property the schema has and the strings do not name yet shows under its own key.
    const label = t(`form_admin.props.${p.key}`, { defaultValue: p.key });
    if (p.kind === "number" || p.kind === "text") {
      const bounds = [
        p.kind === "number" && p.min !== undefined ? t("form_admin.props.min_is", { value: p.min }) : null,
        p.kind === "number" && p.max !== undefined ? t("form_admin.props.max_is", { value: p.max }) : null,
        p.default !== undefined ? t("form_admin.props.default_is", { value: String(p.default) }) : null,
        p.kind === "text" ? t(`form_admin.props_hint.${p.key}`, { defaultValue: "" }) : null,
      ].filter((x): x is string => !!x);
      return (
        <Input
          key={p.key}
          name={name}
          label={label}
          hint={bounds.join(" · ") || undefined}
          value={typedText(typed, name, p.value ?? "")}
          error={err(name)}
          inputMode={p.kind === "number" ? "numeric" : undefined}
        />
      );
    }
    if (p.kind === "local")
      return (
        <LocalTextInputs key={p.key} prefix={name} legend={label} vi={p.local?.vi ?? ""} en={p.local?.en ?? ""} typed={typed} errors={errors} optionalVi />
      );
    if (p.kind === "boolean")
      return (
        <div className="form-group" key={p.key}>
          <div className="choice">
            <input id={name} type="checkbox" name={name} defaultChecked={typed ? typed[name] === "on" : p.value === "true"} />
            <label htmlFor={name}>{label}</label>
          </div>
        </div>
      );
    if (p.kind === "choices") {
      const picked = typed ? (typed[name] ?? []) : (p.values ?? []);
      return (
        <fieldset className="form-group" key={p.key}>
          <legend>{label}</legend>
          {p.choices.map((c, i) => (
            <div className="choice" key={c}>
              <input id={i === 0 ? name : `${name}_${c}`} type="checkbox" name={name} value={c} defaultChecked={picked.includes(c)} />
              <label htmlFor={i === 0 ? name : `${name}_${c}`}>{c}</label>
            </div>
          ))}
        </fieldset>
      );
    }
    if (p.kind === "options")
      return (
        <fieldset className="form-group" key={p.key}>
          <legend>{t("form_admin.options.legend")}</legend>
          <input type="hidden" name="option_count" value={view.options.length} />
          {view.options.length === 0 ? <p>{t("form_admin.options.none")}</p> : null}
          {view.options.map((o, i) => (
            <fieldset key={i} className="builder-option">
              <legend>{t("form_admin.options.n", { n: i + 1 })}</legend>
              <Input
                name={`option_${i}_value`}
                label={t("form_admin.options.value")}
                hint={t("form_admin.options.value_hint")}
                value={typedText(typed, `option_${i}_value`, o.value)}
                error={err(`option_${i}_value`)}
              />
              <LocalTextInputs prefix={`option_${i}`} legend={t("form_admin.options.label")} vi={o.vi} en={o.en} typed={typed} errors={errors} />
              <button type="submit" name="intent" value={`option-remove:${view.path}:${i}`} className="button button--warning">
                {t("form_admin.options.remove", { n: i + 1 })}
              </button>
            </fieldset>
          ))}
          <button type="submit" name="intent" value={`option-add:${view.path}`} className="button button--secondary">
            {t("form_admin.options.add")}
          </button>
        </fieldset>
      );
    if (p.kind === "fields" && view.subFields)
      return (
        <fieldset className="form-group" key={p.key}>
          <legend>{t("form_admin.group.legend")}</legend>
          {view.subFields.length === 0 ? <p>{t("form_admin.group.none")}</p> : null}
          <ul className="builder-fields">
            {view.subFields.map((s, i) => (
              <li key={s.path}>
                <p>
                  <strong>{s.label || t("form_admin.field.unlabelled")}</strong> — {typeLabel(s.type)} · <code>{s.name}</code>
                </p>
                <Link to={`?field=${s.path}`}>
                  {t("form_admin.field.edit")}
                  <span className="visually-hidden"> {s.label || s.name}</span>
                </Link>
                <span className="row-buttons">
                  {i > 0 ? (
                    <button type="submit" name="intent" value={`sub-up:${view.path}:${i}`} className="button button--secondary button--small">
                      {t("form_admin.move_up")}
                      <span className="visually-hidden"> {s.label || s.name}</span>
                    </button>
                  ) : null}
                  {i < (view.subFields?.length ?? 0) - 1 ? (
                    <button type="submit" name="intent" value={`sub-down:${view.path}:${i}`} className="button button--secondary button--small">
                      {t("form_admin.move_down")}
                      <span className="visually-hidden"> {s.label || s.name}</span>
                    </button>
                  ) : null}
                  <button type="submit" name="intent" value={`sub-remove:${view.path}:${i}`} className="button button--small button--warning">
                    {t("form_admin.field.remove")}
                    <span className="visually-hidden"> {s.label || s.name}</span>
                  </button>
                </span>
              </li>
            ))}
          </ul>
          <div className="form-group">
            <label htmlFor="new_sub_type">{t("form_admin.group.new_type")}</label>
            <FieldError id="new_sub_type" message={err("new_sub_type")} />
            <select id="new_sub_type" name="new_sub_type" defaultValue="text">
              {view.subTypes.map((type) => (
                <option key={type} value={type}>
                  {typeLabel(type)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value={`sub-add:${view.path}`} className="button button--secondary">
            {t("form_admin.group.add")}
          </button>
        </fieldset>
      );
    return null;
  });
  return (
    <>
      <BackToForm />
      {view.parent ? (
        <p>
          <Link to={`?field=${view.parent.path}`}>{t("form_admin.group.back", { label: view.parent.label })}</Link>
        </p>
      ) : null}
      <h2>{t("form_admin.field.heading", { label: f.label.vi || f.name })}</h2>
      <Form method="post" key={loaded.draft?.updatedAt} noValidate>
        {/* Enter in a text box saves the field: the first submit button is the form's default (not "Remove option 1"). */}
        <button type="submit" name="intent" value={`field-save:${view.path}`} className="visually-hidden" tabIndex={-1} aria-hidden="true">
          {t("form_admin.field.save")}
        </button>
        <Version loaded={loaded} />
        <Input
          name="name"
          label={t("form_admin.field.name")}
          hint={t("form_admin.field.name_hint")}
          value={typedText(typed, "name", f.name)}
          error={err("name")}
        />
        <div className={`form-group${err("type") ? " form-group--error" : ""}`}>
          <label htmlFor="type">{t("form_admin.field.type")}</label>
          <span id="type-hint" className="hint">
            {t("form_admin.field.type_hint")}
          </span>
          <FieldError id="type" message={err("type")} />
          <select id="type" name="type" defaultValue={typedText(typed, "type", f.type)} aria-describedby="type-hint">
            {view.types.map((type) => (
              <option key={type} value={type}>
                {typeLabel(type)}
              </option>
            ))}
          </select>
        </div>
        <LocalTextInputs prefix="label" legend={t("form_admin.field.label")} vi={f.label.vi} en={f.label.en ?? ""} typed={typed} errors={errors} />
        <LocalTextInputs
          prefix="hint"
          legend={t("form_admin.field.hint")}
          vi={f.hint?.vi ?? ""}
          en={f.hint?.en ?? ""}
          typed={typed}
          errors={errors}
          optionalVi
        />
        <fieldset className="form-group">
          <legend>{t("form_admin.field.required_legend")}</legend>
          <FieldError id="required" message={err("required")} />
          {(["yes", "no", "when"] as const).map((value, i) => (
            <div className="choice" key={value}>
              <input id={i === 0 ? "required" : `required_${value}`} type="radio" name="required" value={value} defaultChecked={required === value} />
              <label htmlFor={i === 0 ? "required" : `required_${value}`}>{t(`form_admin.field.required_${value}`)}</label>
            </div>
          ))}
        </fieldset>
        <RuleEditor
          prefix="requiredif"
          legend={t("form_admin.field.required_when_legend")}
          rule={view.requiredIf}
          candidates={view.candidates}
          typed={typed}
          errors={errors}
        />
        <RuleEditor
          prefix="visible"
          legend={t("form_admin.field.visible_legend")}
          noneLabel={t("form_admin.rule.always")}
          rule={view.visible}
          candidates={view.candidates}
          typed={typed}
          errors={errors}
        />
        <div className={`form-group${err("prefill") ? " form-group--error" : ""}`}>
          <label htmlFor="prefill">{t("form_admin.field.prefill")}</label>
          <FieldError id="prefill" message={err("prefill")} />
          <select id="prefill" name="prefill" defaultValue={typedText(typed, "prefill", f.prefill ?? "")}>
            <option value="">{t("form_admin.field.prefill_none")}</option>
            {view.prefillSources.map((s) => (
              <option key={s} value={s}>
                {t(`form_admin.prefill.${s.replace(".", "_")}`, { defaultValue: s })}
              </option>
            ))}
          </select>
        </div>
        {props.length > 0 ? (
          <fieldset className="form-group">
            <legend>{t("form_admin.field.type_settings", { type: typeLabel(f.type) })}</legend>
            {props}
          </fieldset>
        ) : null}
        <button type="submit" name="intent" value={`field-save:${view.path}`} className="button">
          {t("form_admin.field.save")}
        </button>
      </Form>
    </>
  );
}
