import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/format";
import { FieldError, Input, IntentButton, LocalTextInputs, ProblemList, RowButtons, say, typedText, useAnswer, Version, type Loaded } from "./controls";

/** The whole form: its sections and fields with their buttons, the fee, the exits, the texts without English, and publishing. */
export function Overview({ loaded }: { loaded: Loaded }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const draft = loaded.overview;
  const { typed, errors } = useAnswer();
  if (!draft || !loaded.draft) return null;
  const code = encodeURIComponent(loaded.procedure.code);
  const err = (name: string) => say(t, errors[name]);
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
        <IntentButton loaded={loaded} intent="exit-add" label={t("form_admin.exit.add")} className="button button--secondary" />
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
            <ProblemList problems={loaded.problems} />
          </>
        ) : (
          <p>{t("form_admin.publish.ready")}</p>
        )}
        <IntentButton loaded={loaded} intent="publish" label={t("form_admin.publish.button")} className="button" />
      </section>

      <section aria-labelledby="discard-title">
        <h2 id="discard-title">{t("form_admin.discard.title")}</h2>
        <p>{loaded.published ? t("form_admin.discard.published_stays", { version: loaded.published.version }) : t("form_admin.discard.nothing_published")}</p>
        <p>
          <Link to="?confirm=discard" className="button button--warning">
            {t("form_admin.discard.link")}
          </Link>
        </p>
      </section>
      <p>
        <Link to="/admin/forms">{t("form_admin.edit.back_to_list")}</Link>
      </p>
    </>
  );
}

/** The fee: the procedure's, per unit of a number field, or a rule typed as JSON. */
function FeeForm({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  const fee = loaded.fee;
  if (!fee) return null;
  const err = (name: string) => say(t, errors[name]);
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
