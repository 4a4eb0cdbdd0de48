import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { BackToForm, FieldError, Input, LocalTextInputs, RuleEditor, say, typedText, useAnswer, Version, type Loaded } from "./controls";

/**
 * A field's editor: the properties every field has, then its type's own, read from the definition
 * schema (builder-page.server.ts) — a property added there shows here under its key until named.
 */
export function FieldView({ loaded, view }: { loaded: Loaded; view: Extract<Loaded["view"], { kind: "field" }>["field"] }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  const err = (name: string) => say(t, errors[name]);
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
