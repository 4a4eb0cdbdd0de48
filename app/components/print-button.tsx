import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

/** Shown only when JavaScript runs (printing needs it); without it the PDF link and the browser's own print remain. */
export function PrintButton() {
  const { t } = useTranslation();
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (!hydrated) return null;
  return (
    <button type="button" className="button" onClick={() => window.print()}>
      {t("receipt.print")}
    </button>
  );
}
