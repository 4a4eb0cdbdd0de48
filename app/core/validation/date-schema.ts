import * as z from "zod";
import { parseDate } from "../../utils/format";

/**
 * A date as a person types it (day/month/year; an ISO date too), parsed by the one date reader
 * (utils/format.ts parseDate) into an ISO date. A refusal carries parseDate's message key, which
 * says what is wrong: not a date, a two-digit year, or a day the calendar does not have.
 */
export const TypedDateSchema = z.string().transform((typed, ctx) => {
  const parsed = parseDate(typed);
  if (parsed.ok) return parsed.date;
  ctx.addIssue({ code: "custom", message: parsed.error });
  return z.NEVER;
});
