import { useTranslation } from "react-i18next";
import { formatDateTime } from "~/utils/format";
import { SummaryList } from "./summary-list";

export type ResultSummaryProps = {
  result: { verificationCode: string; issuedAt: string; source: "fields" | "upload"; fileName: string | null; rows: { label: string; value: string }[] };
};

/** What an issued result says (its result fields, or the signed document's name), its verification code and when it was issued. */
export function ResultSummary({ result }: ResultSummaryProps) {
  const { t, i18n } = useTranslation();
  return (
    <SummaryList
      rows={[
        ...result.rows,
        ...(result.source === "upload" && result.fileName ? [{ label: t("result.signed_document"), value: result.fileName }] : []),
        { label: t("result.code"), value: <span className="receipt-code">{result.verificationCode}</span> },
        { label: t("result.issued_at"), value: formatDateTime(result.issuedAt, i18n.language) },
      ]}
    />
  );
}
