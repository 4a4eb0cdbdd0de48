import { PAGE_STRING_GROUPS } from "../../page-strings";

/**
 * Every distinct list of page groups a strings script may be asked for (the strings route refuses
 * others). Server-only: the browser never needs it, and the citizen pages are at their script budget.
 */
export const PAGE_GROUP_SETS: ReadonlySet<string> = new Set(Object.values(PAGE_STRING_GROUPS).map((groups) => [...groups].sort().join(".")));
