/**
 * Backups of the portal's PostgreSQL database (DATABASE_URL) and their restoration, the twin of
 * backup.server.ts for SQLite (`npm run db:backup`, `npm run db:restore`; docs/operations.md).
 *
 * A backup is `pg_dump --format=custom` run on a snapshot this module exports from a REPEATABLE READ
 * transaction, in which it also counts the rows: the counts printed are those of the dump, and the
 * portal keeps writing meanwhile. A restore checks the archive, restores it into a new database
 * beside the current one, then swaps the two names, keeping the current database under
 * `<name>_before_restore_<stamp>`. Programs are run with argument arrays, the password passed in
 * PGPASSWORD, never on a command line.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, openSync, readSync, closeSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import * as z from "zod";
import { BackupRefused, fileStamp, fsyncPath, REPORTED_TABLES } from "./backup.server";
import { postgresProgram } from "./postgres-programs.server";

/** Without these an archive is not the portal's database, whatever pg_restore thinks of it. */
const REQUIRED_TABLES = ["drizzle.__drizzle_migrations", "public.dossiers", "public.dossier_events", "public.daily_counts"];
/** PostgreSQL's longest identifier in bytes: a longer name is silently cut, so we refuse instead. */
const MAX_IDENTIFIER_BYTES = 63;
/** Databases a restore never replaces: the server's own. */
const SYSTEM_DATABASES = new Set(["postgres", "template0", "template1"]);

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What libpq's programs are given for a connection URL: the URL without its password (which would
 * show in `ps` and in logs), the password apart for PGPASSWORD, and the database's name.
 */
export function libpqTarget(url: string): { connection: string; password: string | undefined; database: string } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = "";
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  if (!database) throw new BackupRefused("DATABASE_URL names no database (postgres://user:password@host:port/database)");
  return { connection: parsed.toString(), password, database };
}

/** The same server, another database (the `postgres` maintenance one, or a restore's new one). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** One of PostgreSQL's programs, or a refusal that says where it was looked for. */
function requireProgram(program: string): string {
  const found = postgresProgram(program);
  if (found) return found;
  const where = process.env.PG_BIN ? `PG_BIN=${process.env.PG_BIN}` : "/usr/lib/postgresql/<version>/bin nor on PATH";
  throw new BackupRefused(`${program} not found (looked in ${where}): install PostgreSQL's client programs (apt-get install postgresql-client) or set PG_BIN`);
}

/** Runs a program with an argument array; resolves with its output, or rejects with its stderr. */
function runProgram(file: string, args: string[], password: string | undefined): Promise<{ stdout: string; stderr: string }> {
  const childEnv = password === undefined ? process.env : { ...process.env, PGPASSWORD: password };
  return new Promise((resolve, reject) => {
    execFile(file, args, { env: childEnv, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${path.basename(file)} failed (${error.code ?? error.signal ?? "?"}): ${stderr.trim() || error.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new BackupRefused(`cannot connect to ${libpqTarget(url).connection}: ${messageOf(error)}`);
  }
  return client;
}

const CountRow = z.object({ n: z.coerce.number() });
const NameRow = z.object({ name: z.string() });

/** Row counts of the reported tables the database has, in the client's current transaction. */
async function countRows(client: pg.Client): Promise<Record<string, number>> {
  const present = new Set(
    (await client.query("select table_name as name from information_schema.tables where table_schema = 'public'")).rows.map((r) => NameRow.parse(r).name),
  );
  const counts: Record<string, number> = {};
  for (const table of REPORTED_TABLES.filter((t) => present.has(t))) {
    // Names from the fixed list, quoted all the same.
    counts[table] = CountRow.parse((await client.query(`select count(*) as n from public.${pg.escapeIdentifier(table)}`)).rows[0]).n;
  }
  return counts;
}

export type ArchiveCheck = {
  /** Entries in the archive's table of contents. */
  entries: number;
  /** `schema.table` of every table whose data the archive holds. */
  tables: string[];
  /** What the archive's header says, when it says it. */
  database: string | undefined;
  createdAt: string | undefined;
  serverVersion: string | undefined;
  encoding: string | undefined;
};

/**
 * Checks that a file is a custom-format pg_dump archive of the portal's database: its signature,
 * `pg_restore --list` reading its whole table of contents, and the portal's tables' data in it.
 * Refuses (BackupRefused) anything else.
 */
export async function checkArchive(file: string): Promise<ArchiveCheck> {
  if (!existsSync(file)) throw new BackupRefused(`${file}: file not found`);
  if (!statSync(file).isFile()) throw new BackupRefused(`${file}: not a file`);
  const head = Buffer.alloc(5);
  const fd = openSync(file, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  // Every custom-format archive begins so (pg_backup_archiver.c); a plain SQL or tar dump does not.
  if (head.toString("latin1") !== "PGDMP")
    throw new BackupRefused(`${file}: not a custom-format pg_dump archive (npm run db:backup or pg_dump --format=custom makes one)`);
  const pgRestore = requireProgram("pg_restore");
  let listing: string;
  try {
    listing = (await runProgram(pgRestore, ["--list", file], undefined)).stdout;
  } catch (error) {
    throw new BackupRefused(`${file}: pg_restore cannot read it (${messageOf(error)})`);
  }
  const lines = listing.split("\n");
  const header = (label: string) =>
    lines
      .find((l) => l.startsWith(`;     ${label}:`) || l.startsWith(`; ${label}:`))
      ?.replace(/^;\s+[^:]+:\s*/, "")
      .trim();
  const tables = lines.flatMap((line) => {
    const match = /^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) /.exec(line);
    return match ? [`${match[1]}.${match[2]}`] : [];
  });
  const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) throw new BackupRefused(`${file}: not a dump of the portal's database (no ${missing.join(", ")} table)`);
  return {
    entries: lines.filter((l) => /^\d+;/.test(l)).length,
    tables,
    database: header("dbname"),
    createdAt: header("Archive created at"),
    serverVersion: header("Dumped from database version"),
    encoding: header("Encoding"),
  };
}

export type PostgresBackup = {
  dest: string;
  database: string;
  bytes: number;
  ms: number;
  snapshot: string;
  counts: Record<string, number>;
  archive: ArchiveCheck;
};

/**
 * Dumps the database at `url` into `dest` while the portal runs: a REPEATABLE READ transaction
 * exports its snapshot, counts the reported tables in it and stays open while pg_dump imports the
 * same snapshot (`--snapshot`), so the counts are the dump's. The archive is written under a
 * temporary name, synced, checked (checkArchive) and only then renamed, so the backup's name never
 * holds a half or unreadable archive.
 */
export async function backupPostgres(input: { url: string; dest: string }): Promise<PostgresBackup> {
  const pgDump = requireProgram("pg_dump");
  requireProgram("pg_restore"); // for the check, before anything is written
  const target = libpqTarget(input.url);
  if (existsSync(input.dest)) throw new BackupRefused(`${input.dest} already exists; a backup never overwrites a file`);
  mkdirSync(path.dirname(input.dest), { recursive: true });
  const partial = `${input.dest}.partial`;
  rmSync(partial, { force: true });
  const started = performance.now();
  const client = await connect(input.url);
  let snapshot: string;
  let counts: Record<string, number>;
  try {
    await client.query("begin isolation level repeatable read read only");
    snapshot = z.object({ id: z.string() }).parse((await client.query("select pg_export_snapshot() as id")).rows[0]).id;
    counts = await countRows(client);
    try {
      await runProgram(
        pgDump,
        ["--format=custom", `--snapshot=${snapshot}`, `--file=${partial}`, "--no-password", `--dbname=${target.connection}`],
        target.password,
      );
    } catch (error) {
      rmSync(partial, { force: true });
      throw new BackupRefused(`backup of ${target.connection} failed: ${messageOf(error)}`);
    }
  } finally {
    // The exported snapshot lives as long as this transaction: ended only once pg_dump is done.
    await client.query("rollback").catch(() => undefined);
    await client.end().catch(() => undefined);
  }
  fsyncPath(partial);
  let archive: ArchiveCheck;
  try {
    archive = await checkArchive(partial);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  renameSync(partial, input.dest);
  fsyncPath(path.dirname(input.dest));
  return { dest: input.dest, database: target.database, bytes: statSync(input.dest).size, ms: performance.now() - started, snapshot, counts, archive };
}

const SessionRow = z.object({ pid: z.number(), usename: z.string().nullable(), application_name: z.string().nullable(), client_addr: z.string().nullable() });

/** The other sessions connected to a database (the portal's pools, its jobs, a psql). */
async function otherSessions(admin: pg.Client, database: string): Promise<z.infer<typeof SessionRow>[]> {
  const result = await admin.query(
    "select pid, usename, application_name, host(client_addr) as client_addr from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()",
    [database],
  );
  return result.rows.map((r) => SessionRow.parse(r));
}

function describeSessions(sessions: z.infer<typeof SessionRow>[]): string {
  const groups = new Map<string, number>();
  for (const s of sessions) {
    const key = `${s.usename ?? "?"}@${s.client_addr ?? "local"}${s.application_name ? ` (${s.application_name})` : ""}`;
    groups.set(key, (groups.get(key) ?? 0) + 1);
  }
  return [...groups].map(([key, n]) => `${n} × ${key}`).join(", ");
}

async function databaseExists(admin: pg.Client, name: string): Promise<boolean> {
  return (await admin.query("select 1 from pg_database where datname = $1", [name])).rowCount === 1;
}

function errorCode(error: unknown): string | undefined {
  const code: unknown = error instanceof Error ? Reflect.get(error, "code") : undefined;
  return typeof code === "string" ? code : undefined;
}

/** A free database name `<base>`, `<base>_2`, …, refused when PostgreSQL would cut it. */
async function freeName(admin: pg.Client, base: string): Promise<string> {
  let name = base;
  for (let n = 2; await databaseExists(admin, name); n += 1) name = `${base}_${n}`;
  if (Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES) {
    throw new BackupRefused(
      `the database name ${name} would be longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES} bytes: restore into a database with a shorter name`,
    );
  }
  return name;
}

const DatabaseRow = z.object({ owner: z.string(), encoding: z.string(), collate: z.string(), ctype: z.string() });

async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [name]);
  await admin.query(`drop database if exists ${pg.escapeIdentifier(name)}`);
}

export type PostgresRestoreReport = {
  from: string;
  database: string;
  /** The previous database's new name; null when there was none. */
  kept: string | null;
  /** Sessions `force` disconnected. */
  disconnected: number;
  archive: ArchiveCheck;
  counts: Record<string, number>;
};

/**
 * Puts a pg_dump archive in place of the database DATABASE_URL names:
 * 1. checks the archive (checkArchive) — anything else changes nothing;
 * 2. refuses while other sessions are connected to the database (the portal, its jobs), unless
 *    `force`, which disconnects them;
 * 3. restores into a new database `<name>_restoring_<stamp>` (same owner, encoding and locale as the
 *    current one) with `pg_restore --no-owner --role=<owner> --single-transaction --exit-on-error`,
 *    then ANALYZE (a dump holds no planner statistics) — on failure it is dropped, nothing changed;
 * 4. in one transaction renames the current database to `<name>_before_restore_<stamp>` and the new
 *    one to `<name>` (a rename is refused while anyone is connected, so nobody sees a half state);
 * 5. counts the reported tables in the result.
 * Run as the database's owner (with CREATEDB) or a superuser, on the `postgres` maintenance database.
 */
export async function restorePostgres(input: { backup: string; url: string; force: boolean; now: Date }): Promise<PostgresRestoreReport> {
  const pgRestore = requireProgram("pg_restore");
  const backup = path.resolve(input.backup);
  const archive = await checkArchive(backup);
  const target = libpqTarget(input.url);
  const database = target.database;
  if (SYSTEM_DATABASES.has(database)) throw new BackupRefused(`${database} is PostgreSQL's own database; restore into the portal's`);

  const admin = await connect(withDatabase(input.url, "postgres"));
  try {
    const stamp = fileStamp(input.now).replace("-", "_");
    const previous = await admin.query(
      "select pg_get_userbyid(datdba) as owner, pg_encoding_to_char(encoding) as encoding, datcollate as collate, datctype as ctype from pg_database where datname = $1",
      [database],
    );
    const current = previous.rows[0] === undefined ? undefined : DatabaseRow.parse(previous.rows[0]);
    const keptName = current ? await freeName(admin, `${database}_before_restore_${stamp}`) : null;
    const restoring = await freeName(admin, `${database}_restoring_${stamp}`);
    const refuseInUse = (sessions: z.infer<typeof SessionRow>[]) =>
      new BackupRefused(
        `database ${database} is in use by ${sessions.length} other session(s): ${describeSessions(sessions)}. Stop the portal and its jobs, then restore (--force disconnects them)`,
      );
    if (current && !input.force) {
      const sessions = await otherSessions(admin, database);
      if (sessions.length > 0) throw refuseInUse(sessions);
    }

    const options = current
      ? ` owner ${pg.escapeIdentifier(current.owner)} encoding ${pg.escapeLiteral(current.encoding)} lc_collate ${pg.escapeLiteral(current.collate)} lc_ctype ${pg.escapeLiteral(current.ctype)}`
      : archive.encoding
        ? ` encoding ${pg.escapeLiteral(archive.encoding)}`
        : "";
    try {
      await admin.query(`create database ${pg.escapeIdentifier(restoring)} template template0${options}`);
    } catch (error) {
      throw new BackupRefused(`cannot create the database to restore into (${restoring}): ${messageOf(error)}`);
    }
    let counts: Record<string, number>;
    try {
      // Objects made by the previous owner's role, so the portal (connecting as that role) owns them again.
      const role = current ? [`--role=${current.owner}`] : [];
      const into = libpqTarget(withDatabase(input.url, restoring));
      await runProgram(
        pgRestore,
        ["--no-owner", ...role, "--single-transaction", "--exit-on-error", "--no-password", `--dbname=${into.connection}`, backup],
        into.password,
      );
      const restored = await connect(withDatabase(input.url, restoring));
      try {
        await restored.query("analyze");
        counts = await countRows(restored);
      } finally {
        await restored.end();
      }
    } catch (error) {
      await dropDatabase(admin, restoring).catch(() => undefined);
      throw new BackupRefused(`restoring ${backup} failed, and the half-made ${restoring} was dropped: ${messageOf(error)}`);
    }

    // The swap. With `force`, sessions are disconnected just before it; a pool reconnecting at once
    // can win the race, so the swap is tried a few times.
    let disconnected = 0;
    for (let attempt = 1; ; attempt += 1) {
      if (current && input.force) {
        const ended = await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()", [database]);
        disconnected += ended.rowCount ?? 0;
      }
      try {
        await admin.query("begin");
        if (keptName) await admin.query(`alter database ${pg.escapeIdentifier(database)} rename to ${pg.escapeIdentifier(keptName)}`);
        await admin.query(`alter database ${pg.escapeIdentifier(restoring)} rename to ${pg.escapeIdentifier(database)}`);
        await admin.query("commit");
        break;
      } catch (error) {
        await admin.query("rollback").catch(() => undefined);
        // 55006: the database is being accessed by other users.
        if (errorCode(error) === "55006" && input.force && attempt < 20) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          continue;
        }
        await dropDatabase(admin, restoring).catch(() => undefined);
        const sessions = await otherSessions(admin, database).catch(() => []);
        if (errorCode(error) === "55006" && sessions.length > 0) throw refuseInUse(sessions);
        throw new BackupRefused(`cannot put the restored database in place: ${messageOf(error)}`);
      }
    }
    return { from: backup, database, kept: keptName, disconnected, archive, counts };
  } finally {
    await admin.end().catch(() => undefined);
  }
}
