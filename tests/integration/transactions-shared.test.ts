// inTransaction on whichever database the project runs (SQLite, and PostgreSQL with its write lock:
// docs/decisions/027): what the stores rely on, through the portal's own client.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { db, inTransaction, runRaw, selectRaw } from "../../app/server/platform/db.server";

const CountSchema = z.object({ n: z.coerce.number() });
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function value(): Promise<number> {
  return CountSchema.parse((await selectRaw(db(), sql`select value as n from tx_counter where id = 1`))[0]).n;
}
async function notes(): Promise<string[]> {
  return z
    .array(z.object({ text: z.string() }))
    .parse(await selectRaw(db(), sql`select text from tx_notes order by id`))
    .map((r) => r.text);
}

beforeAll(async () => {
  await runRaw(db(), sql`create table tx_counter (id integer primary key, value integer not null)`);
  await runRaw(db(), sql`create table tx_notes (id integer primary key, text text not null)`);
  await runRaw(db(), sql`insert into tx_counter (id, value) values (1, 0)`);
});

describe("inTransaction on the portal's database", () => {
  it("runs concurrent read-check-write transactions one at a time: no update is lost", async () => {
    const increment = () =>
      inTransaction(async (tx) => {
        const [row] = await selectRaw(tx, sql`select value as n from tx_counter where id = 1`);
        const before = CountSchema.parse(row).n;
        await tick(); // another request's transaction would run here if nothing kept them apart
        await runRaw(tx, sql`update tx_counter set value = ${before + 1} where id = 1`);
      });
    await Promise.all(Array.from({ length: 20 }, increment));
    expect(await value()).toBe(20);
  });

  it("rolls back all of a transaction that throws after an await, and only a nested one that throws", async () => {
    await expect(
      inTransaction(async (tx) => {
        await runRaw(tx, sql`insert into tx_notes (id, text) values (1, 'mất')`);
        await tick();
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect(await notes()).toEqual([]);
    await inTransaction(async (tx) => {
      await runRaw(tx, sql`insert into tx_notes (id, text) values (2, 'giữ')`);
      await inTransaction(async (inner) => {
        await runRaw(inner, sql`insert into tx_notes (id, text) values (3, 'bỏ')`);
        throw new Error("inner");
      }).catch(() => undefined);
      // A store function asking for db() inside the body runs in the transaction: it sees the row.
      expect(CountSchema.parse((await selectRaw(db(), sql`select count(*) as n from tx_notes`))[0]).n).toBe(1);
      await runRaw(tx, sql`insert into tx_notes (id, text) values (4, 'giữ nữa')`);
    });
    expect(await notes()).toEqual(["giữ", "giữ nữa"]);
  });
});
