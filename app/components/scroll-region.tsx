import type { ReactNode } from "react";

/**
 * A box that scrolls sideways when its content (a wide table, a chart) is wider than a phone's
 * screen. Focusable and named, so keyboard users can scroll it too (WCAG 2.1.1).
 */
export function ScrollRegion({ label, className = "table-scroll", children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={className} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
