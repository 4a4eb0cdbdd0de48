// Uploaded files behind one interface with two backends (STORAGE_BACKEND, docs/decisions/028): each
// operation on each, on the database this project runs on (SQLite here, PostgreSQL in the postgres
// project) — the same bytes back, removal, the listing the sweep reads, a 404 for a missing file, a
// malformed key refused before storage is touched, and the sweep itself.
import { randomBytes } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dialect, inTransaction } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { schema } from "../../app/server/platform/schema.server";
import { databaseStorage } from "../../app/server/platform/storage-database.server";
import { filesStorage } from "../../app/server/platform/storage-files.server";
import { sweepStorage } from "../../app/server/platform/storage-sweep.server";
import {
  attachmentsDir,
  deleteStoredFile,
  fileStorage,
  readStoredFile,
  storedFileResponse,
  storeFile,
  type FileStorage,
} from "../../app/server/platform/storage.server";
import { newCitizen } from "../fixtures/accounts";
import { startedDraft } from "../fixtures/dossiers";
import { ageStoredFile, storedKeys } from "./stored-files";

const backends: [string, () => FileStorage][] = [
  ["files", () => filesStorage(attachmentsDir())],
  ["database", () => databaseStorage],
];

/** What storedFileResponse throws for a missing file: the 404 the error boundary shows. */
async function statusOf(answer: Promise<Response>): Promise<number> {
  try {
    return (await answer).status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}

/** A draft with an attachment row referring to `key`: what keeps a stored file from the sweep. */
async function referTo(key: string): Promise<void> {
  const draft = await startedDraft(await newCitizen(), "3.000333");
  await inTransaction(async (tx) => {
    await tx.insert(schema.attachments).values({
      dossierId: draft.id,
      fieldName: "giay_to_mien_giam",
      fileName: "kept.pdf",
      mimeType: "application/pdf",
      sizeBytes: 4,
      sha256: "0".repeat(64),
      storageKey: key,
    });
  });
}

describe("the storage backend", () => {
  it("is the one STORAGE_BACKEND names (files unless set)", () => {
    expect(fileStorage().backend).toBe(env().STORAGE_BACKEND);
  });
});

describe("the database backend on PostgreSQL", () => {
  it.skipIf(dialect() !== "postgres")("stores and removes a file while another transaction holds the portal's write lock", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let lockTaken = () => {};
    const taken = new Promise<void>((resolve) => (lockTaken = resolve));
    // A submission-like writer that keeps the lock until told to let go.
    const writer = inTransaction(async () => {
      lockTaken();
      await held;
    });
    await taken;
    const outcome = await Promise.race([
      (async () => {
        const key = await storeFile(new TextEncoder().encode("%PDF while locked"), databaseStorage);
        const back = await readStoredFile(key, databaseStorage);
        await deleteStoredFile(key, databaseStorage);
        return back.toString();
      })(),
      new Promise<string>((resolve) => setTimeout(() => resolve("waited for the lock"), 3_000)),
    ]);
    release();
    await writer;
    expect(outcome).toBe("%PDF while locked");
  });
});

describe.each(backends)("file storage in %s", (_backend, make) => {
  it("gives back the same bytes it stored, under a new random key each time", async () => {
    const storage = make();
    const big = randomBytes(300 * 1024);
    // A view into a larger buffer: only the viewed bytes are stored.
    const inside = new Uint8Array(big.buffer, big.byteOffset + 100, 1000);
    const files = [big, inside, new Uint8Array(0), new TextEncoder().encode("%PDF-1.4\nxin chào\n")];
    const keys = await Promise.all(files.map((bytes) => storeFile(bytes, storage)));
    expect(new Set(keys).size).toBe(files.length);
    for (const [i, key] of keys.entries()) {
      expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(Buffer.from(await readStoredFile(key, storage)).equals(Buffer.from(files[i] ?? []))).toBe(true);
    }
  });

  it("answers a download with the file's bytes and length, as an attachment nobody caches", async () => {
    const storage = make();
    const bytes = randomBytes(2 * 1024 * 1024);
    const key = await storeFile(bytes, storage);
    const res = await storedFileResponse({ storageKey: key, mimeType: "application/pdf", fileName: "Giấy khai sinh.pdf" }, storage);
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      "content-type": "application/pdf",
      "content-length": String(bytes.length),
      "content-disposition": "attachment; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf",
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("removes a file: gone from reads, downloads and the listing; removing it again does nothing", async () => {
    const storage = make();
    const key = await storeFile(new TextEncoder().encode("to be removed"), storage);
    expect(await storedKeys(storage)).toContain(key);
    await deleteStoredFile(key, storage);
    await expect(readStoredFile(key, storage)).rejects.toThrow(/no stored file/);
    expect(await statusOf(storedFileResponse({ storageKey: key, mimeType: "application/pdf", fileName: "x.pdf" }, storage))).toBe(404);
    expect(await storedKeys(storage)).not.toContain(key);
    await deleteStoredFile(key, storage);
  });

  it("answers 404 for a key with no file", async () => {
    const missing = randomBytes(24).toString("base64url");
    expect(await statusOf(storedFileResponse({ storageKey: missing, mimeType: "image/png", fileName: "x.png" }, make()))).toBe(404);
  });

  it("refuses a malformed key before storage is touched", async () => {
    const storage = make();
    // A file beside the attachments folder that a key climbing out of it would name.
    const outside = path.join(attachmentsDir(), "..", "outside.txt");
    writeFileSync(outside, "not an upload");
    for (const bad of ["../outside.txt", "", "short", `${"a".repeat(31)}/`, `${"a".repeat(31)}.`, "x".repeat(33)]) {
      await expect(readStoredFile(bad, storage), bad).rejects.toThrow(/bad storage key/);
      expect(await statusOf(storedFileResponse({ storageKey: bad, mimeType: "text/plain", fileName: "x.txt" }, storage)), bad).toBe(404);
      await deleteStoredFile(bad, storage);
    }
    expect(existsSync(outside)).toBe(true);
  });

  it("lists every file with when it was written", async () => {
    const storage = make();
    const before = Date.now();
    const key = await storeFile(new TextEncoder().encode("listed"), storage);
    expect(await storedKeys(storage)).toContain(key);
    const entry = (await storage.list()).find((f) => f.key === key);
    // created_at comes from the database's clock, an mtime from the file system's: the same machine here.
    expect(entry?.modifiedAt.getTime()).toBeGreaterThanOrEqual(before - 2_000);
    expect(entry?.modifiedAt.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
  });

  it("is swept of old files no row refers to, keeping referenced ones and ones still being written", async () => {
    const storage = make();
    const bytes = new TextEncoder().encode("%PDF");
    const [referenced, orphanOld, orphanNew] = [await storeFile(bytes, storage), await storeFile(bytes, storage), await storeFile(bytes, storage)];
    await referTo(referenced);
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await ageStoredFile(referenced, twoHoursAgo, storage);
    await ageStoredFile(orphanOld, twoHoursAgo, storage);

    const summary = await sweepStorage(new Date(), storage);
    expect(summary.removed).toBeGreaterThanOrEqual(1);
    const left = await storedKeys(storage);
    expect(left).toContain(referenced);
    expect(left).toContain(orphanNew);
    expect(left).not.toContain(orphanOld);
    expect(Buffer.from(await readStoredFile(referenced, storage)).equals(Buffer.from(bytes))).toBe(true);
  });
});
