import { mkdir, open, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { FileStorage, StoredFileInfo } from "./storage.server";

const missing = (error: unknown) => error instanceof Error && Reflect.get(error, "code") === "ENOENT";

/** Flushes a folder's entries to the disk, so a file just created in it survives a power loss. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * The "files" backend: one file per key in `folder` (STORAGE_DIR/attachments), on this machine's
 * disk or on a volume every portal process mounts (docs/decisions/028). With `sync` (the portal's
 * setting), a write returns only once the file and its folder entry are on the disk (fsync): the row
 * written next says the upload was received, and without the fsync a power loss could keep the
 * row and lose the file. Only the benchmark turns it off, to measure what it costs.
 */
export function filesStorage(folder: string, options: { sync: boolean } = { sync: true }): FileStorage {
  return {
    backend: "files",
    async write(key, bytes) {
      await mkdir(folder, { recursive: true });
      const file = path.join(folder, key);
      // "wx": a key is never written twice, so an existing file is a bug, not something to replace.
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(bytes);
        if (options.sync) await handle.sync();
        await handle.close();
        if (options.sync) await syncFolder(folder);
      } catch (error) {
        // The caller never learns this key: a half-written file would wait for the sweep.
        await handle.close().catch(() => undefined);
        await rm(file, { force: true });
        throw error;
      }
    },
    async read(key) {
      return readFile(path.join(folder, key)).catch((error: unknown) => {
        if (missing(error)) return null;
        throw error;
      });
    },
    async remove(key) {
      await rm(path.join(folder, key), { force: true });
    },
    async list() {
      const names = await readdir(folder).catch((error: unknown) => {
        if (missing(error)) return [];
        throw error;
      });
      const found: StoredFileInfo[] = [];
      for (const key of names) {
        const info = await stat(path.join(folder, key)).catch(() => null);
        if (info?.isFile()) found.push({ key, modifiedAt: info.mtime });
      }
      return found;
    },
  };
}
