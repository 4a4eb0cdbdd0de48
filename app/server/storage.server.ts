import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
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
