import { sql } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { db, type Db, type Tx } from "../platform/db.server";
import { sharedGenerationsRead } from "./catalog-version.server";

/**
 * The caches' generations kept in the database (table cache_generations), so that several portal
 * processes on one database (docs/operations.md) empty their caches after a change any of them made.
 * A version row read once a second was chosen over LISTEN/NOTIFY: it is the same on SQLite and
 * PostgreSQL, a process that was down or disconnected when the change happened still sees it, and
 * the cost is one primary-key read per second per process. A change is seen by the process that
 * made it at once (catalog-version.server.ts) and by the others within READ_EVERY_MS.
 */
export type SharedCache = "catalog" | "search_index";

export const READ_EVERY_MS = 1_000;

/** Adds 1 to each named generation, in the transaction of the change that makes those caches stale. */
export async function bumpSharedGenerations(tx: Tx, names: readonly SharedCache[]): Promise<void> {
  for (const name of names)
    await tx
      .insert(schema.cacheGenerations)
      .values({ name, generation: 1 })
      .onConflictDoUpdate({ target: schema.cacheGenerations.name, set: { generation: sql`${schema.cacheGenerations.generation} + 1` } });
}

/** Reads the generations (a missing row is 0) and hands them to the caches' keys. */
export async function readSharedGenerations(client: Db = db()): Promise<{ catalog: number; searchIndex: number }> {
  const rows = await client.select().from(schema.cacheGenerations);
  const of = (name: SharedCache) => rows.find((r) => r.name === name)?.generation ?? 0;
  const read = { catalog: of("catalog"), searchIndex: of("search_index") };
  sharedGenerationsRead(read);
  return read;
}
