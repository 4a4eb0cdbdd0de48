/**
 * Backups of the portal's SQLite file and their restoration (`npm run db:backup`, `npm run db:restore`;
 * docs/operations.md). A backup is taken with SQLite's online backup API while the portal runs and
 * writes: the copy is one consistent snapshot (a prefix of the committed transactions), checked with
 * `integrity_check` before it is called a backup. A restore checks the backup first, refuses while
 * the portal has the database open, and keeps the current file beside the restored one.
 */
import Database from "better-sqlite3";
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { configureConnection } from "./db.server";

/** The tables whose rows a backup and a restore report. */
export const REPORTED_TABLES = [
  "agencies",
  "procedures",
  "users",
  "sessions",
  "dossiers",
  "attachments",
  "dossier_events",
  "daily_counts",
  "payments",
  "results",
  "stored_files",
  "notifications",
] as const;
/** Without these a file is not the portal's database, whatever SQLite thinks of it. */
const REQUIRED_TABLES = ["__drizzle_migrations", "dossiers", "dossier_events", "daily_counts"];

/** A refusal with the message an operator reads; nothing has been changed when it is thrown. */
export class BackupRefused extends Error {}

export type DatabaseCheck = { integrity: string[]; foreignKeyViolations: number; counts: Record<string, number> };

/** "20261122-035500" (UTC), the stamp in backup and kept-file names. */
export function fileStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Opens the file read-only and checks it: SQLite's `integrity_check` and `foreign_key_check`, the
 * portal's tables present, and their row counts. Refuses (BackupRefused) a missing file, one that
 * is not SQLite, not the portal's, or damaged.
 */
export function checkDatabaseFile(file: string): DatabaseCheck {
  if (!existsSync(file)) throw new BackupRefused(`${file}: file not found`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupRefused(`${file}: cannot be opened as an SQLite database (${messageOf(error)})`);
  }
  try {
    let integrity: string[];
    try {
      integrity = sqlite.prepare("pragma integrity_check").pluck().all().map(String);
    } catch (error) {
      throw new BackupRefused(`${file}: damaged or not an SQLite database (${messageOf(error)})`);
    }
    if (integrity.length !== 1 || integrity[0] !== "ok") throw new BackupRefused(`${file}: integrity_check failed:\n  ${integrity.slice(0, 10).join("\n  ")}`);
    const present = new Set(sqlite.prepare("select name from sqlite_master where type = 'table'").pluck().all().map(String));
    const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
    if (missing.length > 0) throw new BackupRefused(`${file}: not a portal database (no ${missing.join(", ")} table)`);
    const foreignKeyViolations = sqlite.prepare("pragma foreign_key_check").all().length;
    if (foreignKeyViolations > 0) throw new BackupRefused(`${file}: foreign_key_check found ${foreignKeyViolations} violations`);
    // Names from the fixed list above, never from input.
    const counts = Object.fromEntries(
      REPORTED_TABLES.filter((t) => present.has(t)).map((t) => [t, Number(sqlite.prepare(`select count(*) from "${t}"`).pluck().get())]),
    );
    return { integrity, foreignKeyViolations, counts };
  } finally {
    sqlite.close();
  }
}

/** Forces a file's data, or a directory's entries (a rename), to the disk before we rely on them. */
export function fsyncPath(target: string): void {
  const fd = openSync(target, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Where `npm run db:backup [target]` writes: a named file, or a stamped file in a directory
 * (`.db` for SQLite's file, `.dump` for a pg_dump archive).
 */
export function backupPath(input: { target: string | undefined; backupDir: string; now: Date; extension?: ".db" | ".dump" }): string {
  const name = `portal-${fileStamp(input.now)}${input.extension ?? ".db"}`;
  if (!input.target) return path.resolve(input.backupDir, name);
  const isDirectory = input.target.endsWith("/") || (existsSync(input.target) && statSync(input.target).isDirectory());
  return isDirectory ? path.resolve(input.target, name) : path.resolve(input.target);
}

/**
 * Copies the live database to `dest` with the online backup API, then checks the copy. Every page
 * is copied in one step, which reads one snapshot (WAL: the portal keeps writing meanwhile) and
 * cannot be restarted forever by those writes, as small steps can. The copy is switched to a
 * rollback journal so it is one self-contained file, written under a temporary name and renamed
 * once synced, so a crash never leaves a half copy under the backup's name.
 */
export async function backupDatabase(input: { source: string; dest: string }): Promise<{ bytes: number; ms: number; check: DatabaseCheck }> {
  if (!existsSync(input.source)) throw new BackupRefused(`${input.source}: no database to back up`);
  if (existsSync(input.dest)) throw new BackupRefused(`${input.dest} already exists; a backup never overwrites a file`);
  mkdirSync(path.dirname(input.dest), { recursive: true });
  const partial = `${input.dest}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const source = new Database(input.source, { fileMustExist: true });
  try {
    source.pragma("busy_timeout = 5000");
    await source.backup(partial, { progress: () => 0x7fffffff });
  } catch (error) {
    rmSync(partial, { force: true });
    throw new BackupRefused(`backup of ${input.source} failed: ${messageOf(error)}`);
  } finally {
    source.close();
  }
  const copy = new Database(partial);
  copy.pragma("journal_mode = DELETE");
  copy.close();
  fsyncPath(partial);
  renameSync(partial, input.dest);
  fsyncPath(path.dirname(input.dest));
  const ms = performance.now() - started;
  return { bytes: statSync(input.dest).size, ms, check: checkDatabaseFile(input.dest) };
}

/**
 * Whether another connection (the portal) has the database open: in WAL mode every open connection
 * holds a shared lock on the file, so an exclusive lock is granted only when nobody else is there.
 * While we hold it, the WAL is checkpointed into the main file, so the kept copy is complete.
 */
function takeOverCurrent(target: string): "free" | { busy: true } | { unreadable: string } {
  const sqlite = new Database(target, { fileMustExist: true });
  try {
    sqlite.pragma("busy_timeout = 0");
    sqlite.pragma("locking_mode = EXCLUSIVE");
    sqlite.exec("BEGIN EXCLUSIVE");
    sqlite.exec("COMMIT");
    sqlite.pragma("wal_checkpoint(TRUNCATE)");
    return "free";
  } catch (error) {
    const code = error instanceof Error && "code" in error ? String(error.code) : "";
    return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED") ? { busy: true } : { unreadable: messageOf(error) };
  } finally {
    // Being the last connection, closing also folds the WAL into the file and removes -wal and -shm.
    sqlite.close();
  }
}

export type RestoreReport = { restored: string; from: string; kept: string[]; backup: DatabaseCheck; after: DatabaseCheck };

/**
 * Puts a backup in place of the database at `target`:
 * 1. checks the backup (integrity, the portal's tables) — a bad backup changes nothing;
 * 2. refuses while the portal has the current database open (see takeOverCurrent); a current file
 *    SQLite cannot read cannot be checked that way, and is replaced only with `force`;
 * 3. keeps the current database as `<target>.before-restore-<stamp>` (with its -wal/-shm, if any);
 * 4. copies the backup beside the target, syncs it and renames it into place;
 * 5. opens the result with the portal's connection settings (WAL) and checks it again.
 */
export function restoreDatabase(input: { backup: string; target: string; force: boolean; now: Date }): RestoreReport {
  const backup = path.resolve(input.backup);
  const target = path.resolve(input.target);
  if (backup === target) throw new BackupRefused("the backup is the database itself");
  const backupCheck = checkDatabaseFile(backup);

  const kept: string[] = [];
  if (existsSync(target)) {
    const state = takeOverCurrent(target);
    if (state !== "free" && "busy" in state)
      throw new BackupRefused(`${target} is in use (the portal is running, or another program has it open): stop it, then restore`);
    if (state !== "free" && !input.force) {
      throw new BackupRefused(
        `${target} cannot be read (${state.unreadable}), so whether the portal is using it cannot be checked: stop the portal, then run the restore again with --force`,
      );
    }
    let keptName = `${target}.before-restore-${fileStamp(input.now)}`;
    for (let n = 2; existsSync(keptName); n += 1) keptName = `${target}.before-restore-${fileStamp(input.now)}-${n}`;
    renameSync(target, keptName);
    kept.push(keptName);
    // Sidecars belong to the file they sit beside: they move with the kept copy, never onto the restored one.
    for (const suffix of ["-wal", "-shm", "-journal"]) {
      if (existsSync(`${target}${suffix}`)) {
        renameSync(`${target}${suffix}`, `${keptName}${suffix}`);
        kept.push(`${keptName}${suffix}`);
      }
    }
  } else {
    mkdirSync(path.dirname(target), { recursive: true });
  }

  const incoming = `${target}.restoring`;
  copyFileSync(backup, incoming);
  fsyncPath(incoming);
  renameSync(incoming, target);
  fsyncPath(path.dirname(target));

  // Opened as the portal opens it (WAL); this connection closes last, so it removes the -wal and
  // -shm files the read-only check leaves behind.
  const restored = new Database(target, { fileMustExist: true });
  try {
    configureConnection(restored, { synchronous: "NORMAL" });
    restored.prepare("select count(*) from sqlite_master").get(); // a read opens the WAL, so the close cleans it up
    return { restored: target, from: backup, kept, backup: backupCheck, after: checkDatabaseFile(target) };
  } finally {
    restored.close();
  }
}

/** Row counts as a small table for the command line. */
export function formatCounts(counts: Record<string, number>): string {
  const width = Math.max(...Object.keys(counts).map((k) => k.length), 5);
  return Object.entries(counts)
    .map(([table, n]) => `  ${table.padEnd(width)} ${String(n).padStart(9)}`)
    .join("\n");
}
