import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import * as intakeForm from "../../app/routes/officer.intake.form";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { rollupDay, rollupKeyId, type RollupRow } from "../../app/core/statistics/rollup";
import { bootstrapFile } from "../../app/server/platform/bootstrap.server";
import { db, inTransaction } from "../../app/server/platform/db.server";
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

function procedure(code: string) {
  const row = db().select().from(schema.procedures).where(eq(schema.procedures.code, code)).get();
  if (!row) throw new Error(`no procedure ${code}`);
  return row;
}

const counters = () => db().select().from(schema.dailyCounts).all();
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
function eventDay(type: string, dossierId: number | null): string {
  const row = db()
    .select({ at: schema.dossierEvents.occurredAt })
    .from(schema.dossierEvents)
    .where(
      and(
        eq(schema.dossierEvents.type, type),
        dossierId === null ? sql`${schema.dossierEvents.dossierId} is null` : eq(schema.dossierEvents.dossierId, dossierId),
      ),
    )
    .get();
  if (!row) throw new Error(`no ${type} event`);
  return rollupDay(row.at);
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
    const free = procedure(FREE);
    const fee = procedure(FEE);
    const hk = await newOfficer("ha-noi-phuong-hoan-kiem");
    const police = await newOfficer("ha-noi-cong-an");

    // Two online submissions of the free procedure, one of the fee-charging one.
    const a = await submitDossier(await newCitizen(), FREE, "online");
    const b = await submitDossier(await newCitizen(), FREE, "online");
    const c = await submitDossier(await newCitizen(), FEE, "online");
    const aRow = db().select().from(schema.dossiers).where(eq(schema.dossiers.id, a.dossierId)).get();
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
    const d = db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.procedureId, fee.id), eq(schema.dossiers.channel, "counter")))
      .get();
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

    const today = (dossierId: number) => eventDay("submitted", dossierId);
    const row = (metric: string, day: string, p: typeof free, channel: string, count: number): RollupRow => ({
      metric,
      day,
      agencyId: p.agencyId,
      procedureId: p.id,
      channel,
      count,
    });
    const expected: RollupRow[] = [
      row("form_started", eventDay("form_started", a.dossierId), free, "online", 2),
      row("form_started", eventDay("form_started", c.dossierId), fee, "online", 1),
      row("submitted", today(a.dossierId), free, "online", 2),
      row("submitted", today(c.dossierId), fee, "online", 1),
      row("submitted_fee", today(c.dossierId), fee, "online", 1),
      row("submitted", today(d.id), fee, "counter", 1),
      row("submitted_fee", today(d.id), fee, "counter", 1),
      row("received", today(d.id), fee, "counter", 1),
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
      row("viewed", eventDay("procedure_viewed", null), free, "", 2),
    ];
    // Same day for both submissions of the free procedure (one cell of 2), unless the clock crossed midnight.
    expect(today(a.dossierId)).toBe(today(b.dossierId));
    expect(sorted(counters())).toEqual(sorted(expected));
    // The submitted events carry the fee the procedure charged, online and at the counter.
    const feeOf = (dossierId: number) =>
      db()
        .select()
        .from(schema.dossierEvents)
        .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "submitted")))
        .get()?.data?.feeVnd;
    expect([feeOf(a.dossierId), feeOf(c.dossierId), feeOf(d.id)]).toEqual([0, 200_000, 200_000]);
    expect(await verifyRollups(db())).toMatchObject({ expectedRows: expected.length, actualRows: expected.length, mismatches: [] });
  });

  it("leaves no counter behind when the transaction that recorded the event rolls back", async () => {
    const before = counters();
    const at = new Date("2027-01-05T03:00:00Z");
    await expect(
      inTransaction(async (tx) => {
        await recordEvent(tx, { type: "procedure_viewed", occurredAt: at, procedureId: 1, agencyId: 1 });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(counters()).toEqual(before);
    expect(db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.occurredAt, at)).all()).toEqual([]);
  });

  it("writes an event recorded outside a transaction and its counters together, or neither", async () => {
    const sqlite = db().$client;
    // A counter that cannot be written (a trigger for this test only): the event must not stay either.
    sqlite.exec(
      `create temp trigger refuse_counter before insert on daily_counts when new.day = '2027-02-01' begin select raise(abort, 'counter refused'); end`,
    );
    try {
      await expect(recordEvent(db(), { type: "procedure_viewed", occurredAt: new Date("2027-02-01T03:00:00Z"), procedureId: 1, agencyId: 1 })).rejects.toThrow(
        "counter refused",
      );
      expect(
        db()
          .select()
          .from(schema.dossierEvents)
          .where(eq(schema.dossierEvents.occurredAt, new Date("2027-02-01T03:00:00Z")))
          .all(),
      ).toEqual([]);
      // Inside a caller's transaction the failure undoes only the event (a savepoint); the caller decides.
      await inTransaction(async (tx) => {
        await recordEvent(tx, { type: "procedure_viewed", occurredAt: new Date("2027-02-02T03:00:00Z"), procedureId: 1, agencyId: 1 });
        await expect(recordEvent(tx, { type: "procedure_viewed", occurredAt: new Date("2027-02-01T04:00:00Z"), procedureId: 1, agencyId: 1 })).rejects.toThrow(
          "counter refused",
        );
      });
      expect(
        db()
          .select({ at: schema.dossierEvents.occurredAt })
          .from(schema.dossierEvents)
          .where(sql`${schema.dossierEvents.occurredAt} >= ${new Date("2027-02-01T00:00:00Z").getTime()}`)
          .all(),
      ).toEqual([{ at: new Date("2027-02-02T03:00:00Z") }]);
      expect(counters().filter((r) => r.day.startsWith("2027-02"))).toEqual([
        { metric: "viewed", day: "2027-02-02", agencyId: 1, procedureId: 1, channel: "", count: 1 },
      ]);
    } finally {
      sqlite.exec("drop trigger temp.refuse_counter");
    }
    expect((await verifyRollups(db())).mismatches).toEqual([]);
  });

  it("verify finds exactly one mismatch for a changed, a deleted or an unexplained row; rebuild repairs them", async () => {
    const clean = await verifyRollups(db());
    expect(clean.mismatches).toEqual([]);
    expect(clean.checkedEvents).toBe(db().select().from(schema.dossierEvents).all().length);
    const target = counters().find((r) => r.metric === "result_ready");
    if (!target) throw new Error("no result_ready row");
    const where = sql`metric = ${target.metric} and day = ${target.day} and agency_id = ${target.agencyId} and procedure_id = ${target.procedureId} and channel = ${target.channel}`;
    const key = { metric: target.metric, day: target.day, agencyId: target.agencyId, procedureId: target.procedureId, channel: target.channel };

    db().run(sql`update daily_counts set count = count + 1 where ${where}`);
    expect((await verifyRollups(db())).mismatches).toEqual([{ key, expected: 2, actual: 3 }]);
    expect((await rebuildRollups(db())).rows).toBe(clean.expectedRows);
    expect((await verifyRollups(db())).mismatches).toEqual([]);
    expect(counters().find((r) => rollupKeyId(r) === rollupKeyId(target))?.count).toBe(2);

    db().run(sql`delete from daily_counts where ${where}`);
    const deleted = await verifyRollups(db());
    expect(deleted).toMatchObject({ actualRows: clean.expectedRows - 1, mismatches: [{ key, expected: 2, actual: null }] });
    await rebuildRollups(db());
    expect((await verifyRollups(db())).mismatches).toEqual([]);

    db()
      .insert(schema.dailyCounts)
      .values({ ...key, day: "1999-01-01", count: 4 })
      .run();
    expect((await verifyRollups(db())).mismatches).toEqual([{ key: { ...key, day: "1999-01-01" }, expected: null, actual: 4 }]);
    await rebuildRollups(db());
    expect(await verifyRollups(db())).toMatchObject({ actualRows: clean.expectedRows, mismatches: [] });
  });

  it("are filled from the log when a database has events but no counters (one from before the table)", async () => {
    const before = counters();
    expect(before.length).toBeGreaterThan(0);
    db().delete(schema.dailyCounts).run();
    expect((await verifyRollups(db())).mismatches).toHaveLength(before.length);
    // What the portal does at start-up, here on a second connection to the same file.
    const reopened = await bootstrapFile(env().DATABASE_PATH, { seed: false });
    reopened.$client.close();
    expect(sorted(counters())).toEqual(sorted(before));
  });

  it("npm run stats:verify exits 0 on agreement and 1, naming the row, after a counter is changed", async () => {
    const ok = await verifyScript();
    expect(ok.code).toBe(0);
    const rows = counters().length;
    const events = db().select().from(schema.dossierEvents).all().length;
    expect(ok.stdout).toContain(`checked ${events} events, ${rows} rollup rows (${rows} expected): 0 mismatches`);

    db().run(sql`update daily_counts set count = count + 1 where metric = 'stopped'`);
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
    expect(db().select().from(schema.subtreeDaily).all().length).toBeGreaterThan(0);
    expect(db().select().from(schema.procedurePortalUse).all().length).toBeGreaterThan(0);
  });

  it("verify finds one mismatch in each table that holds a wrong figure; rebuild repairs them", async () => {
    const month = db().select().from(schema.subtreeMonthly).where(eq(schema.subtreeMonthly.metric, "submitted")).get();
    if (!month) throw new Error("no subtree row");
    const key = and(
      eq(schema.subtreeMonthly.agencyId, month.agencyId),
      eq(schema.subtreeMonthly.month, month.month),
      eq(schema.subtreeMonthly.metric, month.metric),
      eq(schema.subtreeMonthly.channel, month.channel),
      eq(schema.subtreeMonthly.level, month.level),
    );
    // A subtree row changed by hand (no trigger carries it on to the totals since decision 021: the one table holding a wrong figure).
    db()
      .update(schema.subtreeMonthly)
      .set({ count: month.count + 1 })
      .where(key)
      .run();
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
    const totals = db().select().from(schema.subtreeTotalsDaily).get();
    if (!totals) throw new Error("no totals row");
    db()
      .insert(schema.subtreeTotalsDaily)
      .values({ ...totals, day: "1999-01-01" })
      .run();
    expect(await tables()).toEqual(["subtree_totals_daily"]);
    const use = db().select().from(schema.procedurePortalUse).get();
    if (!use) throw new Error("no portal use");
    db().delete(schema.procedurePortalUse).where(eq(schema.procedurePortalUse.procedureId, use.procedureId)).run();
    db().run(sql`update catalog_counts set count = count + 1 where agency_id = (select min(agency_id) from catalog_counts)`);
    expect((await tables()).sort()).toEqual(["catalog_counts", "procedure_portal_use", "subtree_totals_daily"]);
    await rebuildRollups(db());
    expect(await tables()).toEqual([]);
  });

  it("follow a changed daily counter (the counter is the one wrong figure: its subtree rows add it up faithfully)", async () => {
    const cell = counters().find((r) => r.metric === "received");
    if (!cell) throw new Error("no received cell");
    const path = db().select().from(schema.agencies).where(eq(schema.agencies.id, cell.agencyId)).get()?.path ?? "";
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
    const free = procedure(FREE);
    const figures = async () => {
      const parsed = await parseStatisticsQuery({ agencyPath: "/", params: { from: "2026-01-01", to: "2026-12-31" } });
      if (!parsed.success) throw new Error("query");
      return (await summary({ agencyPath: "/", query: parsed.query })).counts;
    };
    const before = await figures();
    expect(before.submitted_level34).toBeGreaterThan(0);
    const submittedFree = counters()
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
