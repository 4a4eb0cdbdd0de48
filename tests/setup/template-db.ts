// vitest globalSetup: one migrated, seeded database per run, which the setup file copies for each
// test file (a file copy takes milliseconds; migrating and seeding took about a second per file).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-template-"));
  const file = path.join(dir, "portal.db");
  const client = await bootstrapFile(file, { seed: true, synchronous: "NORMAL" });
  // Closing the last connection checkpoints the WAL into the file and removes it: the one file is the whole database.
  client.$client.close();
  project.provide("templateDatabase", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
