import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { vnDate } from "../../app/core/calendar/working-days";
import { db, inTransaction } from "../../app/server/platform/db.server";
import { getForm, getProcedure, listProcedures } from "../../app/server/catalog/catalog.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { recordProcedureView } from "../../app/server/dossiers/dossiers.server";
import { recordEvent } from "../../app/server/statistics/events.server";
import { publishForm, unpublishForm } from "../../app/server/forms/publishing.server";
import { rebuildRollups, verifyRollups } from "../../app/server/statistics/rollup.server";
import { verifyMetrics } from "../../app/server/statistics/verify.server";
import { grouped, parseStatisticsQuery, summary } from "../../app/server/statistics/dashboard.server";
import * as edit from "../../app/routes/admin.procedures.$code";
import * as apiList from "../../app/routes/api.v1.procedures";
import * as apiOne from "../../app/routes/api.v1.procedures_.$code";
import { signInAs } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";

/**
 * Issue 16's "done when": unpublishing a level-3 procedure's form drops it to level 2 in the catalog,
 * the API and the statistics from that day on — the days before still count it at level 3 — and the
 * statistics still verify against the raw log; publishing a form again brings level 3 back.
 */
const CODE = "2.000720"; // level 3, 100.000 đ, Hoàn Kiếm ward (Hà Nội)
const DAY = 86_400_000;

let admin: { id: number; cookie: string };
let procedureId = 0;
let agencyId = 0;
const today = vnDate(new Date());
const before = { from: vnDate(new Date(Date.now() - 6 * DAY)), to: vnDate(new Date(Date.now() - DAY)) };

const ApiItemSchema = z.object({ code: z.string(), level: z.number(), onlineService: z.string().nullable() });
const apiProcedure = async () => {
  const res = await run(apiOne.loader, get(`/api/v1/procedures/${CODE}`), { code: CODE });
  return ApiItemSchema.extend({ formVersion: z.number().nullable() }).parse(await (res.data instanceof Response ? res.data.json() : res.data));
};
const apiLevel = async (level: number) => {
  const res = await apiList.loader({ request: get(`/api/v1/procedures?level=${level}`), params: {}, context: {} });
  return z
    .object({ items: z.array(ApiItemSchema) })
    .parse(await res.json())
    .items.map((i) => i.code);
};
const query = async (period: { from: string; to: string }, groupBy = "level") => {
  const parsed = await parseStatisticsQuery({ agencyPath: "/", params: { ...period, groupBy } });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
  return parsed.query;
};
/** The dashboard's counts grouped by level, for one level's row. */
const byLevel = async (period: { from: string; to: string }, level: string) =>
  (await grouped({ agencyPath: "/", query: await query(period) })).rows.find((r) => r.key === level)?.counts;
const levelEvents = () =>
  db()
    .select({ data: schema.dossierEvents.data, actorId: schema.dossierEvents.actorId })
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.type, "procedure_level_changed"), eq(schema.dossierEvents.procedureId, procedureId)))
    .orderBy(schema.dossierEvents.id);
const verified = async () => {
  const rollups = await verifyRollups(db());
  const metrics = await verifyMetrics(db());
  return { rollups: rollups.mismatches, derived: rollups.derived.mismatches, metrics: metrics.mismatches };
};

beforeAll(async () => {
  admin = await signInAs("quan.tri.hanoi@example.vn");
  const found = await getProcedure(CODE);
  if (!found) throw new Error(`no procedure ${CODE}`);
  procedureId = found.procedure.id;
  agencyId = found.procedure.agencyId;
  // Dossiers submitted online on days before the change (recorded as they were: with their dates).
  await inTransaction(async (tx) => {
    for (const daysAgo of [5, 2, 2])
      await recordEvent(tx, {
        type: "submitted",
        occurredAt: new Date(Date.now() - daysAgo * DAY),
        procedureId,
        agencyId,
        channel: "online",
        data: { feeVnd: 100_000 },
      });
  });
});

describe("unpublishing a level-3 procedure's form", () => {
  it("starts at level 3, partial, counted at level 3 in the days before", async () => {
    expect((await getProcedure(CODE))?.procedure).toMatchObject({ level: 3, onlineService: "partial", formVersion: 1 });
    expect(await apiProcedure()).toMatchObject({ level: 3, onlineService: "partial", formVersion: 1 });
    expect((await byLevel(before, "3"))?.submitted).toBe(3);
    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
  });

  it("drops it to level 2 in the catalog and the API from that day, with one procedure_level_changed event", async () => {
    const levelCounts = async () => ({ 2: (await listProcedures({ level: 2, page: 1 })).total, 3: (await listProcedures({ level: 3, page: 1 })).total });
    const counted = await levelCounts();
    const res = await run(edit.action, post(`/admin/procedures/${CODE}`, formOf({ intent: "unpublish", formVersion: "1", confirm: "yes" }), admin.cookie), {
      code: CODE,
    });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${CODE}?notice=unpublished` });

    expect((await getProcedure(CODE))?.procedure).toMatchObject({ level: 2, onlineService: null, formVersion: null });
    expect(await levelCounts()).toEqual({ 2: counted[2] + 1, 3: counted[3] - 1 });
    expect(await apiProcedure()).toMatchObject({ level: 2, onlineService: null, formVersion: null });
    expect(await apiLevel(3)).not.toContain(CODE);
    expect(await apiLevel(2)).toContain(CODE);
    // No one can apply online any more; a draft or dossier made on version 1 still finds it.
    expect(await onlineProcedure(CODE)).toBeNull();
    expect(await getForm(procedureId)).toBeNull();
    expect((await getForm(procedureId, 1))?.version).toBe(1);

    expect(await levelEvents()).toEqual([
      { data: { code: CODE, from: 3, to: 2, serviceFrom: "partial", serviceTo: null, reason: "form_unpublished" }, actorId: admin.id },
    ]);
  });

  it("keeps the days before at level 3 in the statistics, counts today at level 2, and still verifies with 0 mismatches", async () => {
    // The submissions of the days before stay level-3 dossiers: in the level-3 row and among the level-3/4 ones.
    expect((await byLevel(before, "3"))?.submitted).toBe(3);
    expect((await byLevel(before, "2"))?.submitted ?? 0).toBe(0);
    const past = await summary({ agencyPath: "/", query: await query(before, "none") });
    expect(past.counts.submitted_level34).toBeGreaterThanOrEqual(3);
    expect(past.counts.submitted_level34_portal).toBeGreaterThanOrEqual(3);
    // A visit today is a visit to a level-2 procedure.
    const visits = async (level: string) => (await byLevel({ from: today, to: today }, level))?.viewed ?? 0;
    const level2Before = await visits("2");
    const level3Before = await visits("3");
    await recordProcedureView({ procedureId, agencyId, language: "vi" });
    expect(await visits("2")).toBe(level2Before + 1);
    expect(await visits("3")).toBe(level3Before);

    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
  });

  it("brings level 3 back when a form is published again, as a new version", async () => {
    const old = await getForm(procedureId, 1);
    if (!old) throw new Error("version 1 is gone");
    const outcome = await inTransaction((tx) =>
      publishForm(tx, { procedureId, definition: old.definition, actorId: admin.id, actorRole: "agency_admin", now: new Date() }),
    );
    expect(outcome).toMatchObject({ ok: true, version: 2, level: { changed: true, derived: { level: 3, onlineService: "partial" } } });
    expect((await getProcedure(CODE))?.procedure).toMatchObject({ level: 3, onlineService: "partial", formVersion: 2 });
    expect(await apiProcedure()).toMatchObject({ level: 3, formVersion: 2 });
    expect((await onlineProcedure(CODE))?.form.version).toBe(2);
    expect((await levelEvents()).map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 3, to: 2, reason: "form_unpublished" }),
      { code: CODE, from: 2, to: 3, serviceFrom: null, serviceTo: "partial", reason: "form_published" },
    ]);
    // Both changes were today: today counts at the level the day ended with, the days before at 3 as ever.
    expect((await byLevel(before, "3"))?.submitted).toBe(3);
    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
  });

  it("rebuilds the counters from the log to the same figures (stats:rebuild): the days before at level 3, today at its level", async () => {
    // Today's level-2 interlude ended the day at level 3 again: take it back to 2 first, so today and the days before differ.
    const withdrawn = await inTransaction((tx) => unpublishForm(tx, { procedureId, actorId: admin.id, actorRole: "agency_admin", now: new Date() }));
    expect(withdrawn).toMatchObject({ ok: true, version: 2 });
    const todayVisits = async (level: string) => (await byLevel({ from: today, to: today }, level))?.viewed ?? 0;
    const shown = { before3: (await byLevel(before, "3"))?.submitted, today2: await todayVisits("2"), today3: await todayVisits("3") };
    expect(shown.before3).toBe(3);
    expect(shown.today2).toBeGreaterThan(0);
    await rebuildRollups(db());
    expect({ before3: (await byLevel(before, "3"))?.submitted, today2: await todayVisits("2"), today3: await todayVisits("3") }).toEqual(shown);
    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
  });

  it("refuses to publish a broken form, writing nothing", async () => {
    const outcome = await inTransaction((tx) =>
      publishForm(tx, { procedureId, definition: { sections: [] }, actorId: admin.id, actorRole: "agency_admin", now: new Date() }),
    );
    expect(outcome).toMatchObject({ ok: false, error: "invalid" });
    expect(outcome.ok ? [] : "problems" in outcome ? outcome.problems : []).not.toEqual([]);
    expect((await getProcedure(CODE))?.procedure).toMatchObject({ formVersion: null, level: 2 });
    expect(await db().select().from(schema.procedureForms).where(eq(schema.procedureForms.procedureId, procedureId))).toHaveLength(2);
    expect(await inTransaction((tx) => unpublishForm(tx, { procedureId, actorId: admin.id, actorRole: "agency_admin", now: new Date() }))).toEqual({
      ok: false,
      error: "not_published",
    });
  });
});
