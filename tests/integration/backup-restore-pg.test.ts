// The PostgreSQL twin of backup-restore.test.ts (backup-postgres.server.ts): a backup taken while
// the portal writes is one snapshot, and the counts it prints are that snapshot's; a restore puts a
// backup back exactly, keeping the database it replaces — or refuses, changing nothing. The
// commands (db/backup.ts, db/restore.ts) run as an operator runs them, in their own process. Runs
// on the postgres project only (its test database, DATABASE_URL); restores go into databases this
// file makes, never the one its own pool is connected to.
import { eq, like } from "drizzle-orm";
import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { backupPostgres, libpqTarget, withDatabase, type PostgresBackup } from "../../app/server/platform/backup-postgres.server";
import { BackupRefused } from "../../app/server/platform/backup.server";
import { closeDatabase, db, inTransaction, openPostgres, type Db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { postgresProgram } from "../../app/server/platform/postgres-programs.server";
import { schema } from "../../app/server/platform/schema.server";
import { verifyRollups } from "../../app/server/statistics/rollup.server";
import { recordEvent } from "../../app/server/statistics/events.server";

describe("connection strings handed to pg_dump and pg_restore", () => {
  it("keep the password out of the arguments, for PGPASSWORD", () => {
    expect(libpqTarget("postgres://portal:s%40cret%2F1@db.internal:5433/portal_prod?sslmode=require")).toEqual({
      connection: "postgres://portal@db.internal:5433/portal_prod?sslmode=require",
      password: "s@cret/1",
      database: "portal_prod",
    });
    expect(libpqTarget("postgresql://portal@127.0.0.1/portal")).toEqual({
      connection: "postgresql://portal@127.0.0.1/portal",
      password: undefined,
      database: "portal",
    });
    expect(withDatabase("postgres://portal:pw@127.0.0.1:5432/portal?sslmode=require", "postgres")).toBe(
      "postgres://portal:pw@127.0.0.1:5432/postgres?sslmode=require",
    );
    expect(() => libpqTarget("postgres://portal@127.0.0.1:5432/")).toThrow(BackupRefused);
  });
});

const url = process.env.DATABASE_URL ?? "";
const suffix = randomBytes(3).toString("hex");

/** One of the npm commands (`tsx db/<script>.ts`) with its own environment; never rejects. */
function command(script: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", `db/${script}.ts`, ...args],
      { env: { ...process.env, ...extraEnv }, timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function withClient<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, database) });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

const TableRow = z.object({ name: z.string() });
const TextRow = z.object({ row: z.string() });

/** Every table's rows and every sequence's position, hashed: two databases with the same digests hold the same data. */
function digests(database: string): Promise<Record<string, string>> {
  return withClient(database, async (client) => {
    const tables = (
      await client.query(
        "select quote_ident(table_schema) || '.' || quote_ident(table_name) as name from information_schema.tables where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1",
      )
    ).rows.map((r) => TableRow.parse(r).name);
    const result: Record<string, string> = {};
    for (const table of tables) {
      const rows = (await client.query(`select t::text as row from ${table} t`)).rows.map((r) => TextRow.parse(r).row).sort();
      result[table] = createHash("sha256").update(rows.join("\n")).digest("hex");
    }
    const sequences = await client.query("select schemaname, sequencename, last_value::text as last from pg_sequences order by 1, 2");
    result["(sequences)"] = JSON.stringify(sequences.rows);
    return result;
  });
}

async function databases(): Promise<string[]> {
  return withClient("postgres", async (client) =>
    (await client.query("select datname as name from pg_database order by 1")).rows.map((r) => TableRow.parse(r).name),
  );
}

async function countOf(database: string, query: string): Promise<number> {
  return withClient(database, async (client) => z.object({ n: z.coerce.number() }).parse((await client.query(query)).rows[0]).n);
}

/** The counts a command printed under "rows". */
function printedCounts(stdout: string): Record<string, number> {
  const block = stdout.split(/^rows[^\n]*:\n/m)[1] ?? "";
  return Object.fromEntries([...block.matchAll(/^ {2}(\w+)\s+(\d+)$/gm)].map((m) => [m[1] ?? "", Number(m[2])]));
}

/** A counter dossier submitted as the portal submits one: the row and its event (with the counters) in one transaction. */
async function submit(client: Db, receiptCode: string): Promise<void> {
  const [procedure] = await client.select().from(schema.procedures).where(eq(schema.procedures.code, "1.001193"));
  if (!procedure) throw new Error("the seeded catalog has no procedure 1.001193");
  const now = new Date();
  await inTransaction(async (tx) => {
    const [dossier] = await tx
      .insert(schema.dossiers)
      .values({
        receiptCode,
        procedureId: procedure.id,
        agencyId: procedure.agencyId,
        formVersion: 1,
        channel: "counter",
        status: 1,
        answers: { applicant_name: "Nguyễn Thị Hoa" },
        language: "vi",
        deliveryMode: "counter",
        submittedAt: now,
        dueOn: "2026-12-31",
      })
      .returning({ id: schema.dossiers.id });
    if (!dossier) throw new Error("no row inserted");
    await recordEvent(tx, {
      type: "submitted",
      occurredAt: now,
      dossierId: dossier.id,
      procedureId: procedure.id,
      agencyId: procedure.agencyId,
      channel: "counter",
      fromStatus: 0,
      toStatus: 1,
      data: { formVersion: 1, deliveryMode: "counter", feeVnd: 0 },
    });
  }, client);
}

/** What a restored snapshot must satisfy if it is a prefix of the committed transactions. */
async function prefixProblems(database: string) {
  const rows = (query: string) => withClient(database, async (client) => (await client.query(query)).rows);
  const client = openPostgres(withDatabase(url, database), { max: 2 });
  try {
    return {
      eventsWithoutDossier: await rows(
        "select e.id from dossier_events e where e.dossier_id is not null and not exists (select 1 from dossiers d where d.id = e.dossier_id)",
      ),
      submittedWithoutEvent: await rows(
        "select d.id from dossiers d where d.status >= 1 and not exists (select 1 from dossier_events e where e.dossier_id = d.id and e.type = 'submitted')",
      ),
      rollupMismatches: (await verifyRollups(client)).mismatches,
    };
  } finally {
    await closeDatabase(client);
  }
}

describe.skipIf(!url)("backups and restores on PostgreSQL", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-pg-backup-"));
  const made: string[] = []; // databases this file creates, dropped at the end
  const snapshots: { file: string; counts: Record<string, number> }[] = [];
  let cliBackup = "";
  let written = 0;

  beforeAll(async () => {
    // The portal's writes, in this process, while three backups are taken: two through the module, one through the command.
    let stop = false;
    const writing = (async () => {
      while (!stop) {
        await submit(db(), `W${suffix}-${written}`);
        written += 1;
      }
    })();
    while (written < 5) await new Promise((resolve) => setTimeout(resolve, 10));
    try {
      for (let i = 0; i < 2; i += 1) {
        const backup: PostgresBackup = await backupPostgres({ url, dest: path.join(dir, `snapshot-${i}.dump`) });
        snapshots.push({ file: backup.dest, counts: backup.counts });
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      const cli = await command("backup", [], { BACKUP_DIR: path.join(dir, "scheduled") });
      if (cli.code !== 0) throw new Error(`db:backup failed: ${cli.stderr}`);
      cliBackup = path.join(dir, "scheduled", readdirSync(path.join(dir, "scheduled"))[0] ?? "");
      snapshots.push({ file: cliBackup, counts: printedCounts(cli.stdout) });
      await new Promise((resolve) => setTimeout(resolve, 150));
    } finally {
      stop = true;
      await writing;
    }
  }, 180_000);

  afterAll(async () => {
    await closeDatabase(db());
    await withClient("postgres", async (client) => {
      for (const name of made) await client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    });
  });

  it("each backup holds the rows counted in its snapshot, a prefix of the writes going on", async () => {
    const writerDossiers: number[] = [];
    for (const [i, { file, counts }] of snapshots.entries()) {
      const check = `chk${i}_${suffix}`;
      made.push(check);
      // Restored into a database that does not exist yet: the restore creates it.
      const restored = await command("restore", [file], { DATABASE_URL: withDatabase(url, check) });
      expect(restored.stderr).toBe("");
      expect(restored.stdout).toContain(`there was no database ${check} before; created it`);
      expect(printedCounts(restored.stdout)).toEqual(counts);
      expect(counts.dossiers).toBe(await countOf(check, "select count(*) as n from dossiers"));
      expect(counts.dossier_events).toBeGreaterThan(0);
      expect({ file, problems: await prefixProblems(check) }).toEqual({
        file,
        problems: { eventsWithoutDossier: [], submittedWithoutEvent: [], rollupMismatches: [] },
      });
      writerDossiers.push(await countOf(check, `select count(*) as n from dossiers where receipt_code like 'W${suffix}-%'`));
    }
    // Taken during the writes: each holds some of them, later ones more, and the writes went on after the last.
    expect(writerDossiers[0]).toBeGreaterThan(0);
    for (let i = 1; i < writerDossiers.length; i += 1) expect(writerDossiers[i]).toBeGreaterThanOrEqual(writerDossiers[i - 1] ?? 0);
    expect(written).toBeGreaterThan(writerDossiers.at(-1) ?? 0);
    console.log(`writer dossiers in the backups: ${writerDossiers.join(", ")}; written in all: ${written}`);
    expect(path.basename(cliBackup)).toMatch(/^portal-\d{8}-\d{6}\.dump$/);
  }, 180_000);

  it("the backup command never overwrites a file, and refuses clearly without pg_dump", async () => {
    const dest = path.join(dir, "named.dump");
    const first = await command("backup", [dest]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`→ ${dest}`);
    expect(first.stdout).toMatch(/pg_restore --list: \d+ entries, \d+ tables' data, the portal's tables present/);
    const again = await command("backup", [dest]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists; a backup never overwrites a file");
    const noProgram = await command("backup", [path.join(dir, "none.dump")], { PG_BIN: path.join(dir, "no-such-folder") });
    expect(noProgram.code).toBe(1);
    expect(noProgram.stderr).toContain("backup failed: pg_dump not found");
    expect(readdirSync(dir).filter((f) => f.startsWith("none"))).toEqual([]);
    const usage = await command("backup", ["--now"]);
    expect(usage.code).toBe(2);
  }, 120_000);

  it("a restore puts back exactly the backed-up rows and keeps the database it replaces", async () => {
    const live = `live_${suffix}`;
    made.push(live);
    const asLive = { DATABASE_URL: withDatabase(url, live) };
    expect((await command("restore", [snapshots[0]?.file ?? ""], asLive)).code).toBe(0);
    const portal = openPostgres(withDatabase(url, live), { max: 2 });
    try {
      await submit(portal, `B${suffix}-1`);
    } finally {
      await closeDatabase(portal);
    }
    const backup = path.join(dir, "live.dump");
    const taken = await command("backup", [backup], asLive);
    expect(taken.code).toBe(0);
    const atBackup = await digests(live);
    // Written after the backup: the restore must take these away.
    const later = openPostgres(withDatabase(url, live), { max: 2 });
    try {
      for (let i = 0; i < 3; i += 1) await submit(later, `AFTER${suffix}-${i}`);
    } finally {
      await closeDatabase(later);
    }
    const beforeRestore = await digests(live);
    expect(beforeRestore).not.toEqual(atBackup);

    const restored = await command("restore", [backup], asLive);
    expect(restored.stderr).toBe("");
    expect(restored.code).toBe(0);
    const kept = (await databases()).filter((d) => d.startsWith(`${live}_`));
    made.push(...kept);
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(new RegExp(`^${live}_before_restore_\\d{8}_\\d{6}$`));
    expect(restored.stdout).toContain(`kept the previous database as ${kept[0]}`);
    expect(restored.stdout).toContain("npm run stats:verify");
    expect(printedCounts(restored.stdout)).toEqual(printedCounts(taken.stdout));
    expect(await digests(live)).toEqual(atBackup);
    expect(await digests(kept[0] ?? "")).toEqual(beforeRestore);
    expect(await countOf(live, `select count(*) as n from dossiers where receipt_code like 'AFTER${suffix}-%'`)).toBe(0);

    // The portal works on the result: the statistics agree with the log, and the next submission gets a fresh id.
    const after = openPostgres(withDatabase(url, live), { max: 2 });
    try {
      expect((await verifyRollups(after)).mismatches).toEqual([]);
      await submit(after, `NEXT${suffix}`);
      expect(
        (
          await after
            .select()
            .from(schema.dossiers)
            .where(like(schema.dossiers.receiptCode, `NEXT${suffix}`))
        ).length,
      ).toBe(1);
    } finally {
      await closeDatabase(after);
    }
  }, 180_000);

  it("refuses what is not a dump of the portal, and a database in use, changing nothing; --force disconnects", async () => {
    const live = `guarded_${suffix}`;
    made.push(live);
    const asLive = { DATABASE_URL: withDatabase(url, live) };
    expect((await command("restore", [snapshots[1]?.file ?? ""], asLive)).code).toBe(0);
    const untouched = await digests(live);
    const listed = await databases();

    const garbage = path.join(dir, "garbage.dump");
    writeFileSync(garbage, randomBytes(64 * 1024));
    const truncated = path.join(dir, "truncated.dump");
    writeFileSync(truncated, Buffer.concat([Buffer.from("PGDMP"), randomBytes(4096)]));
    const pgDump = postgresProgram("pg_dump") ?? "pg_dump";
    const plain = path.join(dir, "plain.sql");
    const other = path.join(dir, "other.dump");
    const { connection, password } = libpqTarget(withDatabase(url, live));
    const run = (args: string[]) =>
      new Promise<void>((resolve, reject) =>
        execFile(pgDump, args, { env: { ...process.env, PGPASSWORD: password ?? "" } }, (error) => (error ? reject(error) : resolve())),
      );
    await run(["--format=plain", `--file=${plain}`, `--dbname=${connection}`]);
    await run(["--format=custom", `--file=${other}`, `--dbname=${libpqTarget(withDatabase(url, "postgres")).connection}`]);

    const cases: [string, RegExp][] = [
      [path.join(dir, "no-such.dump"), /no-such\.dump: file not found/],
      [garbage, /garbage\.dump: not a custom-format pg_dump archive/],
      [plain, /plain\.sql: not a custom-format pg_dump archive/],
      [env().DATABASE_PATH, /portal\.db: not a custom-format pg_dump archive/],
      [truncated, /truncated\.dump: pg_restore cannot read it/],
      [other, /other\.dump: not a dump of the portal's database \(no drizzle\.__drizzle_migrations, public\.dossiers/],
    ];
    for (const [file, message] of cases) {
      const res = await command("restore", [file], asLive);
      expect({ file, code: res.code, stderr: res.stderr.trim() }).toEqual({
        file,
        code: 1,
        stderr: expect.stringMatching(/^restore refused, nothing was changed: /),
      });
      expect(res.stderr).toMatch(message);
    }

    // The portal running: a session on the database.
    const session = new pg.Client({ connectionString: withDatabase(url, live), application_name: "portal" });
    await session.connect();
    session.on("error", () => undefined); // disconnected by --force below
    try {
      const res = await command("restore", [snapshots[0]?.file ?? ""], asLive);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`restore refused, nothing was changed: database ${live} is in use by 1 other session(s): 1 × postgres@127.0.0.1 (portal)`);
      expect(res.stderr).toContain("--force disconnects them");
      expect(await digests(live)).toEqual(untouched);
      expect(await databases()).toEqual(listed);

      const forced = await command("restore", [snapshots[0]?.file ?? "", "--force"], asLive);
      expect(forced.stderr).toBe("");
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain(`--force: disconnected 1 session(s) from ${live}`);
      await expect(session.query("select 1")).rejects.toThrow();
    } finally {
      await session.end().catch(() => undefined);
    }
    const kept = (await databases()).filter((d) => d.startsWith(`${live}_`));
    made.push(...kept);
    expect(kept).toEqual([expect.stringMatching(new RegExp(`^${live}_before_restore_\\d{8}_\\d{6}$`))]);
    expect(await digests(kept[0] ?? "")).toEqual(untouched);
    expect(await digests(live)).toEqual(await digests(`chk0_${suffix}`));

    const usage = await command("restore", []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: npm run db:restore -- <backup file>");
  }, 180_000);
});
