/**
 * The subtree counters (`subtree_daily`, `subtree_monthly`) and their totals: `daily_counts` summed
 * per agency subtree, without the procedure, by day and by month. A scope's figures then come from
 * its own rows, whatever the number of agencies or procedures under it (docs/decisions/009). This
 * is their one mapping (docs/decisions/021): the counters store writes what it gives for each
 * change of a counter, the rebuild for all of them, and `verifyRollups` applies it to the raw log.
 * Also the period arithmetic of their reads.
 */
import { addRollupRow, DAILY_COUNT_METRICS, DERIVED_COUNT_KEYS, emptyCounts, type Counts } from "./metrics";
import type { RollupRow } from "./rollup";

/** The row of the whole country: agency ids start at 1, so 0 is free (here it does not mean "no agency"). */
export const NATIONAL = 0;

/**
 * The subtrees an agency's counts belong to: the whole country, then every agency on its path,
 * itself last ("/12/40/77/" → [0, 12, 40, 77]). Null for a path that is not a chain of ids.
 */
export function subtreesOf(path: string): number[] | null {
  if (!/^\/(\d+\/)*$/.test(path)) return null;
  return [
    NATIONAL,
    ...path
      .split("/")
      .filter((s) => s !== "")
      .map(Number),
  ];
}

/** The Vietnam month ("YYYY-MM") a Vietnam day ("YYYY-MM-DD") belongs to. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** One subtree counter cell; `period` is a day in `subtree_daily`, a month in `subtree_monthly`. */
export type SubtreeKey = { period: string; agencyId: number; metric: string; channel: string; level: number };
export type SubtreeRow = SubtreeKey & { count: number };

/** One string per cell, for maps that add up or compare (the unit separator occurs in none of the parts). */
export function subtreeKeyId(key: SubtreeKey): string {
  return `${key.period}\u001f${key.agencyId}\u001f${key.metric}\u001f${key.channel}\u001f${key.level}`;
}

/**
 * Adds `daily_counts` cells up into subtree cells, by day and by month: what the two tables should
 * hold. `pathOf` gives an agency's path (undefined: unknown agency, the cell counts nowhere, as in
 * the dashboard's scopes); `levelOf` a procedure's level on the cell's day (level-history.ts;
 * undefined: none, level 0).
 */
export class SubtreeTally {
  readonly daily = new Map<string, SubtreeRow>();
  readonly monthly = new Map<string, SubtreeRow>();
  private readonly subtrees = new Map<number, number[] | null>();

  constructor(
    private readonly pathOf: (agencyId: number) => string | undefined,
    private readonly levelOf: (procedureId: number, day: string) => number | undefined,
  ) {}

  add(cell: RollupRow): void {
    const agencies = this.subtreesOfAgency(cell.agencyId);
    if (!agencies) return;
    const level = this.levelOf(cell.procedureId, cell.day) ?? 0;
    for (const agencyId of agencies) {
      addTo(this.daily, { period: cell.day, agencyId, metric: cell.metric, channel: cell.channel, level }, cell.count);
      addTo(this.monthly, { period: monthOf(cell.day), agencyId, metric: cell.metric, channel: cell.channel, level }, cell.count);
    }
  }

  private subtreesOfAgency(agencyId: number): number[] | null {
    let found = this.subtrees.get(agencyId);
    if (found === undefined) {
      const path = this.pathOf(agencyId);
      found = path === undefined ? null : subtreesOf(path);
      this.subtrees.set(agencyId, found);
    }
    return found;
  }
}

/** The counts a row of subtree totals holds, one column each (`subtree_totals_daily`, `_monthly`). */
export const TOTAL_KEYS = [...DAILY_COUNT_METRICS, ...DERIVED_COUNT_KEYS] as const;
export type TotalKey = (typeof TOTAL_KEYS)[number];
export type TotalsRow = { period: string; agencyId: number; counts: Counts };

/**
 * Subtree cells summed per agency and period over channel and level into the totals' columns:
 * each counter to its own, submissions also to their channel's and, at level 3 or 4, to the
 * level-3/4 ones (addRollupRow, the dashboard's own sum).
 */
export function subtreeTotals(cells: Iterable<SubtreeRow>): Map<string, TotalsRow> {
  const rows = new Map<string, TotalsRow>();
  for (const c of cells) {
    const id = `${c.period}\u001f${c.agencyId}`;
    let row = rows.get(id);
    if (!row) rows.set(id, (row = { period: c.period, agencyId: c.agencyId, counts: emptyCounts() }));
    addRollupRow(row.counts, { metric: c.metric, channel: c.channel, level: c.level === 0 ? null : c.level, count: c.count });
  }
  return rows;
}

/** A cell that counts towards "online services used": a dossier submitted through the portal (online or assisted). */
export function isPortalSubmission(cell: { metric: string; channel: string }): boolean {
  return cell.metric === "submitted" && (cell.channel === "online" || cell.channel === "assisted");
}

function addTo(cells: Map<string, SubtreeRow>, key: SubtreeKey, count: number): void {
  const id = subtreeKeyId(key);
  const cell = cells.get(id);
  if (cell) cell.count += count;
  else cells.set(id, { ...key, count });
}

/** A period split for the subtree tables: whole months from the monthly one, the days at either end from the daily one. */
export type PeriodParts = { months: { from: string; to: string } | null; days: { from: string; to: string }[] };

/** from..to (days, inclusive) as whole calendar months (none when the period holds none) plus the leftover days before and after them. */
export function periodParts(from: string, to: string): PeriodParts {
  if (from > to) return { months: null, days: [] };
  const firstFull = from.endsWith("-01") ? monthOf(from) : nextMonth(monthOf(from));
  const lastFull = to === lastDayOf(monthOf(to)) ? monthOf(to) : previousMonth(monthOf(to));
  if (firstFull > lastFull) return { months: null, days: [{ from, to }] };
  const days: { from: string; to: string }[] = [];
  if (from < `${firstFull}-01`) days.push({ from, to: lastDayOf(previousMonth(firstFull)) });
  if (to > lastDayOf(lastFull)) days.push({ from: `${nextMonth(lastFull)}-01`, to });
  return { months: { from: firstFull, to: lastFull }, days };
}

function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number);
  if (y === undefined || m === undefined || !Number.isInteger(y) || !Number.isInteger(m)) throw new RangeError(`invalid month "${month}"`);
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

const nextMonth = (month: string) => shiftMonth(month, 1);
const previousMonth = (month: string) => shiftMonth(month, -1);

/** The last day of a month: the day before the next month's 1st. */
function lastDayOf(month: string): string {
  const [y, m] = nextMonth(month).split("-").map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, 0)).toISOString().slice(0, 10);
}
