import { useTranslation } from "react-i18next";

/** "Verified" beside an answer that came from the national population database (core/forms/verified-prefill.ts); its accessible text names the source. */
export function VerifiedMark() {
  const { t } = useTranslation();
  return (
    <span className="tag tag--verified">
      {t("verified.mark")}
      <span className="visually-hidden"> ({t("verified.source")})</span>
    </span>
  );
}
