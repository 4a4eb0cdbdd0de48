// What the tests look at in file storage, the same for both backends (STORAGE_BACKEND): the keys
// stored, and a file made to look older than it is (the sweep only takes files past its grace).
import { utimes } from "node:fs/promises";
import path from "node:path";
import { eq } from "drizzle-orm";
import { inTransaction } from "../../app/server/platform/db.server";
import { schema } from "../../app/server/platform/schema.server";
import { attachmentsDir, fileStorage, listStoredFiles, type FileStorage } from "../../app/server/platform/storage.server";

export async function storedKeys(storage: FileStorage = fileStorage()): Promise<string[]> {
  return (await listStoredFiles(storage)).map((f) => f.key);
}

export async function ageStoredFile(key: string, at: Date, storage: FileStorage = fileStorage()): Promise<void> {
  if (storage.backend === "files") {
    await utimes(path.join(attachmentsDir(), key), at, at);
    return;
  }
  await inTransaction(async (tx) => {
    await tx.update(schema.storedFiles).set({ createdAt: at }).where(eq(schema.storedFiles.key, key));
  });
}
