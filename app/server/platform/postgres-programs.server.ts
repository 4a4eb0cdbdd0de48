/**
 * Where PostgreSQL's client and server programs are (pg_dump and pg_restore for the backups, initdb
 * and pg_ctl for the tests' throwaway cluster): one finder, so the scripts and the tests agree.
 */
import { accessSync, constants, existsSync, readdirSync } from "node:fs";
import path from "node:path";

const DEBIAN_ROOT = "/usr/lib/postgresql";

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The folder holding `program`: PG_BIN when set (and then only there, so a chosen version is never
 * silently replaced by another), else the newest version under /usr/lib/postgresql (Debian keeps
 * initdb and pg_ctl only there, and a versioned pg_dump is not subject to the wrapper's choice of
 * cluster), else the first folder on PATH that has it. Null when none has it.
 */
export function postgresBinaries(program: string, source: Record<string, string | undefined> = process.env): string | null {
  if (source.PG_BIN) return executable(path.join(source.PG_BIN, program)) ? source.PG_BIN : null;
  if (existsSync(DEBIAN_ROOT)) {
    const versions = readdirSync(DEBIAN_ROOT)
      .filter((v) => /^\d+$/.test(v) && executable(path.join(DEBIAN_ROOT, v, "bin", program)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(DEBIAN_ROOT, versions[0], "bin");
  }
  for (const folder of (source.PATH ?? "").split(path.delimiter)) {
    if (folder && executable(path.join(folder, program))) return folder;
  }
  return null;
}

/** The full path of one of PostgreSQL's programs, or null (see postgresBinaries for where it looks). */
export function postgresProgram(program: string, source: Record<string, string | undefined> = process.env): string | null {
  const folder = postgresBinaries(program, source);
  return folder ? path.join(folder, program) : null;
}
