import { useTranslation } from "react-i18next";
import type { OneStopView } from "~/core/catalog/one-stop";

/** A phone number as a link that dials it (a copy of where-to-go's: importing it would put that whole component in the check page's bundle). */
const phoneLink = (phone: NonNullable<OneStopView["phone"]>) => (phone.href ? <a href={phone.href}>{phone.text}</a> : phone.text);

/** One line for a "collect at the one-stop shop" choice: the address and hours, or that they are not available. */
export function OneStopLine({ view, id }: { view: OneStopView | null; id: string }) {
  const { t } = useTranslation();
  return (
    <p className="hint" id={id}>
      {view ? (
        <>
          <span lang={view.address.lang}>{view.address.text}</span>
          {view.hours ? (
            <>
              {" · "}
              <span lang={view.hours.lang}>{view.hours.text}</span>
            </>
          ) : null}
          {view.phone ? (
            <>
              {" · "}
              {t("one_stop.phone")}: {phoneLink(view.phone)}
            </>
          ) : null}
        </>
      ) : (
        t("one_stop.not_available_short")
      )}
    </p>
  );
}
