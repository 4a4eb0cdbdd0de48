import { and, eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import proceduresJson from "../../db/seed-data/procedures.json";
import { createI18n } from "../../app/i18n";
import { db } from "../../app/server/platform/db.server";
import { countAll } from "../../app/server/platform/dialect.server";
import { translations } from "../../app/server/platform/i18n.server";
import { listProcedures } from "../../app/server/catalog/catalog.server";
import * as adminLayout from "../../app/routes/admin";
import * as adminHome from "../../app/routes/admin._index";
import * as adminAudit from "../../app/routes/admin.audit";
import * as list from "../../app/routes/admin.procedures._index";
import * as edit from "../../app/routes/admin.procedures.$code";
import { newCitizen, newStaff, signInAs } from "../fixtures/accounts";
import { formOf, get, post, run, sectionLinks, type Outcome } from "./helpers";

// What the tests read from the loaders and actions, parsed rather than cast.
const ListPageSchema = z.object({
  result: z.object({
    items: z.array(
      z.object({
        code: z.string(),
        nameVi: z.string(),
        nameEn: z.string().nullable(),
        agencyVi: z.string(),
        agencyEn: z.string().nullable(),
        level: z.number(),
        processingDays: z.number(),
        feeVnd: z.number(),
        deliveryModes: z.array(z.string()),
      }),
    ),
    total: z.number(),
    page: z.number(),
    pageCount: z.number(),
  }),
});
const ProcedureViewSchema = z.object({
  code: z.string(),
  settings: z.object({
    processingDays: z.number(),
    feeVnd: z.number(),
    paymentOnline: z.boolean(),
    deliveryModes: z.array(z.string()),
    inPersonStep: z.string().nullable(),
  }),
  level: z.number(),
  onlineService: z.enum(["full", "partial"]).nullable(),
  missing: z.object({ next: z.object({ level: z.number(), items: z.array(z.string()) }).nullable(), full: z.array(z.string()) }),
  formVersion: z.number().nullable(),
  templateCount: z.number(),
  issues: z.array(z.string()),
  updatedAt: z.number(),
});
const EditPageSchema = z.object({ procedure: ProcedureViewSchema, notice: z.string().nullable() });
const AnswerSchema = z.object({
  errors: z.record(z.string(), z.string()),
  values: z.object({ feeVnd: z.string(), paymentOnline: z.boolean(), deliveryModes: z.array(z.string()), inPersonStep: z.string() }).nullable(),
  current: ProcedureViewSchema.nullable(),
});

const seeded = z.array(z.object({ code: z.string(), agency: z.string() })).parse(proceduresJson);
const procedure = async (code: string) => {
  const [row] = await db().select().from(schema.procedures).where(eq(schema.procedures.code, code)).limit(1);
  if (!row) throw new Error(`no procedure ${code}`);
  return row;
};
const agencyId = async (code: string) =>
  (await db().select({ id: schema.agencies.id }).from(schema.agencies).where(eq(schema.agencies.code, code)).limit(1))[0]?.id;
const procedureEvents = async (code: string, type: "procedure_updated" | "procedure_level_changed" | "form_unpublished" = "procedure_updated") => {
  const { id } = await procedure(code);
  return db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.type, type), eq(schema.dossierEvents.procedureId, id)))
    .orderBy(schema.dossierEvents.id);
};
const eventCount = async () => (await db().select({ n: countAll() }).from(schema.dossierEvents))[0]?.n ?? 0;

const listPage = async (cookie: string, search = "") => {
  const res = await run(list.loader, get(`/admin/procedures${search}`, cookie));
  expect(res.status).toBe(200);
  return ListPageSchema.parse(res.data).result;
};
const editPage = async (cookie: string, code: string) => {
  const res = await run(edit.loader, get(`/admin/procedures/${code}`, cookie), { code });
  expect(res.status).toBe(200);
  return EditPageSchema.parse(res.data).procedure;
};
type Fields = { processingDays: string; feeVnd: string; paymentOnline: string[]; deliveryModes: string[]; inPersonStep: string; updatedAt: string };
/** Posts the edit form: the procedure's current values (as the page shows them) with `changes` on top. */
async function save(cookie: string, code: string, changes: Partial<Fields> = {}, loadedBy = cookie): Promise<Outcome> {
  const current = await editPage(loadedBy, code);
  const fields: Fields = {
    processingDays: String(current.settings.processingDays),
    feeVnd: String(current.settings.feeVnd),
    // A checkbox: sent when ticked only.
    paymentOnline: current.settings.paymentOnline ? ["yes"] : [],
    deliveryModes: current.settings.deliveryModes,
    inPersonStep: current.settings.inPersonStep ?? "",
    updatedAt: String(current.updatedAt),
    ...changes,
  };
  return run(edit.action, post(`/admin/procedures/${code}`, formOf(fields), cookie), { code });
}
const answer = (outcome: Outcome) => AnswerSchema.parse(outcome.data);

let hanoiAdmin: { id: number; cookie: string };
let systemAdmin: { id: number; cookie: string };

beforeAll(async () => {
  hanoiAdmin = await signInAs("quan.tri.hanoi@example.vn");
  systemAdmin = await signInAs("quan.tri@example.vn");
});

describe("procedure list", () => {
  it("shows a Hà Nội agency administrator exactly the procedures of Hà Nội and the agencies below it", async () => {
    const page = await listPage(hanoiAdmin.cookie);
    const expected = seeded.filter((p) => p.agency.startsWith("ha-noi")).map((p) => p.code);
    expect(expected.length).toBeGreaterThan(10);
    expect(page.items.map((p) => p.code).sort()).toEqual([...expected].sort());
    expect(page.total).toBe(expected.length);
    // Sorted by code, with the columns the table shows.
    expect(page.items.map((p) => p.code)).toEqual([...page.items.map((p) => p.code)].sort());
    expect(page.items.find((p) => p.code === "1.001193")).toEqual({
      code: "1.001193",
      nameVi: "Đăng ký khai sinh",
      nameEn: "Birth registration",
      agencyVi: "Ủy ban nhân dân phường Hoàn Kiếm",
      agencyEn: expect.any(String),
      level: 4,
      processingDays: 1,
      feeVnd: 0,
      deliveryModes: ["counter", "online", "post"],
    });
    for (const hidden of ["1.001022", "2.000635", "1.000656", "1.001471"]) expect(page.items.map((p) => p.code)).not.toContain(hidden);
  });

  it("filters by level and by code or name, ignoring diacritics", async () => {
    const level1 = await listPage(hanoiAdmin.cookie, "?level=1");
    expect(level1.items.map((p) => p.code).sort()).toEqual(["1.004884", "2.000815"]);
    const byName = await listPage(hanoiAdmin.cookie, "?q=dang+ky+khai+sinh");
    expect(byName.items.map((p) => p.code)).toEqual(["1.001193", "1.004884"]);
    const byCode = await listPage(hanoiAdmin.cookie, "?q=1.001193");
    expect(byCode.items.map((p) => p.code)).toEqual(["1.001193"]);
    // A name found elsewhere in the country stays out of the scope.
    expect((await listPage(hanoiAdmin.cookie, "?q=khai+tu")).items).toEqual([]);
    // A procedure's field ("Đường bộ" for a driving licence) is not what this search looks at.
    expect((await listPage(hanoiAdmin.cookie, "?q=giay+phep+lai+xe")).items.map((p) => p.code)).toEqual(["1.002809"]);
    expect((await listPage(hanoiAdmin.cookie, "?q=duong+bo")).total).toBe(0);
    // Malformed filters are ignored rather than failing the page.
    expect((await listPage(hanoiAdmin.cookie, "?level=9&page=x")).total).toBe(seeded.filter((p) => p.agency.startsWith("ha-noi")).length);
  });

  it("shows a system administrator every procedure, 50 a page", async () => {
    const page = await listPage(systemAdmin.cookie);
    expect(page.total).toBe(seeded.length);
    expect(page.items.length).toBe(Math.min(50, seeded.length));
    expect(page.pageCount).toBe(Math.ceil(seeded.length / 50));
  });

  it("is linked from the administration area for administrators", async () => {
    expect(sectionLinks((await run(adminLayout.loader, get("/admin", hanoiAdmin.cookie))).data)).toContain("/admin/procedures");
    expect(sectionLinks((await run(adminHome.loader, get("/admin", systemAdmin.cookie))).data)).toContain("/admin/procedures");
  });
});

describe("guards", () => {
  it("sends someone not signed in to sign-in", async () => {
    for (const [fn, path, params] of [
      [list.loader, "/admin/procedures?level=4", {}],
      [edit.loader, "/admin/procedures/1.001193", { code: "1.001193" }],
    ] as const) {
      const res = await run(fn, get(path), params);
      expect(res.status, path).toBe(302);
      expect(res.location).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    }
    const before = await eventCount();
    const posted = await run(
      edit.action,
      post("/admin/procedures/1.001193", formOf({ processingDays: "1", feeVnd: "0", deliveryModes: "counter", updatedAt: "0" })),
      { code: "1.001193" },
    );
    expect(posted).toMatchObject({ status: 302, location: `/login?${new URLSearchParams({ redirectTo: "/admin/procedures/1.001193" })}` });
    expect(await eventCount()).toBe(before);
  });

  it("refuses officers and citizens with 403, writing nothing", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const citizen = await newCitizen();
    const { updatedAt } = await procedure("2.000815");
    const before = await eventCount();
    for (const who of [officer, citizen]) {
      expect((await run(list.loader, get("/admin/procedures", who.cookie))).status).toBe(403);
      expect((await run(edit.loader, get("/admin/procedures/2.000815", who.cookie), { code: "2.000815" })).status).toBe(403);
      const posted = await run(
        edit.action,
        post(
          "/admin/procedures/2.000815",
          formOf({ processingDays: "9", feeVnd: "2000", deliveryModes: "counter", updatedAt: String(updatedAt.getTime()) }),
          who.cookie,
        ),
        { code: "2.000815" },
      );
      expect(posted.status).toBe(403);
    }
    expect(await procedure("2.000815")).toMatchObject({ processingDays: 1, updatedAt });
    expect(await eventCount()).toBe(before);
  });

  it("answers 404 for a Bắc Ninh procedure to a Hà Nội administrator, on GET and POST, writing nothing", async () => {
    const row = await procedure("1.001022");
    const before = await eventCount();
    expect((await run(edit.loader, get("/admin/procedures/1.001022", hanoiAdmin.cookie), { code: "1.001022" })).status).toBe(404);
    const posted = await run(
      edit.action,
      post(
        "/admin/procedures/1.001022",
        formOf({ processingDays: "9", feeVnd: "15000", deliveryModes: "counter", updatedAt: String(row.updatedAt.getTime()) }),
        hanoiAdmin.cookie,
      ),
      { code: "1.001022" },
    );
    expect(posted.status).toBe(404);
    expect(await procedure("1.001022")).toEqual(row);
    expect(await eventCount()).toBe(before);
    // A code that does not exist, or is not a code at all, looks the same.
    expect((await run(edit.loader, get("/admin/procedures/9.999999", hanoiAdmin.cookie), { code: "9.999999" })).status).toBe(404);
    expect((await run(edit.loader, get("/admin/procedures/%27%20or%201", hanoiAdmin.cookie), { code: "' or 1" })).status).toBe(404);
  });
});

describe("editing a procedure", () => {
  it("takes level 4 away when the result can no longer be delivered remotely: one settings event, one level event", async () => {
    const code = "1.004873";
    const before = await procedure(code);
    expect(before).toMatchObject({
      level: 4,
      onlineService: "full",
      processingDays: 3,
      feeVnd: 15000,
      paymentOnline: true,
      deliveryModes: ["counter", "online", "post"],
    });
    const levelCount = async (level: number) => (await listProcedures({ level, page: 1 })).total;
    const counts = { 3: await levelCount(3), 4: await levelCount(4) };

    // The level is not typed: giving up the electronic result and the post leaves nothing level 4 can stand on.
    const res = await save(hanoiAdmin.cookie, code, { processingDays: "5", feeVnd: "15.000", deliveryModes: ["counter"] });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved_level` });

    const after = await procedure(code);
    expect(after).toMatchObject({ level: 3, onlineService: "partial", processingDays: 5, feeVnd: 15000, deliveryModes: ["counter"] });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    const events = await procedureEvents(code);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      procedureId: before.id,
      agencyId: await agencyId("ha-noi-phuong-cau-giay"),
      actorId: hanoiAdmin.id,
      actorRole: "agency_admin",
      dossierId: null,
      data: {
        code,
        changes: {
          processingDays: { from: 3, to: 5 },
          deliveryModes: { from: ["counter", "online", "post"], to: ["counter"] },
        },
      },
    });
    // The fee was typed differently but is the same sum: not a change; and the level is no setting.
    expect(events[0]?.data).not.toHaveProperty("changes.feeVnd");
    expect(events[0]?.data).not.toHaveProperty("changes.level");
    const levelEvents = await procedureEvents(code, "procedure_level_changed");
    expect(levelEvents.map((e) => ({ data: e.data, actorId: e.actorId, occurredAt: e.occurredAt }))).toEqual([
      {
        data: { code, from: 4, to: 3, serviceFrom: "full", serviceTo: "partial", reason: "settings" },
        actorId: hanoiAdmin.id,
        occurredAt: events[0]?.occurredAt,
      },
    ]);

    // The public catalog counts it at its new level; its search entry still finds it, under the new level's filter only.
    expect({ 3: await levelCount(3), 4: await levelCount(4) }).toEqual({ 3: counts[3] + 1, 4: counts[4] - 1 });
    const found = async (level?: number) => (await listProcedures({ q: "tinh trang hon nhan", level, page: 1 })).items.map((p) => p.code);
    expect(await found()).toContain(code);
    expect(await found(3)).toContain(code);
    expect(await found(4)).not.toContain(code);

    // The page shows the new settings, the derived level and what level 4 now lacks.
    const shown = await run(edit.loader, get(`/admin/procedures/${code}?notice=saved_level`, hanoiAdmin.cookie), { code });
    expect(EditPageSchema.parse(shown.data)).toMatchObject({
      notice: "saved_level",
      procedure: {
        level: 3,
        onlineService: "partial",
        missing: { next: { level: 4, items: ["proc_admin.missing.remote_delivery"] }, full: ["proc_admin.missing.remote_delivery"] },
        settings: { processingDays: 5, deliveryModes: ["counter"] },
        issues: [],
        updatedAt: after.updatedAt.getTime(),
      },
    });

    // Saving the same settings again writes nothing and logs nothing.
    const again = await save(hanoiAdmin.cookie, code, { deliveryModes: ["counter"] });
    expect(again).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=unchanged` });
    expect((await procedure(code)).updatedAt).toEqual(after.updatedAt);
    expect(await procedureEvents(code)).toHaveLength(1);

    // Delivery by post brings level 4 back, as a second level event.
    expect(await save(hanoiAdmin.cookie, code, { deliveryModes: ["counter", "post"] })).toMatchObject({ status: 302 });
    expect(await procedure(code)).toMatchObject({ level: 4, onlineService: "full" });
    expect((await procedureEvents(code, "procedure_level_changed")).map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 4, to: 3 }),
      expect.objectContaining({ from: 3, to: 4, serviceFrom: "partial", serviceTo: "full" }),
    ]);
  });

  it("shows the change in the Hà Nội administrator's audit trail", async () => {
    const res = await run(adminAudit.loader, get("/admin/audit?type=procedure_updated", hanoiAdmin.cookie));
    expect(res.status).toBe(200);
    const items = z.object({ result: z.object({ items: z.array(z.object({ type: z.string(), actorRole: z.string().nullable() })) }) }).parse(res.data)
      .result.items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.type === "procedure_updated")).toBe(true);
  });

  it("keeps a procedure without a published form at level 2 whatever its settings, and says what level 3 needs", async () => {
    const code = "2.001263";
    const page = await editPage(hanoiAdmin.cookie, code);
    expect(page).toMatchObject({
      level: 2,
      onlineService: null,
      formVersion: null,
      templateCount: 1,
      missing: { next: { level: 3, items: ["proc_admin.missing.published_form"] } },
    });
    const res = await save(hanoiAdmin.cookie, code, { paymentOnline: ["yes"], deliveryModes: ["counter", "online", "post"] });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved` });
    expect(await procedure(code)).toMatchObject({ level: 2, paymentOnline: true, deliveryModes: ["counter", "online", "post"] });
    expect(await procedureEvents(code, "procedure_level_changed")).toEqual([]);
    expect((await editPage(hanoiAdmin.cookie, code)).missing).toEqual({
      next: { level: 3, items: ["proc_admin.missing.published_form"] },
      full: ["proc_admin.missing.published_form"],
    });
  });

  it("shows a procedure without a template at level 1, with the template as what level 2 needs", async () => {
    const page = await editPage(hanoiAdmin.cookie, "2.000815");
    expect(page).toMatchObject({ level: 1, onlineService: null, missing: { next: { level: 2, items: ["proc_admin.missing.template"] } } });
    expect(page.missing.full).toEqual([
      "proc_admin.missing.template",
      "proc_admin.missing.published_form",
      "proc_admin.missing.payment_online",
      "proc_admin.missing.remote_delivery",
    ]);
  });

  it("makes a level-4 service partial while a step must be done in person, and full once it is gone", async () => {
    const code = "1.000894";
    // The seed says both spouses must come in person (decision 031).
    expect(await editPage(hanoiAdmin.cookie, code)).toMatchObject({ level: 3, onlineService: "partial", issues: [] });
    expect((await procedure(code)).inPersonStep).toMatch(/có mặt/);
    const res = await save(hanoiAdmin.cookie, code, { deliveryModes: ["counter", "online"] });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved_level` });
    expect(await procedure(code)).toMatchObject({ level: 4, onlineService: "partial" });
    expect((await editPage(hanoiAdmin.cookie, code)).missing).toEqual({ next: null, full: ["proc_admin.missing.in_person_step"] });
    await save(hanoiAdmin.cookie, code, { inPersonStep: "  " });
    expect(await procedure(code)).toMatchObject({ level: 4, onlineService: "full", inPersonStep: null });
    expect((await procedureEvents(code, "procedure_level_changed")).map((e) => e.data)).toEqual([
      expect.objectContaining({ from: 3, to: 4, serviceFrom: "partial", serviceTo: "partial", reason: "settings" }),
      expect.objectContaining({ from: 4, to: 4, serviceFrom: "partial", serviceTo: "full", reason: "settings" }),
    ]);
  });

  it("answers 400 with field errors and the typed values for malformed input", async () => {
    const code = "2.000720";
    const row = await procedure(code);
    const res = await save(hanoiAdmin.cookie, code, { feeVnd: "12,5", processingDays: "400", inPersonStep: "x".repeat(201), deliveryModes: [] });
    expect(res.status).toBe(400);
    expect(answer(res)).toMatchObject({
      errors: {
        processingDays: "proc_admin.errors.days_too_many",
        feeVnd: "proc_admin.errors.fee_invalid",
        deliveryModes: "proc_admin.errors.delivery_required",
        inPersonStep: "proc_admin.errors.in_person_too_long",
      },
      values: { feeVnd: "12,5" },
    });
    const noVersion = await run(
      edit.action,
      post(`/admin/procedures/${code}`, formOf({ processingDays: "3", feeVnd: "0", deliveryModes: "counter" }), hanoiAdmin.cookie),
      { code },
    );
    expect(noVersion.status).toBe(400);
    expect(answer(noVersion).errors).toEqual({ _form: "proc_admin.errors.bad_request" });
    expect(await procedure(code)).toEqual(row);
  });

  it("refuses a save over someone else's (409): the first administrator wins", async () => {
    const code = "3.000333";
    const loadedByBoth = await editPage(hanoiAdmin.cookie, code);
    expect(loadedByBoth).toMatchObject({ level: 4, settings: { processingDays: 10, feeVnd: 200000, paymentOnline: true } });
    const stale = String(loadedByBoth.updatedAt);

    const first = await save(hanoiAdmin.cookie, code, { feeVnd: "250.000", updatedAt: stale });
    expect(first).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved` });
    const second = await save(systemAdmin.cookie, code, { processingDays: "12", updatedAt: stale });
    expect(second.status).toBe(409);
    const body = answer(second);
    expect(body.errors).toEqual({ _form: "proc_admin.errors.stale" });
    // The refused administrator is shown the settings as they now are, with the version to save over.
    expect(body.current).toMatchObject({ settings: { processingDays: 10, feeVnd: 250000 }, updatedAt: (await procedure(code)).updatedAt.getTime() });

    expect(await procedure(code)).toMatchObject({ processingDays: 10, feeVnd: 250000 });
    expect((await procedureEvents(code)).map((e) => e.data)).toEqual([{ code, changes: { feeVnd: { from: 200000, to: 250000 } } }]);
  });

  it("lets the system administrator edit a procedure of any agency", async () => {
    const code = "1.000656";
    const bacNinh = "1.001022";
    const res = await save(systemAdmin.cookie, code, { feeVnd: "5000" });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved_level` });
    // A fee that cannot be paid online takes level 4 away from a procedure that was free.
    expect(await procedure(code)).toMatchObject({ feeVnd: 5000, paymentOnline: false, level: 3 });
    expect(await procedureEvents(code)).toEqual([
      expect.objectContaining({
        actorId: systemAdmin.id,
        actorRole: "system_admin",
        agencyId: await agencyId("thanh-pho-ho-chi-minh-phuong-ben-thanh"),
        data: { code, changes: { feeVnd: { from: 0, to: 5000 } } },
      }),
    ]);
    const other = await save(systemAdmin.cookie, bacNinh, { processingDays: "4", deliveryModes: ["counter"] });
    expect(other.status).toBe(302);
    expect(await procedure(bacNinh)).toMatchObject({ processingDays: 4, deliveryModes: ["counter"] });
    expect(await procedureEvents(bacNinh)).toHaveLength(1);
  });
});

describe("unpublishing the form", () => {
  const unpublish = (cookie: string, code: string, fields: Record<string, string>) =>
    run(edit.action, post(`/admin/procedures/${code}`, formOf({ intent: "unpublish", ...fields }), cookie), { code });

  it("needs the box ticked, the version shown, the permission and the scope: otherwise nothing is written", async () => {
    const code = "1.004859";
    const row = await procedure(code);
    expect(row).toMatchObject({ level: 3, formVersion: 1 });
    const before = await eventCount();
    const unconfirmed = await unpublish(hanoiAdmin.cookie, code, { formVersion: "1" });
    expect(unconfirmed.status).toBe(400);
    expect(answer(unconfirmed).errors).toEqual({ confirm: "proc_admin.errors.unpublish_confirm" });
    const stale = await unpublish(hanoiAdmin.cookie, code, { formVersion: "2", confirm: "yes" });
    expect(stale.status).toBe(409);
    expect(answer(stale).errors).toEqual({ _form: "proc_admin.errors.unpublish_stale" });
    expect((await unpublish(hanoiAdmin.cookie, code, { confirm: "yes" })).status).toBe(400);
    const officer = await newStaff("officer", "ha-noi-xa-soc-son");
    expect((await unpublish(officer.cookie, code, { formVersion: "1", confirm: "yes" })).status).toBe(403);
    const bacNinh = await newStaff("agency_admin", "bac-ninh");
    expect((await unpublish(bacNinh.cookie, code, { formVersion: "1", confirm: "yes" })).status).toBe(404);
    expect(await procedure(code)).toEqual(row);
    expect(await eventCount()).toBe(before);
  });

  it("withdraws the form: level 2, one form_unpublished and one procedure_level_changed event, and no second withdrawal", async () => {
    const code = "1.004859";
    const res = await unpublish(hanoiAdmin.cookie, code, { formVersion: "1", confirm: "yes" });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=unpublished` });
    expect(await procedure(code)).toMatchObject({ level: 2, onlineService: null, formVersion: null });
    expect((await procedureEvents(code, "form_unpublished")).map((e) => ({ data: e.data, actorId: e.actorId }))).toEqual([
      { data: { code, version: 1 }, actorId: hanoiAdmin.id },
    ]);
    expect((await procedureEvents(code, "procedure_level_changed")).map((e) => e.data)).toEqual([
      { code, from: 3, to: 2, serviceFrom: "partial", serviceTo: null, reason: "form_unpublished" },
    ]);
    const page = await editPage(hanoiAdmin.cookie, code);
    expect(page).toMatchObject({ level: 2, formVersion: null, missing: { next: { level: 3, items: ["proc_admin.missing.published_form"] } } });
    const again = await unpublish(hanoiAdmin.cookie, code, { formVersion: "1", confirm: "yes" });
    expect(again.status).toBe(409);
    expect(answer(again).errors).toEqual({ _form: "proc_admin.errors.not_published" });
    // The page offers no withdrawal of a form there is not.
    const { html } = await renderPage(get(`/admin/procedures/${code}?notice=unpublished`, hanoiAdmin.cookie));
    expect(html).not.toContain('name="intent" value="unpublish"');
    expect(html).toContain("Đã ngừng công bố biểu mẫu. Mức độ của thủ tục hiện là Mức độ 2.");
  });
});

/** A page as the server renders it (no JavaScript), through a data router like Remix's; a POST runs the action first. */
async function renderPage(request: Request, lang: "vi" | "en" = "vi") {
  const routes = [
    {
      id: "list",
      path: "/admin/procedures",
      loader: ({ request: r }: { request: Request }) => list.loader({ request: r, params: {}, context: {} }),
      Component: list.default,
    },
    {
      id: "edit",
      path: "/admin/procedures/:code",
      loader: ({ request: r, params }: { request: Request; params: Record<string, string | undefined> }) => edit.loader({ request: r, params, context: {} }),
      action: ({ request: r, params }: { request: Request; params: Record<string, string | undefined> }) => edit.action({ request: r, params, context: {} }),
      Component: edit.default,
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(request);
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  const page = createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false });
  return { status: context.statusCode, html: renderToString(createElement(I18nextProvider, { i18n: createI18n(lang, translations[lang]) }, page)) };
}

describe("the pages without JavaScript", () => {
  it("list: a labelled GET filter form, a captioned table, fees in đồng and edit links", async () => {
    const { html } = await renderPage(get("/admin/procedures", hanoiAdmin.cookie));
    for (const id of ["filter-level", "filter-q"]) expect(html).toContain(`<label for="${id}">`);
    expect(html).toMatch(/<form method="get"[^>]*role="search"/);
    expect(html).toContain("<caption>");
    expect(html).toContain('<th scope="col">');
    expect(html).toContain('<th scope="row">Đăng ký việc nuôi con nuôi trong nước</th>');
    expect(html).toContain("<td>400.000\u00a0đ</td>");
    expect(html).toContain('href="/admin/procedures/2.001263"');
    const en = await renderPage(get("/admin/procedures?q=2.001263", hanoiAdmin.cookie), "en");
    expect(en.html).toContain("<td>400,000\u00a0VND</td>");
  });

  it("edit: every input labelled, the version hidden, and refused input summarised with links to its fields", async () => {
    const code = "2.001955";
    const { html } = await renderPage(get(`/admin/procedures/${code}`, hanoiAdmin.cookie));
    for (const id of ["processingDays", "feeVnd", "paymentOnline", "deliveryModes", "deliveryModes-online", "deliveryModes-post", "inPersonStep"])
      expect(html, id).toContain(`<label for="${id}">`);
    expect(html).toMatch(/<form method="post"[^>]*>/);
    expect(html).toContain(`name="updatedAt" value="${(await procedure(code)).updatedAt.getTime()}"`);
    // The level is shown, derived, with what the next one needs; it is not an input.
    expect(html).not.toContain('name="level"');
    expect(html).toContain("Mức độ 2");
    expect(html).toContain("Để đạt mức độ 3, thủ tục còn thiếu:");
    expect(html).toContain("<li>biểu mẫu nộp hồ sơ trực tuyến đã công bố</li>");
    expect(html).not.toMatch(/<input id="deliveryModes-online"[^>]*checked=""/);
    // No published form, so nothing to withdraw.
    expect(html).not.toContain('name="intent" value="unpublish"');

    const form = formOf({
      processingDays: "7",
      feeVnd: "nhiều",
      paymentOnline: "yes",
      deliveryModes: "post",
      updatedAt: String((await procedure(code)).updatedAt.getTime()),
    });
    const refused = await renderPage(post(`/admin/procedures/${code}`, form, hanoiAdmin.cookie));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('class="error-summary"');
    expect(refused.html).toContain('<a href="#feeVnd">Lệ phí phải là số nguyên đồng, ví dụ 1.234.000</a>');
    // What was typed is kept.
    expect(refused.html).toMatch(/<input id="feeVnd" name="feeVnd"[^>]*value="nhiều"/);
    expect(refused.html).toMatch(/<input id="paymentOnline" type="checkbox" name="paymentOnline"[^>]*checked=""/);
  });

  it("edit: a procedure with a published form offers to withdraw it, with a box to confirm", async () => {
    const { html } = await renderPage(get("/admin/procedures/1.012316", hanoiAdmin.cookie), "en");
    expect(html).toContain('name="intent" value="unpublish"');
    expect(html).toContain('<label for="confirm">');
    expect(html).toContain("Published, version 1");
    expect(html).toContain("Partial online service");
  });
});
