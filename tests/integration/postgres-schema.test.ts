// The PostgreSQL schema (issue 15, db/pg/schema.ts) as its migrations build it on a real server: the
// committed drizzle-kit migrations create every table and column the schema describes, with the
// same nullability; they are in step with the schema (generating again finds nothing to do); and
// rows go in and come out with the TypeScript types the SQLite stores already use (Date, JSON).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { eq, is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import * as pgSchema from "../../db/pg/schema";
import { startPostgresCluster, type PostgresCluster } from "../setup/postgres-cluster";

const MIGRATIONS = path.resolve(import.meta.dirname, "../../db/pg/migrations");
let cluster: PostgresCluster;
let pool: pg.Pool;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  await cluster.createDatabase("portal");
  pool = new pg.Pool({ connectionString: cluster.url("portal"), max: 2 });
  await migrate(drizzle(pool), { migrationsFolder: MIGRATIONS });
}, 60_000);
afterAll(async () => {
  await pool?.end();
  cluster?.stop();
});

const tables = Object.values(pgSchema).filter((value) => is(value, PgTable));

describe("the PostgreSQL migrations", () => {
  it("create every table and column of the schema, with its nullability", async () => {
    const ColumnRowSchema = z.object({ table_name: z.string(), column_name: z.string(), is_nullable: z.enum(["YES", "NO"]) });
    const rows = z
      .array(ColumnRowSchema)
      .parse((await pool.query("select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'")).rows);
    // Hand-written migrations add what drizzle does not describe, as in SQLite (its FTS5 index).
    const handWritten = new Set(["procedures_search"]);
    const inDatabase = new Map(rows.filter((r) => !handWritten.has(r.table_name)).map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === "NO"]));
    expect(
      rows
        .filter((r) => handWritten.has(r.table_name))
        .map((r) => r.column_name)
        .sort(),
    ).toEqual(["document", "facets", "procedure_id"]);
    const described = tables.flatMap((t) => {
      const config = getTableConfig(t);
      return config.columns.map((c) => [`${config.name}.${c.name}`, c.notNull] as const);
    });
    expect(tables.length).toBe(38);
    expect(new Map(described)).toEqual(inDatabase);
  });

  it("are in step with the schema: generating them again finds nothing to do", () => {
    // drizzle-kit reads --out relative to the working directory (an absolute path is not accepted).
    mkdirSync("test-results", { recursive: true });
    const scratch = path.relative(process.cwd(), mkdtempSync(path.resolve("test-results/pg-generate-")));
    try {
      cpSync(MIGRATIONS, scratch, { recursive: true });
      const before = readdirSync(scratch).sort();
      const result = spawnSync(
        process.execPath,
        [path.resolve("node_modules/drizzle-kit/bin.cjs"), "generate", "--dialect", "postgresql", "--schema", "./db/pg/schema.ts", "--out", scratch],
        { encoding: "utf8", timeout: 60_000 },
      );
      expect(result.status, result.stderr).toBe(0);
      expect(readdirSync(scratch).sort()).toEqual(before);
      expect(`${result.stdout}${result.stderr}`).toMatch(/No schema changes/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("store and read rows with the types the stores use: dates as Date, JSON as values, amounts as numbers", async () => {
    const db = drizzle(pool, { schema: pgSchema });
    const [agency] = await db
      .insert(pgSchema.agencies)
      .values({ code: "ha-noi", kind: "province", nameVi: "Thành phố Hà Nội", path: "/1/", depth: 0 })
      .returning();
    const [field] = await db.insert(pgSchema.fields).values({ code: "ho-tich", nameVi: "Hộ tịch" }).returning();
    if (!agency || !field) throw new Error("insert returned nothing");
    await db.insert(pgSchema.procedures).values({
      code: "1.001193",
      nameVi: "Đăng ký khai sinh",
      agencyId: agency.id,
      fieldId: field.id,
      level: 4,
      processingDays: 1,
      feeVnd: 3_000_000_000, // past 2^31 đồng: a bigint, read back as a number
      details: { summary: "Khai sinh cho trẻ em" },
      deliveryModes: ["online", "post"],
    });
    const procedure = await db.query.procedures.findFirst({ where: eq(pgSchema.procedures.code, "1.001193") });
    expect(procedure?.feeVnd).toBe(3_000_000_000);
    expect(procedure?.deliveryModes).toEqual(["online", "post"]);
    expect(procedure?.details).toEqual({ summary: "Khai sinh cho trẻ em" });
    expect(procedure?.updatedAt).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - (procedure?.updatedAt.getTime() ?? 0))).toBeLessThan(60_000);
    // The level check is the same as SQLite's.
    await expect(
      db
        .insert(pgSchema.procedures)
        .values({ code: "x", nameVi: "x", agencyId: agency.id, fieldId: field.id, level: 5, processingDays: 1, details: {}, deliveryModes: [] }),
    ).rejects.toThrow();
  });

  it("keep the event log append-only, as SQLite does: an event is added, never changed nor removed", async () => {
    const db = drizzle(pool, { schema: pgSchema });
    const [event] = await db
      .insert(pgSchema.dossierEvents)
      .values({ type: "procedure_viewed", occurredAt: new Date(), data: { from: "test" } })
      .returning();
    if (!event) throw new Error("insert returned nothing");
    // drizzle wraps the server's error ("Failed query: …"); the refusal is its cause.
    const refusal = (attempt: Promise<unknown>) =>
      attempt.then(
        () => "accepted",
        (error: unknown) => (error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error)),
      );
    expect(await refusal(db.update(pgSchema.dossierEvents).set({ type: "changed" }).where(eq(pgSchema.dossierEvents.id, event.id)))).toMatch(/append-only/);
    expect(await refusal(db.delete(pgSchema.dossierEvents).where(eq(pgSchema.dossierEvents.id, event.id)))).toMatch(/append-only/);
    expect(await refusal(pool.query("truncate dossier_events"))).toMatch(/append-only/);
    expect((await db.select().from(pgSchema.dossierEvents)).map((e) => [e.id, e.type, e.data])).toEqual([[event.id, "procedure_viewed", { from: "test" }]]);
  });
});
