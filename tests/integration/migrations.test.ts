// Migration 0003 rebuilds the dossiers table (applicant_id becomes nullable), the one migration that
// copies live rows. This runs it on a database left at 0002 with real rows that point at dossiers,
// the way openDatabase does (foreign keys off while migrating), and checks nothing was lost or loosened.
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";

const MIGRATIONS = path.resolve("db/migrations");
const JournalSchema = z.looseObject({ entries: z.array(z.looseObject({ idx: z.number(), tag: z.string() })) });

/** db/migrations as it stood before 0003: the first three entries of the journal and their SQL. */
function migrationsUpTo0002(dir: string): string {
  const folder = path.join(dir, "migrations-0002");
  mkdirSync(path.join(folder, "meta"), { recursive: true });
  const journal = JournalSchema.parse(JSON.parse(readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")));
  const kept = journal.entries.filter((e) => e.idx <= 2);
  expect(kept.map((e) => e.tag)).toEqual(["0000_init", "0001_search-and-append-only", "0002_level4-payments-delivery"]);
  for (const e of kept) copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(folder, `${e.tag}.sql`));
  writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries: kept }));
  return folder;
}

const CREATED = [1_780_000_000_000, 1_780_000_100_000, 1_780_000_200_000];
let sqlite: Database.Database;
let before: Record<string, unknown>[];

const RowSchema = z.record(z.string(), z.unknown());
const all = (sql: string, ...params: unknown[]) => z.array(RowSchema).parse(sqlite.prepare(sql).all(...params));
const one = (sql: string, ...params: unknown[]) => RowSchema.parse(sqlite.prepare(sql).get(...params));
const dossierColumns = () => all("select name, \"notnull\" as not_null from pragma_table_info('dossiers')");

/** A fresh database migrated to 0002, with rows in every table that points at dossiers. */
function databaseAt0002() {
  const dir = mkdtempSync(path.join(tmpdir(), "portal-migrate-"));
  const sqlite = new Database(path.join(dir, "portal.db"));
  sqlite.pragma("journal_mode = WAL");
  const db = drizzle(sqlite);
  // As openDatabase: the table rebuild needs foreign keys off, and a pragma inside the migrator's transaction is ignored.
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: migrationsUpTo0002(dir) });
  sqlite.pragma("foreign_keys = ON");

  // Minimal live data at 0002: a citizen's dossiers with a file, a payment, a shipment, a result, a rating and events.
  sqlite.exec(`
    insert into agencies (id, code, kind, name_vi, path, depth) values (1, 'ha-noi', 'province', 'Hà Nội', '/1/', 0);
    insert into fields (id, code, name_vi) values (1, 'ho-tich', 'Hộ tịch');
    insert into procedures (id, code, name_vi, agency_id, field_id, level, processing_days, fee_vnd, details, delivery_modes, created_at)
      values (1, '1.001193', 'Đăng ký khai sinh', 1, 1, 4, 1, 0, '{}', '["counter","online"]', 1770000000000);
    insert into users (id, email, full_name, password_hash) values (1, 'an@example.vn', 'Nguyễn Văn An', 'x');
  `);
  const insertDossier = sqlite.prepare(
    `insert into dossiers (id, receipt_code, procedure_id, agency_id, form_version, applicant_id, channel, status, answers, language, delivery_mode, applicant_name, applicant_phone, applicant_cccd, submitted_at, due_on, version, created_at)
     values (?, ?, 1, 1, 1, 1, 'online', ?, '{"applicant_name":"Nguyễn Văn An"}', 'vi', 'online', 'Nguyễn Văn An', '0912345678', '001090000001', ?, '2026-05-12', ?, ?)`,
  );
  insertDossier.run(1, "260511-AB12CD-X", 9, CREATED[0], 4, CREATED[0]);
  insertDossier.run(2, "260511-EF34GH-Y", 1, CREATED[1], 2, CREATED[1]);
  insertDossier.run(3, null, 0, null, 1, CREATED[2]); // a draft
  sqlite.exec(`
    insert into attachments (id, dossier_id, field_name, file_name, mime_type, size_bytes, sha256, storage_key) values (1, 1, 'giay_chung_sinh', 'a.pdf', 'application/pdf', 10, 'h1', 'key1'), (2, 3, 'giay_chung_sinh', 'b.pdf', 'application/pdf', 10, 'h2', 'key2');
    insert into payments (id, dossier_id, txn_ref, fee_vnd, amount_vnd, status, expires_at) values (1, 1, 'TXN0001', 0, 10000, 'paid', 1780000900000);
    insert into results (id, dossier_id, verification_code, sha256, signature, storage_key) values (1, 1, 'VC1', 'h', 's', 'rkey1');
    insert into shipments (id, dossier_id, tracking_number, status, address, postage_vnd, created_at) values (1, 1, 'EV000000001VN', 'created', 'Hà Nội', 10000, 1780000300000);
    insert into ratings (id, dossier_id, rating) values (1, 1, 'satisfied');
    insert into dossier_events (type, occurred_at, dossier_id, to_status) values ('submitted', 1780000000000, 1, 1), ('submitted', 1780000100000, 2, 1);
  `);
  insertDossier.run(4, "260511-JK56MN-Z", 1, CREATED[1], 1, CREATED[1]);
  return { sqlite, db };
}

beforeAll(() => {
  const at0002 = databaseAt0002();
  sqlite = at0002.sqlite;
  const db = at0002.db;
  // Before 0003 a dossier must have an applicant.
  expect(() =>
    sqlite
      .prepare(
        `insert into dossiers (procedure_id, agency_id, form_version, applicant_id, channel, status, answers, language) values (1, 1, 1, null, 'counter', 1, '{}', 'vi')`,
      )
      .run(),
  ).toThrow(/NOT NULL/);
  before = all("select * from dossiers order by id");

  // Now to the current schema, with the full folder, exactly as openDatabase does it.
  sqlite.pragma("foreign_keys = OFF");
  migrate(db, { migrationsFolder: MIGRATIONS });
});

afterAll(() => sqlite.close());

describe("migration 0003 (dossiers table rebuild)", () => {
  it("cannot run with foreign keys on (why openDatabase switches them off), and then changes nothing", () => {
    const other = databaseAt0002();
    expect(other.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    let failure: unknown;
    try {
      migrate(other.db, { migrationsFolder: MIGRATIONS });
    } catch (error) {
      failure = error;
    }
    // Dropping the old table is an implicit delete of rows that files and payments still point at.
    expect(failure).toBeInstanceOf(Error);
    expect(String(failure)).toContain("DROP TABLE `dossiers`");
    expect(String(failure instanceof Error ? failure.cause : "")).toMatch(/FOREIGN KEY constraint failed/);
    expect(other.sqlite.prepare("select count(*) as n from __drizzle_migrations").get()).toEqual({ n: 3 });
    expect(other.sqlite.prepare("select count(*) as n from dossiers").get()).toEqual({ n: 4 });
    other.sqlite.close();
  });

  it("leaves a consistent database: no broken foreign key, integrity ok", () => {
    expect(sqlite.pragma("foreign_key_check")).toEqual([]);
    expect(sqlite.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }]);
    sqlite.pragma("foreign_keys = ON");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    // Every committed migration applied, including the ones after 0003.
    const journal = JournalSchema.parse(JSON.parse(readFileSync(path.join(MIGRATIONS, "meta/_journal.json"), "utf8")));
    expect(journal.entries.length).toBeGreaterThanOrEqual(4);
    expect(all("select hash from __drizzle_migrations")).toHaveLength(journal.entries.length);
  });

  it("keeps every dossier row, with updated_at taken from created_at and the new columns at their defaults", () => {
    const after = all("select * from dossiers order by id");
    expect(after.map((r) => r.id)).toEqual([1, 2, 3, 4]);
    after.forEach((row, i) => {
      const old = before[i];
      if (!old) throw new Error(`row ${i} missing before`);
      for (const [column, value] of Object.entries(old)) expect({ column, value: row[column] }).toEqual({ column, value });
      expect(row.updated_at).toBe(old.created_at);
      expect(row).toMatchObject({
        submitted_by: null,
        applicant_email: null,
        paused_at: null,
        paused_days: 0,
        rescheduled_on: null,
        finished_at: null,
        timeliness: null,
      });
    });
    expect(before[0]?.created_at).toBe(CREATED[0]);
  });

  it("keeps the other migrated columns: procedures.updated_at from created_at, shipments.updated_at from created_at", () => {
    expect(one("select updated_at from procedures where id = 1")).toEqual({ updated_at: 1_770_000_000_000 });
    expect(one("select created_at, updated_at from shipments where id = 1")).toEqual({ created_at: 1_780_000_300_000, updated_at: 1_780_000_300_000 });
    expect(one("select disabled_at from users where id = 1")).toEqual({ disabled_at: null });
  });

  it("still has every row that points at a dossier pointing at the same dossier, enforced", () => {
    sqlite.pragma("foreign_keys = ON");
    expect(all("select a.id, d.receipt_code from attachments a join dossiers d on d.id = a.dossier_id order by a.id")).toEqual([
      { id: 1, receipt_code: "260511-AB12CD-X" },
      { id: 2, receipt_code: null },
    ]);
    expect(one("select d.id from payments p join dossiers d on d.id = p.dossier_id where p.txn_ref = 'TXN0001'")).toEqual({ id: 1 });
    for (const table of ["attachments", "payments", "results", "shipments", "ratings"]) {
      expect(all(`select "table", "from", "to" from pragma_foreign_key_list('${table}') where "from" = 'dossier_id'`)).toEqual([
        { table: "dossiers", from: "dossier_id", to: "id" },
      ]);
    }
    // Deleting a dossier that files, payments… refer to is refused, on the rebuilt table as before.
    expect(() => sqlite.prepare("delete from dossiers where id = 1").run()).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => sqlite.prepare("delete from dossiers where id = 3").run()).toThrow(/FOREIGN KEY constraint failed/);
    expect(() =>
      sqlite
        .prepare(
          "insert into attachments (dossier_id, field_name, file_name, mime_type, size_bytes, sha256, storage_key) values (999, 'f', 'c.pdf', 'application/pdf', 1, 'h', 'key3')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    // The rebuilt table's own references are enforced too.
    expect(() =>
      sqlite
        .prepare(
          `insert into dossiers (procedure_id, agency_id, form_version, applicant_id, channel, status, answers, language) values (999, 1, 1, 1, 'online', 1, '{}', 'vi')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      sqlite
        .prepare(
          `insert into dossiers (procedure_id, agency_id, form_version, applicant_id, submitted_by, channel, status, answers, language) values (1, 1, 1, 1, 999, 'assisted', 1, '{}', 'vi')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it("accepts a counter dossier with no applicant account, still checks the status, and keeps receipt codes unique", () => {
    sqlite.pragma("foreign_keys = ON");
    const counter = sqlite.prepare(
      `insert into dossiers (procedure_id, agency_id, form_version, applicant_id, submitted_by, channel, status, answers, language, receipt_code) values (1, 1, 1, null, 1, 'counter', ?, '{}', 'vi', ?)`,
    );
    const inserted = counter.run(1, "260512-PQ78RS-T");
    // AUTOINCREMENT carries on after the copied rows.
    expect(Number(inserted.lastInsertRowid)).toBe(5);
    expect(one("select applicant_id, updated_at > 0 as stamped from dossiers where id = 5")).toEqual({ applicant_id: null, stamped: 1 });
    expect(() => counter.run(11, "260512-PQ78RS-U")).toThrow(/CHECK constraint failed/);
    expect(() => counter.run(-1, "260512-PQ78RS-V")).toThrow(/CHECK constraint failed/);
    expect(() => counter.run(1, "260511-AB12CD-X")).toThrow(/UNIQUE constraint failed: dossiers.receipt_code/);
  });

  it("recreates the dossiers indexes and leaves no trace of the temporary table", () => {
    const indexes = all(
      "select name from sqlite_master where type = 'index' and tbl_name = 'dossiers' and name not like 'sqlite_autoindex%' order by name",
    ).map((r) => r.name);
    expect(indexes).toEqual([
      "dossiers_agency_due_idx",
      "dossiers_agency_idx",
      "dossiers_applicant_idx",
      "dossiers_cccd_idx",
      "dossiers_procedure_idx",
      "dossiers_receipt_code_unique",
      // Added by migration 0021 (a dossier's subject, issue 17).
      "dossiers_subject_cccd_idx",
      "dossiers_subject_tax_code_idx",
    ]);
    expect(all("select name from sqlite_master where name like '%__new_%'")).toEqual([]);
    expect(dossierColumns().find((c) => c.name === "applicant_id")).toEqual({ name: "applicant_id", not_null: 0 });
    // The rename rewrote the CHECK to name the final table.
    expect(one("select sql from sqlite_master where name = 'dossiers'").sql).toContain(
      `CONSTRAINT "dossiers_status_check" CHECK("dossiers"."status" between 0 and 10)`,
    );
    // The event log's append-only triggers survive (they are on dossier_events, which is not rebuilt).
    expect(() => sqlite.prepare("update dossier_events set type = 'x' where dossier_id = 1").run()).toThrow(/append-only/);
  });
});
