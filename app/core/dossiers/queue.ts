/**
 * The officer's queue: what its URL parameters and search box mean. Pure rules here; the SQL
 * that applies them lives in app/server/dossiers/officer-queue.server.ts, deadlines in ./deadline.ts.
 */
import * as z from "zod";
import { fold } from "../text/fold";
import { parseReceiptCode } from "./receipt-code";
import { STATUS, type StatusCode } from "./status";

export const QUEUE_PAGE_SIZE = 25;

/** Not finished: still something for the agency (or the citizen) to do. */
export const OPEN_STATUSES: readonly StatusCode[] = [
  STATUS.submitted,
  STATUS.received,
  STATUS.processing,
  STATUS.supplementRequested,
  STATUS.paymentRequested,
  STATUS.resultReady,
];

export const CHANNELS = ["online", "counter", "assisted"] as const;
/** Deadline buckets (rules in ./deadline.ts). */
export const DUE_BUCKETS = ["overdue", "soon", "later"] as const;
export type DueBucket = (typeof DUE_BUCKETS)[number];
export const QUEUE_SORTS = ["submitted", "due", "updated"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;

const StatusFilterSchema = z.union([z.enum(["open", "all"]), z.coerce.number().int().min(STATUS.submitted).max(STATUS.returned)]);

/**
 * The queue's URL search parameters. Every field falls back to its default on a value it does not
 * understand (a hand-edited or stale link), so a bad parameter never fails the page.
 */
export const QueueQuerySchema = z
  .object({
    status: StatusFilterSchema.catch("open"),
    procedure: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z.-]{1,40}$/)
      .optional()
      .catch(undefined),
    channel: z.enum(CHANNELS).optional().catch(undefined),
    due: z.enum(DUE_BUCKETS).optional().catch(undefined),
    q: z
      .string()
      .trim()
      .max(200)
      .optional()
      .catch(undefined)
      .transform((s) => s || undefined),
    sort: z.enum(QUEUE_SORTS).optional().catch(undefined),
    dir: z.enum(SORT_DIRECTIONS).optional().catch(undefined),
    page: z.coerce.number().int().min(1).max(100_000).catch(1),
  })
  .transform((query) => {
    // Open work is read by deadline, the nearest first; finished work by when it came in, newest first.
    const sort: QueueSort = query.sort ?? (isOpenFilter(query.status) ? "due" : "submitted");
    const dir = query.dir ?? (sort === "due" ? "asc" : "desc");
    return { ...query, sort, dir };
  });
export type QueueQuery = z.infer<typeof QueueQuerySchema>;
export type StatusFilter = QueueQuery["status"];

function isOpenFilter(status: z.infer<typeof StatusFilterSchema>): boolean {
  if (status === "open") return true;
  if (status === "all") return false;
  return OPEN_STATUSES.some((s) => s === status);
}

/** The statuses a status filter selects; null for every submitted dossier. */
export function statusesFor(status: StatusFilter): readonly number[] | null {
  if (status === "open") return OPEN_STATUSES;
  if (status === "all") return null;
  return [status];
}

export type QueueSearch = { kind: "receipt"; receiptCode: string } | { kind: "cccd"; cccd: string } | { kind: "name"; folded: string };

/**
 * What the officer typed: a receipt code (forgiving case and O/I typed for 0/1), a whole CCCD
 * (exactly 12 digits: a partial number would be a fishing search), otherwise a name, folded
 * the way dossiers.applicant_name_folded is.
 */
export function classifySearch(q: string): QueueSearch | null {
  const trimmed = q.trim();
  if (!trimmed) return null;
  const receiptCode = parseReceiptCode(trimmed);
  if (receiptCode) return { kind: "receipt", receiptCode };
  if (/^\d{12}$/.test(trimmed)) return { kind: "cccd", cccd: trimmed };
  const folded = fold(trimmed);
  return folded ? { kind: "name", folded } : null;
}

/** Escapes LIKE's wildcards for a pattern used with `escape '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}
