import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { postgresBinaries, postgresProgram } from "./postgres-programs.server";

/** A folder holding executable stand-ins for the named programs. */
function folderWith(...programs: string[]): string {
  const folder = mkdtempSync(path.join(tmpdir(), "pg-bin-"));
  mkdirSync(folder, { recursive: true });
  for (const program of programs) {
    writeFileSync(path.join(folder, program), "#!/bin/sh\n");
    chmodSync(path.join(folder, program), 0o755);
  }
  return folder;
}

describe("finding PostgreSQL's programs", () => {
  it("takes PG_BIN when set, and only PG_BIN", () => {
    const chosen = folderWith("pg_dump");
    const onPath = folderWith("pg_dump", "pg_restore");
    expect(postgresProgram("pg_dump", { PG_BIN: chosen, PATH: onPath })).toBe(path.join(chosen, "pg_dump"));
    expect(postgresBinaries("pg_restore", { PG_BIN: chosen, PATH: onPath })).toBeNull();
  });

  it("falls back to the first folder on PATH that has the program, skipping files that are not executable", () => {
    const empty = folderWith();
    const notExecutable = folderWith();
    writeFileSync(path.join(notExecutable, "pg_zz_test_program"), "");
    const found = folderWith("pg_zz_test_program");
    const PATH = [empty, notExecutable, found].join(path.delimiter);
    expect(postgresProgram("pg_zz_test_program", { PATH })).toBe(path.join(found, "pg_zz_test_program"));
    expect(postgresProgram("pg_zz_missing", { PATH })).toBeNull();
  });
});
