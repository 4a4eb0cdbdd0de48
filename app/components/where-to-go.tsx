import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import { telHref, type OneStopOffice } from "~/core/catalog/one-stop";
import { shownName, shownText } from "~/core/text/local-text";

/** A phone number as a link that dials it (plain text when it cannot be dialled). */
function Phone({ phone }: { phone: string }) {
  const href = telHref(phone);
  return href ? <a href={href}>{phone}</a> : <>{phone}</>;
}

/**
 * Where a citizen goes in person: the one-stop shop's address, hours and phone, saying whose they are
 * when they are an ancestor agency's, or plainly that they are not available.
 */
export function WhereToGo({ office, agency, heading }: { office: OneStopOffice | null; agency: { nameVi: string; nameEn: string | null }; heading: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const own = shownName(agency.nameVi, agency.nameEn, lang);
  if (!office) {
    return (
      <section aria-labelledby="where-to-go">
        <h2 id="where-to-go">{heading}</h2>
        <p className="notice">{t("one_stop.not_available")}</p>
      </section>
    );
  }
  const owner = shownName(office.agency.nameVi, office.agency.nameEn, lang);
  const hours = office.hours ? shownText(office.hours, lang) : null;
  return (
    <section aria-labelledby="where-to-go">
      <h2 id="where-to-go">{heading}</h2>
      {office.inherited ? (
        <p>
          {t("one_stop.inherited_before")} <span lang={own.lang}>{own.text}</span>
          {t("one_stop.inherited_middle")} <span lang={owner.lang}>{owner.text}</span>
          {t("one_stop.inherited_after")}
        </p>
      ) : null}
      <SummaryList
        rows={[
          { label: t("one_stop.office"), value: <span lang={owner.lang}>{owner.text}</span> },
          // An address is written as posted, in Vietnamese: what a taxi driver or a map needs.
          { label: t("one_stop.address"), value: <span lang={lang === "vi" ? undefined : "vi"}>{office.address}</span> },
          { label: t("one_stop.hours"), value: hours ? <span lang={hours.lang}>{hours.text}</span> : t("one_stop.detail_not_available") },
          { label: t("one_stop.phone"), value: office.phone ? <Phone phone={office.phone} /> : t("one_stop.detail_not_available") },
        ]}
      />
    </section>
  );
}

/** One line for a "collect at the one-stop shop" choice: the address and hours, or that they are not available. */
export function OneStopLine({ office, id }: { office: OneStopOffice | null; id: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  if (!office) return <p className="hint" id={id}>{t("one_stop.not_available_short")}</p>;
  const hours = office.hours ? shownText(office.hours, lang) : null;
  return (
    <p className="hint" id={id}>
      <span lang={lang === "vi" ? undefined : "vi"}>{office.address}</span>
      {hours ? (
        <>
          {" · "}
          <span lang={hours.lang}>{hours.text}</span>
        </>
      ) : null}
      {office.phone ? (
        <>
          {" · "}
          {t("one_stop.phone")}: <Phone phone={office.phone} />
        </>
      ) : null}
    </p>
  );
}
