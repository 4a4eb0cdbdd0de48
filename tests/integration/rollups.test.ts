import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq, gte, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import * as intakeForm from "../../app/routes/officer.intake.form";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { rollupDay, rollupKeyId, type RollupRow } from "../../app/core/statistics/rollup";
import { bootstrap, bootstrapFile } from "../../app/server/platform/bootstrap.server";
import { db, inTransaction, onPostgres, runRaw } from "../../app/server/platform/db.server";
import { recordProcedureView } from "../../app/server/dossiers/dossiers.server";
import { env } from "../../app/server/platform/env.server";
import { recordEvent } from "../../app/server/statistics/events.server";
import { rateDossier } from "../../app/server/dossiers/ratings.server";
import { rebuildRollups, verifyRollups } from "../../app/server/statistics/rollup.server";
import { addToCounters, moveProcedure } from "../../app/server/statistics/counters.server";
import { parseStatisticsQuery, summary } from "../../app/server/statistics/dashboard.server";
import { subtreesOf } from "../../app/core/statistics/subtree";
import { applyTransition, type Actor } from "../../app/server/dossiers/workflow.server";
import { validAnswers } from "../fixtures/answers";
import { newCitizen, newOfficer } from "../fixtures/accounts";
import { issueTestResult, submitDossier } from "../fixtures/dossiers";
import { formOf, post, run } from "./helpers";
import { found } from "../../app/server/platform/http.server";

const exec = promisify(execFile);

const FREE = "1.001193"; // Đăng ký khai sinh: level 4, free, Hoàn Kiếm ward, 1 working day
const FEE = "3.000333"; // Phiếu lý lịch tư pháp: level 4, 200.000 đ, Hà Nội police, 10 working days

async function procedure(code: string) {
  const [row] = await db().select().from(schema.procedures).where(eq(schema.procedures.code, code)).limit(1);
  if (!row) throw new Error(`no procedure ${code}`);
  return row;
}

const counters = async () => await db().select().from(schema.dailyCounts);
/** A procedure's level changed the way the portal changes it: the row and its counts in one transaction (updateProcedureSettings does the same). */
async function setLevel(id: number, level: number): Promise<void> {
  await inTransaction(async (tx) => {
    const [before] = await tx.select().from(schema.procedures).where(eq(schema.procedures.id, id)).limit(1);
    if (!before) throw new Error(`no procedure ${id}`);
    await tx.update(schema.procedures).set({ level }).where(eq(schema.procedures.id, id));
    await moveProcedure(tx, id, before, { agencyId: before.agencyId, level });
  });
}
const sorted = (rows: RollupRow[]) => [...rows].sort((a, b) => rollupKeyId(a).localeCompare(rollupKeyId(b)));
/** The Vietnam day of a dossier's event of this type (what the real clock gave it). */
async function eventDay(type: string, dossierId: number | null): Promise<string> {
  const [row] = await db()
    .select({ at: schema.dossierEvents.occurredAt })
    .from(schema.dossierEvents)
    .where(
      and(
        eq(schema.dossierEvents.type, type),
        dossierId === null ? sql`${schema.dossierEvents.dossierId} is null` : eq(schema.dossierEvents.dossierId, dossierId),
      ),
    )
    .limit(1);
  if (!row) throw new Error(`no ${type} event`);
  return rollupDay(row.at);
}

/** A trigger for one test: inserting a counter of `day` fails with "counter refused" (each dialect says it its own way). */
async function refuseCounters(day: string): Promise<void> {
  if (onPostgres(db())) {
    await runRaw(db(), sql.raw(`create function refuse_counter() returns trigger language plpgsql as $$ begin raise exception 'counter refused'; end $$`));
    await runRaw(
      db(),
      sql.raw(`create trigger refuse_counter before insert on daily_counts for each row when (new.day = '${day}') execute function refuse_counter()`),
    );
  } else {
    await runRaw(
      db(),
      sql.raw(`create temp trigger refuse_counter before insert on daily_counts when new.day = '${day}' begin select raise(abort, 'counter refused'); end`),
    );
  }
}
/** Whether an error, or one it wraps (drizzle wraps the driver's on PostgreSQL), is the trigger's refusal. */
function counterRefused(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e.message.includes("counter refused")) return true;
  return false;
}
async function allowCounters(): Promise<void> {
  if (onPostgres(db())) {
    await runRaw(db(), sql.raw("drop trigger refuse_counter on daily_counts"));
    await runRaw(db(), sql.raw("drop function refuse_counter()"));
  } else await runRaw(db(), sql.raw("drop trigger temp.refuse_counter"));
}

async function move(dossierId: number, action: Parameters<typeof applyTransition>[0]["action"], actor: Actor, at: string, reason?: string) {
  const outcome = await applyTransition({ dossierId, action, actor, now: new Date(at), reason });
  if (!outcome.ok) throw new Error(`${action}: ${outcome.error}`);
  return outcome.dossier;
}

/** The result, with its content, as the officer's issue page gives it. */
async function issue(dossierId: number, actor: Actor, at: string) {
  const outcome = await issueTestResult({ dossierId, actor, now: new Date(at) });
  if (!outcome.ok) throw new Error(`issueResult: ${outcome.error}`);
  return outcome.dossier;
}

async function verifyScript(): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, ["--import", "tsx", "db/stats-verify.ts"], {
      env: { ...process.env, DATABASE_PATH: env().DATABASE_PATH },
      timeout: 60_000,
    });
    return { code: 0, stdout };
  } catch (error) {
    // execFile rejects on a non-zero exit, with the code and output on the error.
    if (error instanceof Error && "code" in error && typeof error.code === "number" && "stdout" in error && typeof error.stdout === "string")
      return { code: error.code, stdout: error.stdout };
    throw error;
  }
}

describe("daily counters (daily_counts)", () => {
  it("count a scripted history through the real domain functions exactly", async () => {
    const free = await procedure(FREE);
    const fee = await procedure(FEE);
    const hk = await newOfficer("ha-noi-phuong-hoan-kiem");
    const police = await newOfficer("ha-noi-cong-an");

    // Two online submissions of the free procedure, one of the fee-charging one.
    const a = await submitDossier(await newCitizen(), FREE, "online");
    const b = await submitDossier(await newCitizen(), FREE, "online");
    const c = await submitDossier(await newCitizen(), FEE, "online");
    const [aRow] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, a.dossierId)).limit(1);
    // And one at the police counter (received on the spot), keyed in by the officer.
    const { form } = found(await onlineProcedure(FEE));
    const counter = await run(
      intakeForm.action,
      post(
        `/officer/intake/form?procedure=${FEE}&channel=counter`,
        formOf({ ...validAnswers(form.definition), applicant_phone: "0913000222", channel: "counter", deliveryMode: "counter", paperChecked: "on" }),
        police.cookie,
      ),
    );
    expect(counter.status).toBe(302);
    const [d] = await db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.procedureId, fee.id), eq(schema.dossiers.channel, "counter")))
      .limit(1);
    if (!d || !aRow?.applicantId) throw new Error("setup failed");

    // A: received Tue 10 Mar 10:00 (due Wed 11), result at 23:59:59 on the 11th (on time), returned at
    // midnight — 17:00:00Z is already the 12th in Vietnam — and rated.
    await move(a.dossierId, "receive", hk.actor, "2026-03-10T03:00:00Z");
    await move(a.dossierId, "startProcessing", hk.actor, "2026-03-10T04:00:00Z");
    await issue(a.dossierId, hk.actor, "2026-03-11T16:59:59Z");
    await move(a.dossierId, "returnResult", hk.actor, "2026-03-11T17:00:00Z");
    expect(
      await rateDossier({ dossierId: a.dossierId, applicantId: aRow.applicantId, rating: "satisfied", comment: null, now: new Date("2026-03-12T02:00:00Z") }),
    ).toBe("rated");
    // B: received at 00:00 on the 11th (due the 12th), result the same morning (early).
    await move(b.dossierId, "receive", hk.actor, "2026-03-10T17:00:00Z");
    await move(b.dossierId, "startProcessing", hk.actor, "2026-03-11T02:00:00Z");
    const bDone = await issue(b.dossierId, hk.actor, "2026-03-11T03:00:00Z");
    expect(bDone.timeliness).toBe("early");
    // C: received on the 12th, stopped long after its deadline (late).
    await move(c.dossierId, "receive", police.actor, "2026-03-12T03:00:00Z");
    expect((await move(c.dossierId, "stop", police.actor, "2026-04-29T03:00:00Z", "Không đủ điều kiện cấp phiếu")).timeliness).toBe("late");
    // Two reads of the free procedure's page.
    await recordProcedureView({ procedureId: free.id, agencyId: free.agencyId, language: "vi" });
    await recordProcedureView({ procedureId: free.id, agencyId: free.agencyId, language: "en" });

    const today = async (dossierId: number) => await eventDay("submitted", dossierId);
    const row = (metric: string, day: string, p: typeof free, channel: string, count: number): RollupRow => ({
      metric,
      day,
      agencyId: p.agencyId,
      procedureId: p.id,
      channel,
      count,
    });
    const expected: RollupRow[] = [
      row("form_started", await eventDay("form_started", a.dossierId), free, "online", 2),
      row("form_started", await eventDay("form_started", c.dossierId), fee, "online", 1),
      row("submitted", await today(a.dossierId), free, "online", 2),
      row("submitted", await today(c.dossierId), fee, "online", 1),
      row("submitted_fee", await today(c.dossierId), fee, "online", 1),
      row("submitted", await today(d.id), fee, "counter", 1),
      row("submitted_fee", await today(d.id), fee, "counter", 1),
      row("received", await today(d.id), fee, "counter", 1),
      row("received", "2026-03-10", free, "online", 1),
      row("received", "2026-03-11", free, "online", 1),
      row("result_ready", "2026-03-11", free, "online", 2),
      row("finished_on_time", "2026-03-11", free, "online", 1),
      row("finished_early", "2026-03-11", free, "online", 1),
      row("returned", "2026-03-12", free, "online", 1),
      row("rated_satisfied", "2026-03-12", free, "online", 1),
      row("received", "2026-03-12", fee, "online", 1),
      row("stopped", "2026-04-29", fee, "online", 1),
      row("finished_late", "2026-04-29", fee, "online", 1),
      row("viewed", await eventDay("procedure_viewed", null), free, "", 2),
    ];
    // Same day for both submissions of the free procedure (one cell of 2), unless the clock crossed midnight.
    expect(await today(a.dossierId)).toBe(await today(b.dossierId));
    expect(sorted(await counters())).toEqual(sorted(expected));
    // The submitted events carry the fee the procedure charged, online and at the counter.
    const feeOf = async (dossierId: number) =>
      (
        await db()
          .select()
          .from(schema.dossierEvents)
          .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "submitted")))
          .limit(1)
      )[0]?.data?.feeVnd;
    expect([await feeOf(a.dossierId), await feeOf(c.dossierId), await feeOf(d.id)]).toEqual([0, 200_000, 200_000]);
    expect(await verifyRollups(db())).toMatchObject({ expectedRows: expected.length, actualRows: expected.length, mismatches: [] });
  });

  it("leaves no counter behind when the transaction that recorded the event rolls back", async () => {
    const before = await counters();
    const at = new Date("2027-01-05T03:00:00Z");
    await expect(
      inTransaction(async (tx) => {
        await recordEvent(tx, { type: "procedure_viewed", occurredAt: at, procedureId: 1, agencyId: 1 });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await counters()).toEqual(before);
    expect(await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.occurredAt, at))).toEqual([]);
  });

  it("writes an event recorded outside a transaction and its counters together, or neither", async () => {
    // A counter that cannot be written (a trigger for this test only): the event must not stay either.
    await refuseCounters("2027-02-01");
    try {
      await expect(
        recordEvent(db(), { type: "procedure_viewed", occurredAt: new Date("2027-02-01T03:00:00Z"), procedureId: 1, agencyId: 1 }),
      ).rejects.toSatisfy(counterRefused);
      expect(
        await db()
          .select()
          .from(schema.dossierEvents)
          .where(eq(schema.dossierEvents.occurredAt, new Date("2027-02-01T03:00:00Z"))),
      ).toEqual([]);
      // Inside a caller's transaction the failure undoes only the event (a savepoint); the caller decides.
      await inTransaction(async (tx) => {
        await recordEvent(tx, { type: "procedure_viewed", occurredAt: new Date("2027-02-02T03:00:00Z"), procedureId: 1, agencyId: 1 });
        await expect(
          recordEvent(tx, { type: "procedure_viewed", occurredAt: new Date("2027-02-01T04:00:00Z"), procedureId: 1, agencyId: 1 }),
        ).rejects.toSatisfy(counterRefused);
      });
      expect(
        await db()
          .select({ at: schema.dossierEvents.occurredAt })
          .from(schema.dossierEvents)
          .where(gte(schema.dossierEvents.occurredAt, new Date("2027-02-01T00:00:00Z"))),
      ).toEqual([{ at: new Date("2027-02-02T03:00:00Z") }]);
      expect((await counters()).filter((r) => r.day.startsWith("2027-02"))).toEqual([
        { metric: "viewed", day: "2027-02-02", agencyId: 1, procedureId: 1, channel: "", count: 1 },
      ]);
    } finally {
      await allowCounters();
    }
    expect((await verifyRollups(db())).mismatches).toEqual([]);
  });

  it("verify finds exactly one mismatch for a changed, a deleted or an unexplained row; rebuild repairs them", async () => {
    const clean = await verifyRollups(db());
    expect(clean.mismatches).toEqual([]);
    expect(clean.checkedEvents).toBe((await db().select().from(schema.dossierEvents)).length);
    const target = (await counters()).find((r) => r.metric === "result_ready");
    if (!target) throw new Error("no result_ready row");
    const dc = schema.dailyCounts;
    const where = and(
      eq(dc.metric, target.metric),
      eq(dc.day, target.day),
      eq(dc.agencyId, target.agencyId),
      eq(dc.procedureId, target.procedureId),
      eq(dc.channel, target.channel),
    );
    const key = { metric: target.metric, day: target.day, agencyId: target.agencyId, procedureId: target.procedureId, channel: target.channel };

    await db()
      .update(dc)
      .set({ count: sql`${dc.count} + 1` })
      .where(where);
    expect((await verifyRollups(db())).mismatches).toEqual([{ key, expected: 2, actual: 3 }]);
    expect((await rebuildRollups(db())).rows).toBe(clean.expectedRows);
    expect((await verifyRollups(db())).mismatches).toEqual([]);
    expect((await counters()).find((r) => rollupKeyId(r) === rollupKeyId(target))?.count).toBe(2);

    await db().delete(dc).where(where);
    const deleted = await verifyRollups(db());
    expect(deleted).toMatchObject({ actualRows: clean.expectedRows - 1, mismatches: [{ key, expected: 2, actual: null }] });
    await rebuildRollups(db());
    expect((await verifyRollups(db())).mismatches).toEqual([]);

    await db()
      .insert(schema.dailyCounts)
      .values({ ...key, day: "1999-01-01", count: 4 });
    expect((await verifyRollups(db())).mismatches).toEqual([{ key: { ...key, day: "1999-01-01" }, expected: null, actual: 4 }]);
    await rebuildRollups(db());
    expect(await verifyRollups(db())).toMatchObject({ actualRows: clean.expectedRows, mismatches: [] });
  });

  it("are filled from the log when a database has events but no counters (one from before the table)", async () => {
    const before = await counters();
    expect(before.length).toBeGreaterThan(0);
    await db().delete(schema.dailyCounts);
    expect((await verifyRollups(db())).mismatches).toHaveLength(before.length);
    // What the portal does at start-up: on SQLite here on a second connection to the same file.
    if (onPostgres(db())) await bootstrap({ seed: false });
    else (await bootstrapFile(env().DATABASE_PATH, { seed: false })).$client.close();
    expect(sorted(await counters())).toEqual(sorted(before));
  });

  it("npm run stats:verify exits 0 on agreement and 1, naming the row, after a counter is changed", async () => {
    const ok = await verifyScript();
    expect(ok.code).toBe(0);
    const rows = (await counters()).length;
    const events = (await db().select().from(schema.dossierEvents)).length;
    expect(ok.stdout).toContain(`checked ${events} events, ${rows} rollup rows (${rows} expected): 0 mismatches`);

    await db()
      .update(schema.dailyCounts)
      .set({ count: sql`${schema.dailyCounts.count} + 1` })
      .where(eq(schema.dailyCounts.metric, "stopped"));
    const bad = await verifyScript();
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain("1 mismatches");
    expect(bad.stdout).toMatch(/stopped 2026-04-29 agency=\d+ procedure=\d+ channel=online: expected 1, found 2/);

    await exec(process.execPath, ["--import", "tsx", "db/stats-rebuild.ts"], { env: { ...process.env, DATABASE_PATH: env().DATABASE_PATH }, timeout: 60_000 });
    expect((await verifyScript()).code).toBe(0);
  }, 60_000);
});

describe("the tables kept from the counters (subtree counters and totals, portal use, catalog counts)", () => {
  const tables = async () => (await verifyRollups(db())).derived.mismatches.map((m) => m.table);

  it("agree with the log after the scripted history, through the counters store that keeps them", async () => {
    const { derived } = await verifyRollups(db());
    expect(derived.mismatches).toEqual([]);
    expect(derived.actualRows).toBe(derived.expectedRows);
    expect((await db().select().from(schema.subtreeDaily)).length).toBeGreaterThan(0);
    expect((await db().select().from(schema.procedurePortalUse)).length).toBeGreaterThan(0);
  });

  it("verify finds one mismatch in each table that holds a wrong figure; rebuild repairs them", async () => {
    const [month] = await db().select().from(schema.subtreeMonthly).where(eq(schema.subtreeMonthly.metric, "submitted")).limit(1);
    if (!month) throw new Error("no subtree row");
    const key = and(
      eq(schema.subtreeMonthly.agencyId, month.agencyId),
      eq(schema.subtreeMonthly.month, month.month),
      eq(schema.subtreeMonthly.metric, month.metric),
      eq(schema.subtreeMonthly.channel, month.channel),
      eq(schema.subtreeMonthly.level, month.level),
    );
    // A subtree row changed by hand (no trigger carries it on to the totals since decision 021: the one table holding a wrong figure).
    await db()
      .update(schema.subtreeMonthly)
      .set({ count: month.count + 1 })
      .where(key);
    expect((await verifyRollups(db())).derived.mismatches).toEqual([
      {
        table: "subtree_monthly",
        key: `${month.month} agency=${month.agencyId} submitted channel=${month.channel || "-"} level=${month.level}`,
        expected: month.count,
        actual: month.count + 1,
      },
    ]);
    await rebuildRollups(db());
    expect(await tables()).toEqual([]);

    // A totals row the log does not explain; a procedure's portal use gone; a wrong catalog count.
    const [totals] = await db().select().from(schema.subtreeTotalsDaily).limit(1);
    if (!totals) throw new Error("no totals row");
    await db()
      .insert(schema.subtreeTotalsDaily)
      .values({ ...totals, day: "1999-01-01" });
    expect(await tables()).toEqual(["subtree_totals_daily"]);
    const [use] = await db().select().from(schema.procedurePortalUse).limit(1);
    if (!use) throw new Error("no portal use");
    await db().delete(schema.procedurePortalUse).where(eq(schema.procedurePortalUse.procedureId, use.procedureId));
    const cc = schema.catalogCounts;
    await db()
      .update(cc)
      .set({ count: sql`${cc.count} + 1` })
      .where(sql`${cc.agencyId} = (select min(${cc.agencyId}) from ${cc})`);
    expect((await tables()).sort()).toEqual(["catalog_counts", "procedure_portal_use", "subtree_totals_daily"]);
    await rebuildRollups(db());
    expect(await tables()).toEqual([]);
  });

  it("follow a changed daily counter (the counter is the one wrong figure: its subtree rows add it up faithfully)", async () => {
    const cell = (await counters()).find((r) => r.metric === "received");
    if (!cell) throw new Error("no received cell");
    const path = (await db().select().from(schema.agencies).where(eq(schema.agencies.id, cell.agencyId)).limit(1))[0]?.path ?? "";
    // Changed through the counters store, the way a repair writes a counter.
    await addToCounters(db(), [{ ...cell, count: 1 }]);
    const check = await verifyRollups(db());
    expect(check.mismatches).toHaveLength(1);
    // Against the log, each subtree row holding it is off by one: by day and by month, counters and totals, for the agency, each ancestor and the country.
    expect(check.derived.mismatches).toHaveLength(4 * (subtreesOf(path)?.length ?? 0));
    await rebuildRollups(db());
    expect((await verifyRollups(db())).derived.mismatches).toEqual([]);
  });

  it("move a procedure's counts when its level changes, in the same transaction", async () => {
    const free = await procedure(FREE);
    const figures = async () => {
      const parsed = await parseStatisticsQuery({ agencyPath: "/", params: { from: "2026-01-01", to: "2026-12-31" } });
      if (!parsed.success) throw new Error("query");
      return (await summary({ agencyPath: "/", query: parsed.query })).counts;
    };
    const before = await figures();
    expect(before.submitted_level34).toBeGreaterThan(0);
    const submittedFree = (await counters())
      .filter((r) => r.procedureId === free.id && r.metric === "submitted" && r.day >= "2026-01-01" && r.day <= "2026-12-31")
      .reduce((n, r) => n + r.count, 0);
    expect(submittedFree).toBeGreaterThan(0);
    await setLevel(free.id, 2);
    try {
      expect(await figures()).toMatchObject({
        submitted: before.submitted,
        submitted_level34: before.submitted_level34 - submittedFree,
        procedures_level4_used: before.procedures_level4_used - 1,
      });
      expect((await verifyRollups(db())).derived.mismatches).toEqual([]);
    } finally {
      await setLevel(free.id, free.level);
    }
    expect(await figures()).toEqual(before);
    expect((await verifyRollups(db())).derived.mismatches).toEqual([]);
  });
});
