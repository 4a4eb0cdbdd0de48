// Caches another process can invalidate (issue 15): a change committed with its generation bump by
// "another process" (a write that does not touch this process's own counters) reaches this
// process's cached catalog once it reads the generations, and not before. On both databases.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getProcedure, listProcedures, searchCorrector, CatalogQuerySchema } from "../../app/server/catalog/catalog.server";
import { catalogGeneration, searchIndexGeneration } from "../../app/server/catalog/catalog-version.server";
import { bumpSharedGenerations, readSharedGenerations } from "../../app/server/catalog/shared-generations.server";
import { db, inTransaction } from "../../app/server/platform/db.server";
import { schema } from "../../app/server/platform/schema.server";

const CODE = "1.004873"; // Cấp Giấy xác nhận tình trạng hôn nhân, 15,000 ₫

/** What another process's administrator does: the change and the bump in one transaction, no local counter touched. */
async function changeFeeElsewhere(feeVnd: number, caches: ("catalog" | "search_index")[] = ["catalog"]) {
  await inTransaction(async (tx) => {
    await tx.update(schema.procedures).set({ feeVnd }).where(eq(schema.procedures.code, CODE));
    await bumpSharedGenerations(tx, caches);
  });
}

describe("cache generations shared through the database", () => {
  it("keeps serving the cached catalog until the generations are read, then the change", async () => {
    await readSharedGenerations();
    const query = CatalogQuerySchema.parse({ q: CODE });
    const before = await listProcedures(query);
    expect(before.items.find((p) => p.code === CODE)?.feeVnd).toBe(15_000);
    expect((await getProcedure(CODE))?.procedure.feeVnd).toBe(15_000);

    const generation = catalogGeneration();
    await changeFeeElsewhere(25_000);
    // Not read yet: this process still answers from what it kept (as within the second between reads).
    expect(catalogGeneration()).toBe(generation);
    expect((await listProcedures(query)).items.find((p) => p.code === CODE)?.feeVnd).toBe(15_000);
    expect((await getProcedure(CODE))?.procedure.feeVnd).toBe(15_000);

    const read = await readSharedGenerations();
    expect(catalogGeneration()).not.toBe(generation);
    expect(read.catalog).toBeGreaterThan(0);
    expect((await listProcedures(query)).items.find((p) => p.code === CODE)?.feeVnd).toBe(25_000);
    expect((await getProcedure(CODE))?.procedure.feeVnd).toBe(25_000);
  });

  it("reads the spelling corrector's words again only after a change of the search index", async () => {
    await readSharedGenerations();
    const corrector = await searchCorrector();
    const words = searchIndexGeneration();
    await changeFeeElsewhere(30_000);
    await readSharedGenerations();
    expect(searchIndexGeneration()).toBe(words);
    expect(await searchCorrector()).toBe(corrector);
    await changeFeeElsewhere(35_000, ["search_index", "catalog"]);
    await readSharedGenerations();
    expect(searchIndexGeneration()).not.toBe(words);
    expect(await searchCorrector()).not.toBe(corrector);
  });

  it("counts every bump once, whichever transaction made it, and a rolled-back change none", async () => {
    const before = await readSharedGenerations();
    await Promise.all(Array.from({ length: 10 }, () => inTransaction((tx) => bumpSharedGenerations(tx, ["catalog"]))));
    await inTransaction(async (tx) => {
      await bumpSharedGenerations(tx, ["catalog"]);
      throw new Error("rolled back");
    }).catch(() => undefined);
    expect((await readSharedGenerations()).catalog).toBe(before.catalog + 10);
    expect(await db().select().from(schema.cacheGenerations).where(eq(schema.cacheGenerations.name, "catalog"))).toEqual([
      { name: "catalog", generation: before.catalog + 10 },
    ]);
  });
});
