import { notFound } from "./http.server";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "./env.server";

/** Uploaded files: outside public/, named by random keys, so no name a user sends ever reaches the file system. */
function dir(): string {
  const d = path.resolve(env().STORAGE_DIR, "attachments");
  mkdirSync(d, { recursive: true });
  return d;
}

const KEY = /^[A-Za-z0-9_-]{32}$/;

export async function storeFile(bytes: Uint8Array): Promise<string> {
  const key = randomBytes(24).toString("base64url");
  await writeFile(path.join(dir(), key), bytes, { flag: "wx" });
  return key;
}

export async function readStoredFile(key: string): Promise<Buffer> {
  if (!KEY.test(key)) throw new Error("bad storage key");
  return readFile(path.join(dir(), key));
}

export async function deleteStoredFile(key: string): Promise<void> {
  if (KEY.test(key)) await rm(path.join(dir(), key), { force: true });
}

/** Every stored file's key with when it was last written (for the sweep of files no row refers to). */
export async function listStoredFiles(): Promise<{ key: string; modifiedAt: Date }[]> {
  const folder = dir();
  const found: { key: string; modifiedAt: Date }[] = [];
  for (const key of await readdir(folder)) {
    if (!KEY.test(key)) continue;
    const info = await stat(path.join(folder, key)).catch(() => null);
    if (info?.isFile()) found.push({ key, modifiedAt: info.mtime });
  }
  return found;
}

/**
 * A stored upload as a download: never rendered inline (nosniff, attachment), never cached by a
 * shared cache. A file missing from storage is a 404, not a 500.
 */
export async function storedFileResponse(file: { storageKey: string; mimeType: string; fileName: string }): Promise<Response> {
  const bytes = await readStoredFile(file.storageKey).catch(() => null);
  if (!bytes) notFound();
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": file.mimeType,
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
