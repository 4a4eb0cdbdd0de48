import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { CatalogItem } from "~/server/catalog/catalog.server";
import { formatVnd, pickLang } from "~/utils/format";

export function LevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  return <span className={`tag tag--l${level}`}>{t("catalog.level_n", { level })}</span>;
}

/** "Full online service" or "partial" (Decree 42/2022, decision 031); nothing below level 3. */
export function ServiceTag({ service }: { service: "full" | "partial" | null }) {
  const { t } = useTranslation();
  return service ? <span className="tag tag--service">{t(`levels.service_${service}`)}</span> : null;
}

export function ProcedureList({ items, headingLevel = 2 }: { items: CatalogItem[]; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="results">
      {items.map((p) => (
        <li key={p.code}>
          <Heading>
            <Link to={`/procedures/${p.code}`} lang={lang === "en" && !p.nameEn ? "vi" : undefined}>
              {pickLang(p.nameVi, p.nameEn, lang)}
            </Link>
          </Heading>
          <p className="meta">
            <LevelTag level={p.level} />
            <ServiceTag service={p.onlineService} />
            {t("catalog.code")}: {p.code} · {pickLang(p.agencyVi, p.agencyEn, lang)} · {pickLang(p.fieldVi, p.fieldEn, lang)}
          </p>
          <p className="meta">
            {t("catalog.fee")}: {p.feeVnd === 0 ? t("catalog.free") : formatVnd(p.feeVnd, lang)} · {t("catalog.processing_days", { count: p.processingDays })}
          </p>
        </li>
      ))}
    </ul>
  );
}
