import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";

/** A field error links to its field; an error about the whole request (no fieldId) is plain text. */
export type SummaryError = { fieldId?: string; message: string };

/**
 * GOV.UK error summary: at the top of the page, each message a link to its
 * field, focused when it appears so screen-reader users hear it first.
 */
export function ErrorSummary({ errors }: { errors: SummaryError[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const signature = errors.map((e) => e.fieldId ?? e.message).join("|");
  useEffect(() => {
    if (signature) ref.current?.focus();
  }, [signature]);
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 id="error-summary-title">{t("form.error_summary_title")}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.fieldId ?? e.message}>
            {e.fieldId === undefined ? (
              e.message
            ) : (
              <a
                href={`#${e.fieldId}`}
                onClick={(event) => {
                  // Move focus to the field itself, not just scroll to it (what GOV.UK's script does).
                  const target = e.fieldId ? document.getElementById(e.fieldId) : null;
                  if (!target) return;
                  event.preventDefault();
                  target.focus();
                  target.scrollIntoView({ block: "center" });
                }}
              >
                {e.message}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
