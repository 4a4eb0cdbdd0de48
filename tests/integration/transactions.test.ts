// Transactions whose bodies await (docs/decisions/026): what other requests see and may do while
// one is open, on a file (a read-only twin answers their reads) and in memory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { inTransaction, openDatabase, type Db } from "../../app/server/platform/db.server";

const CountSchema = z.object({ n: z.number() });

function count(client: Db): number {
  return CountSchema.parse(client.get(sql`select count(*) as n from notes`)).n;
}
function value(client: Db): number {
  return CountSchema.parse(client.get(sql`select value as n from counter where id = 1`)).n;
}
/** The messages of what `run` threw and its causes (drizzle wraps the driver's error). */
function messages(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const found: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) found.push(e.message);
    return found.join(" ← ");
  }
  return "nothing thrown";
}
/** A turn of the event loop: other requests' timers and I/O run, not only queued microtasks. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

for (const where of ["file", "memory"] as const) {
  describe(`inTransaction on ${where === "file" ? "a file" : "an in-memory database"}`, () => {
    let dir = "";
    let client: Db;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), "portal-tx-"));
      client = openDatabase(where === "file" ? path.join(dir, "t.db") : ":memory:");
      client.run(sql`create table notes (id integer primary key, text text not null)`);
      client.run(sql`create table counter (id integer primary key, value integer not null)`);
      client.run(sql`insert into counter (id, value) values (1, 0)`);
    });
    afterEach(() => {
      client.$client.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("commits what the body wrote when it resolves, across awaits", async () => {
      const id = await inTransaction(async (tx) => {
        tx.run(sql`insert into notes (text) values ('một')`);
        await tick();
        tx.run(sql`insert into notes (text) values ('hai')`);
        return 7;
      }, client);
      expect(id).toBe(7);
      expect(count(client)).toBe(2);
    });

    it("rolls back everything when the body throws after an await", async () => {
      await expect(
        inTransaction(async (tx) => {
          tx.run(sql`insert into notes (text) values ('một')`);
          await tick();
          throw new Error("refused");
        }, client),
      ).rejects.toThrow("refused");
      expect(count(client)).toBe(0);
      expect(client.$client.inTransaction).toBe(false);
    });

    it("rolls back a nested call alone when its body throws and the outer one goes on", async () => {
      await inTransaction(async (tx) => {
        tx.run(sql`insert into notes (text) values ('giữ')`);
        await inTransaction(async (inner) => {
          inner.run(sql`insert into notes (text) values ('bỏ')`);
          await tick();
          throw new Error("inner");
        }, client).catch(() => undefined);
        tx.run(sql`insert into notes (text) values ('giữ nữa')`);
      }, client);
      expect(client.all(sql`select text from notes order by id`)).toEqual([{ text: "giữ" }, { text: "giữ nữa" }]);
    });

    it("makes concurrent transactions take turns, so read-modify-write loses no update", async () => {
      const increment = () =>
        inTransaction(async (tx) => {
          const before = value(tx);
          await tick();
          tx.run(sql`update counter set value = ${before + 1} where id = 1`);
        }, client);
      await Promise.all(Array.from({ length: 20 }, increment));
      expect(value(client)).toBe(20);
    });

    it("refuses another request's bare write while a transaction is open, and the transaction still commits", async () => {
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const open = inTransaction(async (tx) => {
        tx.run(sql`insert into notes (text) values ('của giao dịch')`);
        await held;
      }, client);
      await tick();
      expect(messages(() => client.run(sql`insert into notes (text) values ('chen ngang')`))).toMatch(/outside inTransaction/);
      release();
      await open;
      expect(client.all(sql`select text from notes`)).toEqual([{ text: "của giao dịch" }]);
    });

    it("lets a bare write through when no transaction is open", () => {
      client.run(sql`insert into notes (text) values ('một mình')`);
      expect(count(client)).toBe(1);
    });

    if (where === "file") {
      it("shows another request the last committed state while a transaction is open, then the new one", async () => {
        client.run(sql`insert into notes (text) values ('đã có')`);
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        const open = inTransaction(async (tx) => {
          tx.run(sql`insert into notes (text) values ('chưa xong')`);
          expect(count(tx)).toBe(2); // the transaction sees its own row
          await held;
        }, client);
        await tick();
        // Another request, outside the transaction: the uncommitted row is not there, in any result shape.
        expect(count(client)).toBe(1);
        expect(client.all(sql`select text from notes`)).toEqual([{ text: "đã có" }]);
        expect(client.$client.prepare("select count(*) from notes").pluck().get()).toBe(1);
        expect(client.$client.prepare("select id, text from notes").raw().all()).toEqual([[1, "đã có"]]);
        release();
        await open;
        expect(count(client)).toBe(2);
      });

      it("does not show another request a row that was rolled back", async () => {
        let release = () => {};
        const held = new Promise<void>((resolve) => (release = resolve));
        const open = inTransaction(async (tx) => {
          tx.run(sql`insert into notes (text) values ('sẽ mất')`);
          await held;
          throw new Error("rollback");
        }, client);
        await tick();
        const seen = count(client);
        release();
        await expect(open).rejects.toThrow("rollback");
        expect(seen).toBe(0);
        expect(count(client)).toBe(0);
      });
    }
  });
}
