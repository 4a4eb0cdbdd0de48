import type { SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { prefixPattern, startsWith } from "../platform/dialect.server";
import { schema } from "../platform/schema.server";

/** An agency's path: its ancestors' ids and its own, e.g. "/1/111/" (made by the portal, never typed). */
const AGENCY_PATH = /^\/(?:\d+\/)*$/;

/**
 * The one way to scope rows to an agency and the agencies under it (issue 13): the agency's path as
 * a prefix of `column` (the agencies table's path, or an alias of it). Paths end with "/", so "/1/"
 * never takes in "/10/". An indexed prefix match (SQLite's GLOB, PostgreSQL's LIKE: dialect.server.ts).
 */
export function withinAgency(agencyPath: string, column: AnySQLiteColumn = schema.agencies.path): SQL {
  return startsWith(column, subtreePattern(agencyPath));
}

/** The prefix pattern of an agency's subtree, for a prepared statement's placeholder (withinAgency's value). */
export function subtreePattern(agencyPath: string): string {
  // Only digits and slashes: nothing in it can be read as a pattern.
  if (!AGENCY_PATH.test(agencyPath)) throw new Error(`not an agency path: ${JSON.stringify(agencyPath)}`);
  return prefixPattern(agencyPath);
}

/** The columns an agency tree (a select's indented options) is built from. */
export const agencyTreeColumns = {
  id: schema.agencies.id,
  parentId: schema.agencies.parentId,
  code: schema.agencies.code,
  nameVi: schema.agencies.nameVi,
  nameEn: schema.agencies.nameEn,
  depth: schema.agencies.depth,
  kind: schema.agencies.kind,
};
