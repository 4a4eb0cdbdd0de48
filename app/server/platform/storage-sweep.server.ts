import { schema } from "./schema.server";
import { db } from "./db.server";
import { deleteStoredFile, fileStorage, listStoredFiles } from "./storage.server";

/**
 * A file is written before the row that refers to it (and removed again if the row cannot be), so a
 * file without a row may be an upload in progress: only files older than this are swept.
 */
export const SWEEP_GRACE_MS = 60 * 60_000;

/**
 * Removes stored files that no attachment or result row refers to: left behind by a crash between
 * writing a file and its row, or by a removal whose file deletion failed. Run hourly by the server
 * (entry.server.tsx) and once by `npm run storage:sweep`. The same for both backends (STORAGE_BACKEND):
 * a file's time is its mtime, or its row's created_at.
 */
export async function sweepStorage(now = new Date(), storage = fileStorage()): Promise<{ checked: number; removed: number }> {
  const files = await listStoredFiles(storage);
  // Read after listing: a file listed and then given a row is in this set.
  const attachments = await db().select({ key: schema.attachments.storageKey }).from(schema.attachments);
  const results = await db().select({ key: schema.results.storageKey }).from(schema.results);
  const referenced = new Set([...attachments.map((r) => r.key), ...results.map((r) => r.key)]);
  let removed = 0;
  for (const file of files) {
    if (referenced.has(file.key) || now.getTime() - file.modifiedAt.getTime() < SWEEP_GRACE_MS) continue;
    await deleteStoredFile(file.key, storage);
    removed += 1;
  }
  return { checked: files.length, removed };
}
