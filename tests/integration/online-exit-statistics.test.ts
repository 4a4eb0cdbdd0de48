// Exits as a statistic (issue 16): an answer that means "this cannot be done online" is demand the
// portal could not serve, counted on the statistics dashboard like every figure — from the event log,
// once per draft and exit, for the procedure's agency and every agency above it — and only when the
// server itself found the posted answers lead out (not when someone opens an exit page).
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { vnDate } from "../../app/core/calendar/working-days";
import { db, inTransaction } from "../../app/server/platform/db.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { found } from "../../app/server/platform/http.server";
import { recordEvent, ofDossier } from "../../app/server/statistics/events.server";
import { addToCounters } from "../../app/server/statistics/counters.server";
import { rebuildRollups, rebuildRollupsIfMissing, verifyRollups } from "../../app/server/statistics/rollup.server";
import { verifyMetrics } from "../../app/server/statistics/verify.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as exitRoute from "../../app/routes/procedures.$code_.apply_.exit.$exit";
import * as dashboard from "../../app/routes/admin.statistics";
import { validAnswers } from "../fixtures/answers";
import { newCitizen, signInAs, type Citizen } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";

const CODE = "1.004222"; // Đăng ký thường trú: "chỗ ở khác" (a boat, a mobile home) cannot be done online
const EXIT = "cho-o-khac";
const params = { code: CODE };
const { form, procedure } = found(await onlineProcedure(CODE));
const { head_of_household_name: _name, head_of_household_cccd: _cccd, ...others } = validAnswers(form.definition);
const onVessel = { ...others, new_address: "Thuyền HN-1234, bến Chương Dương, Hà Nội", relationship_to_head: "chu_ho", housing_type: "khac" };
const today = vnDate(new Date());

const send = (citizen: Citizen, values: Record<string, string>, intent = "continue") =>
  run(apply.action, post(`/procedures/${CODE}/apply`, formOf({ ...values, intent }), citizen.cookie), params);

const PageSchema = z.object({
  report: z.object({
    summary: z.object({ metrics: z.object({ online_exits: z.number() }) }),
    grouped: z.object({ rows: z.array(z.object({ key: z.string(), cells: z.array(z.object({ id: z.string(), value: z.unknown() })) })) }),
  }),
});

let admin = { id: 0, cookie: "" };
let agencyCode = "";
let parentCode = "";

/** The dashboard as the administrator sees it today for one agency's subtree (and every procedure under it). */
async function shown(agency: string) {
  const outcome = await run(
    dashboard.loader,
    get(`/admin/statistics?${new URLSearchParams({ from: today, to: today, groupBy: "procedure", agency })}`, admin.cookie),
  );
  expect(outcome.status).toBe(200);
  const { report } = PageSchema.parse(outcome.data);
  const row = report.grouped.rows.find((r) => r.key === CODE);
  return { summary: report.summary.metrics.online_exits, procedure: row?.cells.find((c) => c.id === "online_exits")?.value ?? 0 };
}
/** What the administrator reads for the ward, the province above it, and that procedure in each. */
const figures = async () => ({ agency: await shown(agencyCode), parent: await shown(parentCode) });
const one = { agency: { summary: 1, procedure: 1 }, parent: { summary: 1, procedure: 1 } };
const verified = async () => {
  const rollups = await verifyRollups(db());
  return { rollups: rollups.mismatches, derived: rollups.derived.mismatches, metrics: (await verifyMetrics(db())).mismatches };
};
const clean = { rollups: [], derived: [], metrics: [] };
const exitEvents = (dossierId: number) =>
  db()
    .select({ data: schema.dossierEvents.data })
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "online_exit")));

beforeAll(async () => {
  admin = await signInAs("quan.tri@example.vn");
  const [agency] = await db().select().from(schema.agencies).where(eq(schema.agencies.id, procedure.agencyId));
  const [parent] = await db()
    .select()
    .from(schema.agencies)
    .where(eq(schema.agencies.id, agency?.parentId ?? 0));
  if (!agency || !parent) throw new Error("the procedure's agency and its parent");
  agencyCode = agency.code;
  parentCode = parent.code;
});

describe("online exits on the statistics dashboard", () => {
  let citizen: Citizen;
  let draftId = 0;

  it("counts nothing for a GET of an exit page, by anyone signed in, and shows them nothing of anyone's draft", async () => {
    expect(await figures()).toEqual({ agency: { summary: 0, procedure: 0 }, parent: { summary: 0, procedure: 0 } });
    const stranger = await newCitizen("Người Lạ");
    const page = await run(exitRoute.loader, get(`/procedures/${CODE}/apply/exit/${EXIT}`, stranger.cookie), { code: CODE, exit: EXIT });
    expect(page.status).toBe(200);
    // The procedure's public message and one-stop address, nothing else: no answers, no draft.
    expect(Object.keys(z.record(z.string(), z.unknown()).parse(page.data)).sort()).toEqual(["message", "oneStop", "procedure", "title"]);
    expect(await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, stranger.id))).toEqual([]);
    expect(await figures()).toEqual({ agency: { summary: 0, procedure: 0 }, parent: { summary: 0, procedure: 0 } });
  });

  it("counts nothing for a post whose answers do not lead out, whatever else it carries, nor for a saved draft that would", async () => {
    citizen = await newCitizen();
    // A forged "exit" field is not an answer the form has: the server decides from the answers alone.
    const tampered = await send(citizen, { ...onVessel, housing_type: "nha_nguoi_than", exit: EXIT });
    expect(tampered.location).toBe(`/procedures/${CODE}/apply/check`);
    // Saving checks nothing: the answers lead out, but nobody asked to continue.
    expect(await send(citizen, onVessel, "save")).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply?saved=1` });
    const [draft] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, citizen.id));
    draftId = draft?.id ?? 0;
    expect(await exitEvents(draftId)).toEqual([]);
    expect(await figures()).toEqual({ agency: { summary: 0, procedure: 0 }, parent: { summary: 0, procedure: 0 } });
  });

  it("counts a draft whose posted answers lead out once, for its procedure, its agency and the agency above, however often it is posted", async () => {
    expect(await send(citizen, onVessel)).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply/exit/${EXIT}` });
    expect(await figures()).toEqual(one);
    // The same draft posted again (a reload, the back button, a second tab): still one.
    expect(await send(citizen, onVessel)).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply/exit/${EXIT}` });
    expect(await send(citizen, { ...onVessel, new_address: "" })).toMatchObject({ location: `/procedures/${CODE}/apply/exit/${EXIT}` });
    expect(await exitEvents(draftId)).toEqual([{ data: { exit: EXIT, formVersion: form.version } }]);
    expect(await figures()).toEqual(one);
    expect(await verified()).toEqual(clean);
  });

  it("rebuilds to the same figures from the log (stats:rebuild)", async () => {
    await rebuildRollups(db());
    expect(await figures()).toEqual(one);
    expect(await verified()).toEqual(clean);
  });

  it("fills the counter on a database whose exits were logged before it was counted (start-up after the migration)", async () => {
    // As before migration 0018: the exit logged, no online_exit counter anywhere.
    const cells = await db().select().from(schema.dailyCounts).where(eq(schema.dailyCounts.metric, "online_exit"));
    expect(cells.map((c) => c.count)).toEqual([1]);
    await inTransaction((tx) =>
      addToCounters(
        tx,
        cells.map((c) => ({ ...c, count: -c.count })),
      ),
    );
    expect(await db().select().from(schema.dailyCounts).where(eq(schema.dailyCounts.metric, "online_exit"))).toEqual([]);
    expect(await figures()).toEqual({ agency: { summary: 0, procedure: 0 }, parent: { summary: 0, procedure: 0 } });
    expect(await rebuildRollupsIfMissing(db())).toBe(true);
    expect(await figures()).toEqual(one);
    expect(await verified()).toEqual(clean);
    // Once is enough: the next start-up finds nothing to do.
    expect(await rebuildRollupsIfMissing(db())).toBe(false);
  });

  it("never counts a repeated exit event written around the portal's check: stats:verify names it, the rebuild drops it", async () => {
    const [draft] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, draftId));
    if (!draft) throw new Error("no draft");
    // A second event for the same draft and exit, as a script bypassing recordOnlineExit could write it.
    await recordEvent(db(), {
      type: "online_exit",
      ...ofDossier(draft),
      actorId: citizen.id,
      actorRole: "citizen",
      data: { exit: EXIT, formVersion: form.version },
    });
    const check = await verifyRollups(db());
    expect(check.mismatches).toEqual([
      { key: { metric: "online_exit", day: today, agencyId: procedure.agencyId, procedureId: procedure.id, channel: draft.channel }, expected: 1, actual: 2 },
    ]);
    await rebuildRollups(db());
    expect(await figures()).toEqual(one);
    expect(await verified()).toEqual(clean);
  });
});
