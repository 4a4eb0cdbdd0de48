import type { ReactNode } from "react";

export type SummaryRow = { label: string; value: ReactNode; action?: ReactNode };

/** GOV.UK summary list: label, value and an optional action per row (receipts, tracking, procedure facts). */
export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  return (
    <dl className="summary-list">
      {rows.map((row) => (
        <div key={row.label}>
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
          {row.action ? <dd>{row.action}</dd> : null}
        </div>
      ))}
    </dl>
  );
}
