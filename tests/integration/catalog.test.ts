import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { seedDatabase } from "../../db/seed";
import { db, inTransaction, onPostgres } from "../../app/server/platform/db.server";
import { moveProcedure } from "../../app/server/statistics/counters.server";
import { ftsQuery, listProcedures } from "../../app/server/catalog/catalog.server";
import * as api from "../../app/routes/api.v1.procedures";
import * as catalog from "../../app/routes/procedures._index";
import * as health from "../../app/routes/healthz";
import { get, refusal, run } from "./helpers";

const codes = async (q: string) => (await listProcedures({ q, page: 1 })).items.map((p) => p.code);

describe("catalog search", () => {
  it("finds the same procedures with or without diacritics, in any case, đ included", async () => {
    const plain = await codes("dang ky khai sinh");
    expect(plain).toContain("1.001193");
    expect(await codes("ĐĂNG KÝ KHAI SINH")).toEqual(plain);
    expect(await codes("đăng ký khai sinh")).toEqual(plain);
    expect(await codes("Đăng Ký Khai Sinh")).toEqual(plain);
  });

  it("folds đ in words where it matters: 'doi giay phep lai xe' finds Đổi giấy phép lái xe", async () => {
    const found = (await listProcedures({ q: "doi giay phep lai xe", page: 1 })).items;
    expect(found.some((p) => p.nameVi.startsWith("Đổi giấy phép lái xe"))).toBe(true);
  });

  it("finds by procedure code and by a prefix of a word", async () => {
    expect(await codes("1.001193")).toEqual(["1.001193"]);
    expect(await codes("khai si")).toContain("1.001193");
  });

  // The index's own FTS5 match expressions: SQLite's search (PostgreSQL's is search-pg.server.ts).
  it.skipIf(onPostgres(db()))("matches a word followed by another as a whole word, and the last word also as a prefix", async () => {
    // The index's folded text of every match: a word that is not last must be one of its words.
    const wordsOf = (expression: string) =>
      z
        .array(z.tuple([z.string(), z.string(), z.string()]))
        .parse(db().$client.prepare("select code, name, field from procedures_fts where procedures_fts match ?").raw().all(expression))
        .map((columns) => new Set(columns.join(" ").split(/[^a-z0-9_]+/)));
    let narrowed = 0;
    for (const [first, second] of [
      ["ho", "kinh"],
      ["ho", "tich"],
      ["cap", "giay"],
    ] as const) {
      const whole = wordsOf(ftsQuery(`${first} ${second}`) ?? "");
      expect(whole.length, `${first} ${second}`).toBeGreaterThan(0);
      expect(whole.every((words) => words.has(first) && [...words].some((w) => w.startsWith(second)))).toBe(true);
      // As a prefix, the first word would also find hóa, học, hồ sơ…: the catalog has such names.
      narrowed += wordsOf(`"${first}"* AND "${second}"*`).length - whole.length;
    }
    expect(narrowed).toBeGreaterThan(0);
    expect(await codes("khai si")).toContain("1.001193"); // the last word still matches as a prefix
  });

  it("matches a word typed twice once, finding what it finds typed once, in the same order", async () => {
    expect(await codes("ký đăng ký")).toEqual(await codes("đăng ký"));
    expect((await codes("đăng ký")).length).toBeGreaterThan(1);
    expect(ftsQuery("ký đăng ký")?.match(/"ky"\*/g)).toHaveLength(1);
  });

  it("returns nothing, not an error, for punctuation or FTS syntax", async () => {
    expect(await codes('"')).toEqual([]);
    expect(await codes("AND OR NOT * ( )")).toEqual([]);
  });

  it("filters by level and by agency including its sub-agencies", async () => {
    const level4 = await listProcedures({ level: 4, page: 1 });
    expect(level4.total).toBeGreaterThan(0);
    expect(level4.items.every((p) => p.level === 4)).toBe(true);
    const hanoi = await listProcedures({ agency: "ha-noi", page: 1 });
    const subAgencies = await db().select().from(schema.agencies);
    const root = subAgencies.find((a) => a.code === "ha-noi");
    const inSubtree = new Set(subAgencies.filter((a) => root && a.path.startsWith(root.path)).map((a) => a.code));
    expect(hanoi.total).toBeGreaterThan(0);
    expect(hanoi.items.every((p) => inSubtree.has(p.agencyCode))).toBe(true);
    expect(hanoi.items.some((p) => p.agencyCode !== "ha-noi")).toBe(true); // the sub-agencies are included
  });

  it("paginates, and a page past the end is empty with the right total", async () => {
    const all = await listProcedures({ page: 1 });
    expect(all.items.length).toBe(Math.min(20, all.total));
    const past = await listProcedures({ page: all.pageCount + 1 });
    expect(past.items).toEqual([]);
    expect(past.total).toBe(all.total);
  });

  it("the JSON API returns the same results as the catalog page", async () => {
    const q = "?q=giay+phep&level=4";
    const page = await run(catalog.loader, get(`/procedures${q}`));
    const json = await run(api.loader, get(`/api/v1/procedures${q}`));
    const pageCodes = (page.data as { result: { items: { code: string }[] } }).result.items.map((i) => i.code);
    const apiBody = json.data as {
      items: { code: string; name: { vi: string }; level: number; agency: { code: string }; feeVnd: number; processingDays: number }[];
    };
    expect(apiBody.items.map((i) => i.code)).toEqual(pageCodes);
    expect(apiBody.items[0]).toEqual(
      expect.objectContaining({ code: expect.any(String), level: 4, feeVnd: expect.any(Number), processingDays: expect.any(Number) }),
    );
  });

  it("ignores a bad filter instead of failing", async () => {
    const res = await run(api.loader, get("/api/v1/procedures?level=9&agency=<script>&page=-3"));
    expect(res.status).toBe(200);
    expect((res.data as { total: number }).total).toBe((await listProcedures({ page: 1 })).total);
  });
});

describe("database", () => {
  it("seeds idempotently", async () => {
    const counts = async () => ({
      agencies: (await db().select({ n: count() }).from(schema.agencies))[0]?.n,
      procedures: (await db().select({ n: count() }).from(schema.procedures))[0]?.n,
      forms: (await db().select({ n: count() }).from(schema.procedureForms))[0]?.n,
      users: (await db().select({ n: count() }).from(schema.users))[0]?.n,
    });
    const before = await counts();
    await seedDatabase(db());
    expect(await counts()).toEqual(before);
    expect(before.procedures).toBeGreaterThanOrEqual(40);
  });

  it("derives again, at a later seed run, a level stored as declared (a portal seeded before decision 031)", async () => {
    const code = "1.002759"; // declared level 3; free, its form online, the result by post: level 4
    const [row] = await db().select().from(schema.procedures).where(eq(schema.procedures.code, code));
    if (!row) throw new Error(`no procedure ${code}`);
    expect(row).toMatchObject({ level: 4, onlineService: "full", formVersion: 1, paymentOnline: false });
    // As an older portal stored it: the declared level, its counters where that level counts them.
    await inTransaction(async (tx) => {
      await tx.update(schema.procedures).set({ level: 3, onlineService: "partial" }).where(eq(schema.procedures.id, row.id));
      await moveProcedure(tx, row.id, { agencyId: row.agencyId, level: 4 }, { agencyId: row.agencyId, level: 3 });
    });
    await seedDatabase(db());
    const [after] = await db().select().from(schema.procedures).where(eq(schema.procedures.code, code));
    expect(after).toMatchObject({ level: 4, onlineService: "full" });
    const events = await db()
      .select({ data: schema.dossierEvents.data, actorId: schema.dossierEvents.actorId })
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.type, "procedure_level_changed"), eq(schema.dossierEvents.procedureId, row.id)));
    expect(events).toEqual([{ data: { code, from: 3, to: 4, serviceFrom: "partial", serviceTo: "full", reason: "seed" }, actorId: null }]);
    // Nothing else changed level on this run.
    expect(await db().select({ n: count() }).from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "procedure_level_changed"))).toEqual([{ n: 1 }]);
  });

  it("keeps the 2019 agencies and marks the 2025 mergers, leaving 34 provincial units", async () => {
    const provinces = await db().select().from(schema.agencies).where(eq(schema.agencies.kind, "province"));
    expect(provinces).toHaveLength(63);
    expect(provinces.filter((p) => p.dissolvedOn === null)).toHaveLength(34);
    const bacGiang = provinces.find((p) => p.code === "bac-giang");
    const bacNinh = provinces.find((p) => p.code === "bac-ninh");
    expect(bacGiang?.successorId).toBe(bacNinh?.id);
  });

  it("refuses to update or delete the event log", async () => {
    await db().insert(schema.dossierEvents).values({ type: "procedure_viewed", occurredAt: new Date() });
    expect(await refusal(db().update(schema.dossierEvents).set({ type: "x" }))).toMatch(/append-only/);
    expect(await refusal(db().delete(schema.dossierEvents))).toMatch(/append-only/);
  });

  it("answers /healthz with 200", async () => {
    const res = await health.loader();
    expect(res.status).toBe(200);
  });
});
