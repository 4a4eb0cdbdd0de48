import { STATUS, statusName, type StatusName } from "../dossiers/status";
import { TypedDateSchema } from "../validation/date-schema";

/** Vietnam keeps UTC+7 all year (no daylight saving), so a local day is a fixed 24-hour window. */
const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** A calendar date as an administrator types it (day/month/year, as every date box takes it), as YYYY-MM-DD. */
export const VnDateSchema = TypedDateSchema;

/** The instant a Vietnam calendar day begins (00:00 in Hà Nội is 17:00 UTC the day before). */
export function vnDayStart(date: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  if (!y || !m || !d) throw new RangeError(`bad date ${date}`);
  return new Date(Date.UTC(y, m - 1, d) - VN_OFFSET_MS);
}

/** [from, until) covering whole Vietnam days `from`…`to`, either end open when not given. */
export function vnPeriod(input: { from?: string; to?: string }): { from: Date | null; until: Date | null } {
  return {
    from: input.from ? vnDayStart(input.from) : null,
    until: input.to ? new Date(vnDayStart(input.to).getTime() + DAY_MS) : null,
  };
}

/** Events people did but where no account is recorded as actor: viewing is audited even when anonymous. */
export const AUDITED_WITHOUT_ACTOR = ["personal_data_viewed", "attachment_viewed"] as const;

/** The kinds of event that act on a staff account; their data carries `userId` and `role`. */
export const ACCOUNT_EVENTS = [
  "user_created",
  "user_disabled",
  "user_enabled",
  "second_factor_enrolled",
  "second_factor_failed",
  "recovery_code_used",
  "second_factor_reset",
] as const;

/** A status name, or null for a code the log holds but the portal no longer knows (never throw while reading history). */
function knownStatus(code: number | null): StatusName | null {
  return code !== null && Object.values(STATUS).some((c) => c === code) ? statusName(code) : null;
}

export type AuditDetails = {
  from: StatusName | null;
  to: StatusName | null;
  reason: string | null;
  /** The role given to or held by the account an administrator acted on. */
  role: string | null;
  /** Anything else the event recorded, as label/value text (keys are the log's own field names). */
  other: { key: string; value: string }[];
};

// Shown in their own columns or redundant with the status change.
const SHOWN_ELSEWHERE = new Set(["reason", "role", "userId", "action"]);

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string" || typeof v === "number")) return value.join(", ");
  return JSON.stringify(value).slice(0, 200);
}

/** What an audit row says beyond who, when and what kind: the status move, the reason and the rest of its data. */
export function auditDetails(event: { fromStatus: number | null; toStatus: number | null; data: Record<string, unknown> | null }): AuditDetails {
  const data = event.data ?? {};
  const reason = typeof data.reason === "string" && data.reason.trim() !== "" ? data.reason : null;
  const role = typeof data.role === "string" ? data.role : null;
  const other: AuditDetails["other"] = [];
  for (const [key, value] of Object.entries(data)) {
    if (SHOWN_ELSEWHERE.has(key)) continue;
    const text = asText(value);
    if (text !== null && text !== "") other.push({ key, value: text });
  }
  return {
    from: knownStatus(event.fromStatus),
    to: knownStatus(event.toStatus),
    reason,
    role,
    other,
  };
}
