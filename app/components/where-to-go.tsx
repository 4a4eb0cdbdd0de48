import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import type { OneStopView } from "~/core/catalog/one-stop";

/** A phone number as a link that dials it (plain text when it cannot be dialled). */
const phoneLink = (phone: NonNullable<OneStopView["phone"]>) => (phone.href ? <a href={phone.href}>{phone.text}</a> : phone.text);

/**
 * Where a citizen goes in person: the one-stop shop's address, hours and phone, saying whose they are
 * when they are an ancestor agency's, or plainly that they are not available. `view` is made by the loader (oneStopView).
 */
export function WhereToGo({ view, heading }: { view: OneStopView | null; heading: string }) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="where-to-go">
      <h2 id="where-to-go">{heading}</h2>
      {view ? (
        <>
          {view.inherited ? (
            <p>
              {t("one_stop.inherited_before")} <span lang={view.own.lang}>{view.own.text}</span>
              {t("one_stop.inherited_middle")} <span lang={view.owner.lang}>{view.owner.text}</span>
              {t("one_stop.inherited_after")}
            </p>
          ) : null}
          <SummaryList
            rows={[
              { label: t("one_stop.office"), value: <span lang={view.owner.lang}>{view.owner.text}</span> },
              { label: t("one_stop.address"), value: <span lang={view.address.lang}>{view.address.text}</span> },
              { label: t("one_stop.hours"), value: view.hours ? <span lang={view.hours.lang}>{view.hours.text}</span> : t("one_stop.detail_not_available") },
              { label: t("one_stop.phone"), value: view.phone ? phoneLink(view.phone) : t("one_stop.detail_not_available") },
            ]}
          />
        </>
      ) : (
        <p className="notice">{t("one_stop.not_available")}</p>
      )}
    </section>
  );
}
