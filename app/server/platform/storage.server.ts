import { randomBytes } from "node:crypto";
import path from "node:path";
import { databaseStorage } from "./storage-database.server";
import { filesStorage } from "./storage-files.server";
import { env, type StorageBackend } from "./env.server";
import { notFound } from "./http.server";

/**
 * Uploaded files, behind one interface with two backends (STORAGE_BACKEND, docs/decisions/028):
 * - "files": one file per key under STORAGE_DIR/attachments, on this machine's disk or a volume
 *   every process mounts;
 * - "database": a row per key in table stored_files, in the database the portal runs on, so every
 *   process that reaches the database reaches the files and a backup of the database holds them.
 * Files are named by random keys, so no name a user sends ever reaches the file system or a query.
 * A file is written once under a new key and never changed; callers write it before the row that
 * refers to it and remove it if that row cannot be written (the sweep takes what is left over).
 */
export type FileStorage = {
  readonly backend: StorageBackend;
  /** Writes a new file under a key no file has yet; resolves once it is as durable as a committed row. */
  write(key: string, bytes: Uint8Array): Promise<void>;
  /** The file's bytes, or null when there is no file under the key. */
  read(key: string): Promise<Buffer | null>;
  /** Removes the file; nothing happens when there is none. */
  remove(key: string): Promise<void>;
  /** Every file's key with when it was written (anything else in a folder is left to listStoredFiles to skip). */
  list(): Promise<StoredFileInfo[]>;
};
export type StoredFileInfo = { key: string; modifiedAt: Date };

/** 24 random bytes in base64url: 32 characters a file name and a URL can carry unchanged. */
const KEY = /^[A-Za-z0-9_-]{32}$/;
export function isStorageKey(key: string): boolean {
  return KEY.test(key);
}

/** The folder of the "files" backend; made on first write. */
export function attachmentsDir(): string {
  return path.resolve(env().STORAGE_DIR, "attachments");
}

/** The backend STORAGE_BACKEND names (the "files" one reads STORAGE_DIR on each call, as tests change it per file). */
export function fileStorage(): FileStorage {
  return env().STORAGE_BACKEND === "database" ? databaseStorage : filesStorage(attachmentsDir());
}

export async function storeFile(bytes: Uint8Array, storage = fileStorage()): Promise<string> {
  const key = randomBytes(24).toString("base64url");
  await storage.write(key, bytes);
  return key;
}

/** A stored file's bytes; throws for a malformed key and for a key with no file. */
export async function readStoredFile(key: string, storage = fileStorage()): Promise<Buffer> {
  if (!KEY.test(key)) throw new Error("bad storage key");
  const bytes = await storage.read(key);
  if (!bytes) throw new Error(`no stored file ${key} (${storage.backend})`);
  return bytes;
}

export async function deleteStoredFile(key: string, storage = fileStorage()): Promise<void> {
  if (KEY.test(key)) await storage.remove(key);
}

/** Every stored file's key with when it was written (for the sweep of files no row refers to). */
export async function listStoredFiles(storage = fileStorage()): Promise<StoredFileInfo[]> {
  return (await storage.list()).filter((file) => KEY.test(file.key));
}

/**
 * A stored upload as a download: never rendered inline (nosniff, attachment), never cached by a
 * shared cache. A file missing from storage is a 404, not a 500 (a row restored without its file,
 * a file the sweep took). The bytes are read whole (files are at most a few MB: body-limits.ts) and
 * handed on as a one-chunk stream: a Uint8Array body would be copied again by the Response.
 */
export async function storedFileResponse(file: { storageKey: string; mimeType: string; fileName: string }, storage = fileStorage()): Promise<Response> {
  const bytes = KEY.test(file.storageKey) ? await storage.read(file.storageKey) : null;
  if (!bytes) notFound();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Length": String(bytes.byteLength),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
