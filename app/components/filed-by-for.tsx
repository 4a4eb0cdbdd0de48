import { useTranslation } from "react-i18next";
import type { OnBehalf } from "~/core/dossiers/representation";

/** "Filed by X for Y (capacity)", or nothing for a dossier filed by its subject (decision 036). */
export function FiledByFor({ filer, forWhom }: { filer: string; forWhom: { onBehalf: OnBehalf; subjectName: string | null } }) {
  const { t } = useTranslation();
  if (forWhom.onBehalf === "self") return null;
  return <p>{t("representation.filed_by_for", { filer, subject: forWhom.subjectName ?? "", capacity: t(`representation.capacity.${forWhom.onBehalf}`) })}</p>;
}
