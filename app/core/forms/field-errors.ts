import type * as z from "zod";

/**
 * The first message of each field of a failed parse, keyed by field name (`_form` for the whole
 * form); a repeating group's row field by `group.row.field`, as the form names its input.
 */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const [name, row, field] = issue.path;
    const key = typeof row === "number" && typeof field === "string" ? `${String(name)}.${row}.${field}` : String(name ?? "_form");
    if (!(key in out)) out[key] = issue.message;
  }
  return out;
}
