import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { SummaryList } from "~/components/summary-list";
import type { OnBehalf } from "~/core/dossiers/representation";

/** "Filed for: …  Change": on the form and the check-answers page, while the dossier is a draft (decision 036). */
export function ForWhomLine({ code, forWhom }: { code: string; forWhom: { onBehalf: OnBehalf; subjectName: string | null } }) {
  const { t } = useTranslation();
  const value =
    forWhom.onBehalf === "self"
      ? t("representation.for_self")
      : t("representation.subject_line", { name: forWhom.subjectName ?? "", capacity: t(`representation.capacity.${forWhom.onBehalf}`) });
  return (
    <SummaryList
      rows={[{ label: t("representation.summary_label"), value, action: <Link to={`/procedures/${code}/apply/for`}>{t("representation.change")}</Link> }]}
    />
  );
}

/** "Filed by X for Y (capacity)", or nothing for a dossier filed by its subject. */
export function FiledByFor({ filer, forWhom }: { filer: string; forWhom: { onBehalf: OnBehalf; subjectName: string | null } }) {
  const { t } = useTranslation();
  if (forWhom.onBehalf === "self") return null;
  return <p>{t("representation.filed_by_for", { filer, subject: forWhom.subjectName ?? "", capacity: t(`representation.capacity.${forWhom.onBehalf}`) })}</p>;
}
