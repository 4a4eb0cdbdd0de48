/**
 * The few things SQLite and PostgreSQL say differently, said once (docs/decisions/027). Each is
 * built for the database the portal runs on (`dialect()`, from DATABASE_URL). Everything else in
 * the stores is drizzle that both run.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { dialect } from "./db.server";

/** `count(*)` as a number (PostgreSQL's count is a bigint, which node-postgres hands back as text). */
export function countAll(): SQL<number> {
  return sql<number>`count(*)`.mapWith(Number);
}

/** A sum or other aggregate as a number (PostgreSQL's sum of integers is a numeric or bigint: text in node-postgres). */
export function asNumber(expression: SQL): SQL<number> {
  return sql<number>`${expression}`.mapWith(Number);
}

/** How many rows meet `condition` (SQLite sums a comparison; PostgreSQL cannot sum a boolean). */
export function countWhere(condition: SQL): SQL<number> {
  return sql<number>`coalesce(sum(case when ${condition} then 1 else 0 end), 0)`.mapWith(Number);
}

/**
 * `column` starts with a prefix given as a pattern made by `prefixPattern` (a value or a prepared
 * statement's placeholder): SQLite's GLOB and PostgreSQL's LIKE, both answered from an index on the
 * column (agencies_path_idx; text_pattern_ops on PostgreSQL).
 */
export function startsWith(column: SQLWrapper, pattern: SQLWrapper | string): SQL {
  return dialect() === "postgres" ? sql`${column} like ${pattern}` : sql`${column} glob ${pattern}`;
}

/** The pattern `startsWith` matches `prefix` with; the prefix must hold no pattern character (callers check). */
export function prefixPattern(prefix: string): string {
  if (/[*?[\]%_\\]/.test(prefix)) throw new Error(`a prefix with a pattern character: ${JSON.stringify(prefix)}`);
  return dialect() === "postgres" ? `${prefix}%` : `${prefix}*`;
}

/** The length of the JSON array at `key` of a JSON column (0 when absent is the caller's coalesce). */
export function jsonArrayLength(column: SQLWrapper, key: string): SQL<number | null> {
  return dialect() === "postgres"
    ? sql<number | null>`jsonb_array_length(${column} -> ${key})`.mapWith(Number)
    : sql<number | null>`json_array_length(${column}, ${`$.${key}`})`;
}

/** The value at `key` of a JSON column, as text (PostgreSQL) or as stored (SQLite): for comparisons with ids. */
export function jsonField(column: SQLWrapper, key: string): SQL {
  return dialect() === "postgres" ? sql`(${column} ->> ${key})::bigint` : sql`json_extract(${column}, ${`$.${key}`})`;
}

/** The text at `key` of a JSON column, for comparisons with text. */
export function jsonText(column: SQLWrapper, key: string): SQL {
  return dialect() === "postgres" ? sql`(${column} ->> ${key})` : sql`json_extract(${column}, ${`$.${key}`})`;
}

/**
 * An instant as a prepared statement's placeholder takes it in a comparison with a timestamp
 * column (drizzle binds such a placeholder as given, not through the column): SQLite stores
 * milliseconds, PostgreSQL a timestamp.
 */
export function instantParam(instant: Date): Date | number {
  return dialect() === "postgres" ? instant : instant.getTime();
}

/** `column` holds `text` anywhere, case and all (SQLite's instr, PostgreSQL's strpos: no pattern characters to escape). */
export function containsText(column: SQLWrapper, text: string): SQL {
  return dialect() === "postgres" ? sql`strpos(${column}, ${text}) > 0` : sql`instr(${column}, ${text}) > 0`;
}

/**
 * A blob column read as a Buffer. node-postgres reads bytea as hex text — twice the bytes on the
 * wire and in memory, then decoded in JavaScript — so PostgreSQL sends it as base64 instead, which
 * Buffer decodes natively (it skips the line breaks encode() puts in): a 2 MB file read in ~6 ms
 * instead of ~11 (docs/performance.md, file storage). SQLite hands the blob over as it is.
 */
export function blobBytes(column: SQLWrapper): SQL<Buffer> {
  if (dialect() === "postgres") return sql<Buffer>`encode(${column}, 'base64')`.mapWith((value: unknown) => Buffer.from(String(value), "base64"));
  return sql<Buffer>`${column}`.mapWith((value: unknown) => {
    if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    throw new Error("a blob column held something else than bytes");
  });
}
