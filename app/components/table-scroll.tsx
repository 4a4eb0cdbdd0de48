import type { ReactNode } from "react";

/**
 * The horizontal scroller around a wide table. On a phone the table scrolls inside it, so
 * keyboard users must be able to focus it to scroll (WCAG 2.1.1); as a named region, screen
 * readers announce it by the table's caption (pass the same text).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
