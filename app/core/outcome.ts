/**
 * What a store answers when the thing asked for is absent or not the caller's (decision 022): stores return
 * it, or null, and never throw HTTP; routes turn it into a 404 with `found` (app/server/platform/http.server.ts).
 */
export type NotFound = { kind: "not_found" };

export const NOT_FOUND: NotFound = { kind: "not_found" };

export function isNotFound(value: unknown): value is NotFound {
  return typeof value === "object" && value !== null && "kind" in value && value.kind === "not_found";
}
