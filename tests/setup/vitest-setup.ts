import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, inject, vi } from "vitest";

// Each test file gets its own database file and storage folder: a copy of the run's migrated and
// seeded template database (tests/setup/template-db.ts).
const dir = mkdtempSync(path.join(tmpdir(), "portal-test-"));
process.env.DATABASE_PATH = path.join(dir, "portal.db");
process.env.STORAGE_DIR = path.join(dir, "storage");
process.env.NODE_ENV = "test";
// The VNeID simulator's own store, beside the file's database (never data/ in the working tree).
process.env.VNEID_SIM_DB = path.join(dir, "vneid-sim.db");
copyFileSync(inject("templateDatabase"), process.env.DATABASE_PATH);

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
