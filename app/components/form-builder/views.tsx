import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { BackToForm, Input, LocalTextInputs, RuleEditor, say, typedText, useAnswer, Version, type Loaded } from "./controls";

/** A section's title and when it is shown. */
export function SectionView({ loaded, view }: { loaded: Loaded; view: Extract<Loaded["view"], { kind: "section" }>["section"] }) {
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

export function ExitView({ loaded, view }: { loaded: Loaded; view: Extract<Loaded["view"], { kind: "exit" }>["exit"] }) {
  const { t } = useTranslation();
  const { typed, errors } = useAnswer();
  const err = (name: string) => say(t, errors[name]);
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

/**
 * Discarding the draft asks first, on a page of its own (a confirmation that needs no script): the
 * draft's version goes with the post, so a draft changed since this page was made is not thrown away.
 */
export function DiscardView({ loaded }: { loaded: Loaded }) {
  const { t } = useTranslation();
  return (
    <>
      <h2>{t("form_admin.discard.title")}</h2>
      <p>{t("form_admin.discard.warning")}</p>
      <p>{loaded.published ? t("form_admin.discard.published_stays", { version: loaded.published.version }) : t("form_admin.discard.nothing_published")}</p>
      <Form method="post" className="button-group">
        <Version loaded={loaded} />
        <button type="submit" name="intent" value="discard" className="button button--warning">
          {t("form_admin.discard.confirm")}
        </button>
        <Link to="?">{t("form_admin.discard.cancel")}</Link>
      </Form>
    </>
  );
}
