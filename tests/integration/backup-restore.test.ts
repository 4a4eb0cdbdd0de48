// Backups taken while another process keeps writing are consistent snapshots, and a restore puts one
// back exactly, keeping the database it replaces — or refuses, changing nothing. The backup and
// restore commands (db/backup.ts, db/restore.ts) run as an operator runs them, in their own process.
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { backupDatabase, BackupRefused, checkDatabaseFile } from "../../app/server/platform/backup.server";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";
import { configureConnection, db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { guardConnection } from "../../app/server/platform/sqlite-guard.server";
import { verifyRollups } from "../../app/server/statistics/rollup.server";
import { schema } from "../../app/server/platform/schema.server";

const dir = mkdtempSync(path.join(tmpdir(), "portal-backup-"));
const backups: string[] = [];
let cliBackup = "";
let writerTotal = { committed: 0, dossiers: 0 };

/** One of the npm commands (`tsx db/<script>.ts`) with its own environment; never rejects. */
function command(script: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", `db/${script}.ts`, ...args],
      { env: { ...process.env, ...extraEnv }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every table's rows, hashed: two files with the same digests hold the same data. */
function digests(file: string): Record<string, string> {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all().map(String);
    // Rows sorted as text: some tables (the search index's) have no rowid to order by.
    const rowsOf = (t: string) =>
      sqlite
        .prepare(`select * from "${t}"`)
        .raw()
        .all()
        .map((row) => JSON.stringify(row))
        .sort();
    return Object.fromEntries(tables.map((t) => [t, createHash("sha256").update(rowsOf(t).join("\n")).digest("hex")]));
  } finally {
    sqlite.close();
  }
}

const fileHash = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** What a snapshot must satisfy if it is a prefix of the committed transactions. */
async function prefixProblems(file: string) {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = (sql: string) => sqlite.prepare(sql).all();
    // Guarded as the portal's connection is, for verifyRollups' inTransaction (no write lock on a read-only one).
    const guarded = guardConnection(sqlite, () => null);
    return {
      eventsWithoutDossier: rows(
        "select e.id from dossier_events e where e.dossier_id is not null and not exists (select 1 from dossiers d where d.id = e.dossier_id)",
      ),
      submittedWithoutEvent: rows(
        "select d.id from dossiers d where d.status >= 1 and not exists (select 1 from dossier_events e where e.dossier_id = d.id and e.type = 'submitted')",
      ),
      // The row and its latest status event were written together: they agree.
      statusNotItsLastEvent: rows(
        "select d.id from dossiers d where d.status >= 1 and d.status <> (select e.to_status from dossier_events e where e.dossier_id = d.id and e.to_status is not null order by e.id desc limit 1)",
      ),
      rollupMismatches: (await verifyRollups(drizzle(guarded, { schema }))).mismatches,
    };
  } finally {
    sqlite.close();
  }
}

const NO_PROBLEMS = { eventsWithoutDossier: [], submittedWithoutEvent: [], statusNotItsLastEvent: [], rollupMismatches: [] };

function countOf(file: string, sql: string): number {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return Number(sqlite.prepare(sql).pluck().get());
  } finally {
    sqlite.close();
  }
}

describe("backups while the portal writes", () => {
  let writer: ChildProcess | undefined;

  beforeAll(async () => {
    db(); // the seeded test database the writer works on
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/event-writer.ts"], {
      env: { ...process.env, DATABASE_PATH: env().DATABASE_PATH },
      stdio: ["ignore", "pipe", "pipe"],
    });
    writer = child;
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (out.includes("writing")) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
      child.once("exit", (code) => {
        clearInterval(timer);
        reject(new Error(`the writer stopped (${code}): ${out}`));
      });
    });

    // Three backups through the module, one through the command, while the writer keeps going.
    for (let i = 0; i < 3; i += 1) {
      const dest = path.join(dir, `snapshot-${i}.db`);
      await backupDatabase({ source: env().DATABASE_PATH, dest });
      backups.push(dest);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const cli = await command("backup", [], { BACKUP_DIR: path.join(dir, "scheduled") });
    if (cli.code !== 0) throw new Error(`db:backup failed: ${cli.stderr}`);
    cliBackup = path.join(dir, "scheduled", readdirSync(path.join(dir, "scheduled"))[0] ?? "");
    backups.push(cliBackup);
    await new Promise((resolve) => setTimeout(resolve, 300));

    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
    writerTotal = z.object({ committed: z.number(), dossiers: z.number() }).parse(JSON.parse(out.trim().split("\n").at(-1) ?? ""));
  }, 120_000);

  afterAll(() => {
    writer?.kill("SIGKILL");
  });

  it("writes each backup as a checked, self-contained file that is a prefix of the writes", async () => {
    const writerDossiers = backups.map((file) => countOf(file, "select count(*) from dossiers where receipt_code like 'W%'"));
    // Taken during the writes: each holds some of them, later ones more, and the writer went on after the last.
    expect(writerDossiers[0]).toBeGreaterThan(0);
    for (let i = 1; i < writerDossiers.length; i += 1) expect(writerDossiers[i]).toBeGreaterThanOrEqual(writerDossiers[i - 1] ?? 0);
    expect(writerTotal.dossiers).toBeGreaterThan(writerDossiers.at(-1) ?? 0);
    console.log(`writer dossiers in the backups: ${writerDossiers.join(", ")}; written in all: ${writerTotal.dossiers}`);
    for (const file of backups) {
      expect({ file, problems: await prefixProblems(file) }).toEqual({ file, problems: NO_PROBLEMS });
      expect(checkDatabaseFile(file).integrity).toEqual(["ok"]);
      // One file, no -wal to lose on the way to the backup store.
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect([...readFileSync(file).subarray(18, 20)], "header: rollback journal, not WAL").toEqual([1, 1]);
    }
    expect(path.basename(cliBackup)).toMatch(/^portal-\d{8}-\d{6}\.db$/);
  });

  it("the backup command prints the check and the row counts, and never overwrites a file", async () => {
    const dest = path.join(dir, "named.db");
    const first = await command("backup", [dest]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`→ ${dest}`);
    expect(first.stdout).toContain("integrity_check: ok; foreign_key_check: 0 violations");
    expect(first.stdout).toMatch(new RegExp(`dossiers\\s+${countOf(dest, "select count(*) from dossiers")}\\n`));
    const again = await command("backup", [dest]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");
    await expect(backupDatabase({ source: path.join(dir, "none.db"), dest: path.join(dir, "x.db") })).rejects.toThrow(BackupRefused);
  }, 120_000);

  it("restores a backup exactly, keeps the database it replaces, and the portal opens the result", async () => {
    const chosen = backups[1] ?? "";
    const target = path.join(dir, "live", "portal.db");
    await command("backup", [target]); // a database with other rows than the chosen backup
    const before = digests(target);
    expect(before).not.toEqual(digests(chosen));

    const restored = await command("restore", [chosen], { DATABASE_PATH: target });
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    const kept = readdirSync(path.dirname(target)).filter((f) => f.startsWith("portal.db.before-restore-"));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^portal\.db\.before-restore-\d{8}-\d{6}$/);
    expect(restored.stdout).toContain(`kept the previous database as ${path.join(path.dirname(target), kept[0] ?? "")}`);
    expect(restored.stdout).toContain("npm run stats:verify");
    expect(digests(path.join(path.dirname(target), kept[0] ?? ""))).toEqual(before);
    expect(readdirSync(path.dirname(target)).sort()).toEqual(["portal.db", kept[0]]);

    // Opened as the portal opens it: WAL, foreign keys on, migrations (none left to apply), and the very rows of the backup.
    const portal = await bootstrapFile(target, { seed: false });
    try {
      expect(portal.$client.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(portal.$client.pragma("foreign_keys", { simple: true })).toBe(1);
      expect((await verifyRollups(portal)).mismatches).toEqual([]);
    } finally {
      portal.$client.close();
    }
    expect(digests(target)).toEqual(digests(chosen));
  }, 120_000);

  it("refuses a missing file, garbage, a damaged backup and a database in use, changing nothing", async () => {
    const target = path.join(dir, "guarded", "portal.db");
    await command("backup", [target]);
    // The portal's file is in WAL mode (a backup is not until the portal or a restore opens it).
    const opened = new Database(target);
    configureConnection(opened, { synchronous: "NORMAL" });
    opened.prepare("select count(*) from dossiers").get();
    opened.close();
    const untouched = fileHash(target);
    const garbage = path.join(dir, "garbage.db");
    writeFileSync(garbage, randomBytes(64 * 1024));
    const damaged = path.join(dir, "damaged.db");
    copyFileSync(backups[0] ?? "", damaged);
    const bytes = readFileSync(damaged);
    // Garbage over pages in the middle of the file, past the header and the schema.
    randomBytes(16 * 1024).copy(bytes, Math.floor(bytes.length / 2));
    writeFileSync(damaged, bytes);

    const cases: [string, RegExp][] = [
      [path.join(dir, "no-such-backup.db"), /restore refused, nothing was changed: .*no-such-backup\.db: file not found/],
      [garbage, /restore refused, nothing was changed: .*garbage\.db: damaged or not an SQLite database \(file is not a database\)/],
      [damaged, /restore refused, nothing was changed: .*damaged\.db: (damaged or not an SQLite database|integrity_check failed)/],
    ];
    for (const [file, message] of cases) {
      const res = await command("restore", [file], { DATABASE_PATH: target });
      expect({ file, code: res.code, stderr: res.stderr.trim() }).toEqual({ file, code: 1, stderr: expect.stringMatching(message) });
    }

    // The portal running: its connection holds the file.
    const portal = new Database(target);
    configureConnection(portal, { synchronous: "NORMAL" });
    portal.prepare("select count(*) from dossiers").get();
    try {
      const res = await command("restore", [backups[0] ?? ""], { DATABASE_PATH: target });
      expect(res.code).toBe(1);
      expect(res.stderr).toContain("is in use (the portal is running, or another program has it open): stop it, then restore");
    } finally {
      portal.close();
    }

    expect(fileHash(target)).toBe(untouched);
    expect(readdirSync(path.dirname(target))).toEqual(["portal.db"]);
    const usage = await command("restore", []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: npm run db:restore -- <backup file>");
  }, 120_000); // four child processes (restore runs); a loaded CI machine needs more than the default 20 s
});
