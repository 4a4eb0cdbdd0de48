import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";

// Each test file gets its own database file, migrated and seeded, and storage folder.
const dir = mkdtempSync(path.join(tmpdir(), "portal-test-"));
process.env.DATABASE_PATH = path.join(dir, "portal.db");
process.env.STORAGE_DIR = path.join(dir, "storage");
process.env.NODE_ENV = "test";
bootstrapFile(process.env.DATABASE_PATH, { seed: true }).$client.close();

// A console.error during a test is a bug we want to see, not noise.
let errorSpy: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorSpy = vi.spyOn(console, "error");
});
afterEach(() => {
  const calls = errorSpy.mock.calls;
  errorSpy.mockRestore();
  if (calls.length > 0) throw new Error(`console.error was called: ${calls.map((c) => c.map(String).join(" ")).join("\n")}`);
});
