import { eq } from "drizzle-orm";
import { db, inTransaction } from "./db.server";
import { blobBytes } from "./dialect.server";
import { schema } from "./schema.server";
import type { FileStorage } from "./storage.server";

/**
 * The "database" backend: a row per key in stored_files, in the database the portal runs on
 * (docs/decisions/028). Every process on the database reaches every file, a file is as durable as
 * the rows (one commit), and db:backup takes the files in the same snapshot as the rows that refer
 * to them. A file's row is written and removed "alone" (db.server.ts): under a fresh random key no
 * other transaction touches it, so on PostgreSQL the bytes travel without the portal's write lock
 * (decision 027) — a 2 MB file takes ~8 ms to store there (docs/performance.md) that would
 * otherwise hold up every submission.
 */
export const databaseStorage: FileStorage = {
  backend: "database",
  async write(key, bytes) {
    // A view of the same memory: drizzle and both drivers take a Buffer for a blob/bytea.
    const content = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    await inTransaction(
      async (tx) => {
        await tx.insert(schema.storedFiles).values({ key, content, size: content.byteLength });
      },
      db(),
      { alone: true },
    );
  },
  async read(key) {
    const [row] = await db()
      .select({ content: blobBytes(schema.storedFiles.content) })
      .from(schema.storedFiles)
      .where(eq(schema.storedFiles.key, key));
    return row?.content ?? null;
  },
  async remove(key) {
    await inTransaction(
      async (tx) => {
        await tx.delete(schema.storedFiles).where(eq(schema.storedFiles.key, key));
      },
      db(),
      { alone: true },
    );
  },
  async list() {
    // Never the content: the sweep needs the keys and their times only.
    const rows = await db().select({ key: schema.storedFiles.key, modifiedAt: schema.storedFiles.createdAt }).from(schema.storedFiles);
    return rows;
  },
};
