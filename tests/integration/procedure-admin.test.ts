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
  settings: z.object({ level: z.number(), processingDays: z.number(), feeVnd: z.number(), deliveryModes: z.array(z.string()) }),
  hasForm: z.boolean(),
  templateCount: z.number(),
  issues: z.array(z.string()),
  updatedAt: z.number(),
});
const EditPageSchema = z.object({ procedure: ProcedureViewSchema, notice: z.string().nullable() });
const AnswerSchema = z.object({
  errors: z.record(z.string(), z.string()),
  values: z.object({ level: z.string(), feeVnd: z.string(), deliveryModes: z.array(z.string()) }).nullable(),
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
const procedureEvents = async (code: string) => {
  const { id } = await procedure(code);
  return db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.type, "procedure_updated"), eq(schema.dossierEvents.procedureId, id)))
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
type Fields = { level: string; processingDays: string; feeVnd: string; deliveryModes: string[]; updatedAt: string };
/** Posts the edit form: the procedure's current values (as the page shows them) with `changes` on top. */
async function save(cookie: string, code: string, changes: Partial<Fields> = {}, loadedBy = cookie): Promise<Outcome> {
  const current = await editPage(loadedBy, code);
  const fields: Fields = {
    level: String(current.settings.level),
    processingDays: String(current.settings.processingDays),
    feeVnd: String(current.settings.feeVnd),
    deliveryModes: current.settings.deliveryModes,
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
      post("/admin/procedures/1.001193", formOf({ level: "3", processingDays: "1", feeVnd: "0", deliveryModes: "counter", updatedAt: "0" })),
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
          formOf({ level: "1", processingDays: "9", feeVnd: "2000", deliveryModes: "counter", updatedAt: String(updatedAt.getTime()) }),
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
        formOf({ level: "3", processingDays: "9", feeVnd: "15000", deliveryModes: "counter", updatedAt: String(row.updatedAt.getTime()) }),
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
  it("lowers a level-4 procedure to level 3 and changes its time, with one event recording from → to", async () => {
    const code = "1.004873";
    const before = await procedure(code);
    expect(before).toMatchObject({ level: 4, processingDays: 3, feeVnd: 15000, deliveryModes: ["counter", "online", "post"] });
    const levelCount = async (level: number) => (await listProcedures({ level, page: 1 })).total;
    const counts = { 3: await levelCount(3), 4: await levelCount(4) };

    // The electronic result goes with level 4, so lowering the level means giving it up too.
    const res = await save(hanoiAdmin.cookie, code, { level: "3", processingDays: "5", feeVnd: "15.000", deliveryModes: ["counter", "post"] });
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved` });

    const after = await procedure(code);
    expect(after).toMatchObject({ level: 3, processingDays: 5, feeVnd: 15000, deliveryModes: ["counter", "post"] });
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
          level: { from: 4, to: 3 },
          processingDays: { from: 3, to: 5 },
          deliveryModes: { from: ["counter", "online", "post"], to: ["counter", "post"] },
        },
      },
    });
    // The fee was typed differently but is the same sum: not a change.
    expect(events[0]?.data).not.toHaveProperty("changes.feeVnd");

    // The public catalog counts it at its new level; its search entry still finds it, under the new level's filter only.
    expect({ 3: await levelCount(3), 4: await levelCount(4) }).toEqual({ 3: counts[3] + 1, 4: counts[4] - 1 });
    const found = async (level?: number) => (await listProcedures({ q: "tinh trang hon nhan", level, page: 1 })).items.map((p) => p.code);
    expect(await found()).toContain(code);
    expect(await found(3)).toContain(code);
    expect(await found(4)).not.toContain(code);

    // The page shows the new settings and that they were saved.
    const shown = await run(edit.loader, get(`/admin/procedures/${code}?notice=saved`, hanoiAdmin.cookie), { code });
    expect(EditPageSchema.parse(shown.data)).toMatchObject({
      notice: "saved",
      procedure: { settings: { level: 3, processingDays: 5, deliveryModes: ["counter", "post"] }, issues: [], updatedAt: after.updatedAt.getTime() },
    });

    // Saving the same settings again writes nothing and logs nothing.
    const again = await save(hanoiAdmin.cookie, code, { deliveryModes: ["post", "counter"] });
    expect(again).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=unchanged` });
    expect((await procedure(code)).updatedAt).toEqual(after.updatedAt);
    expect(await procedureEvents(code)).toHaveLength(1);
  });

  it("shows the change in the Hà Nội administrator's audit trail", async () => {
    const res = await run(adminAudit.loader, get("/admin/audit?type=procedure_updated", hanoiAdmin.cookie));
    expect(res.status).toBe(200);
    const items = z.object({ result: z.object({ items: z.array(z.object({ type: z.string(), actorRole: z.string().nullable() })) }) }).parse(res.data)
      .result.items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.type === "procedure_updated")).toBe(true);
  });

  it("refuses to raise a procedure without an online form to level 3 (400, nothing written)", async () => {
    const code = "2.001263";
    const row = await procedure(code);
    const page = await editPage(hanoiAdmin.cookie, code);
    expect(page).toMatchObject({ hasForm: false, templateCount: 1, settings: { level: 2 } });
    const before = await eventCount();
    const res = await save(hanoiAdmin.cookie, code, { level: "3", processingDays: "20" });
    expect(res.status).toBe(400);
    expect(answer(res)).toMatchObject({ errors: { level: "proc_admin.errors.level_needs_form" }, values: { level: "3" } });
    expect(await procedure(code)).toEqual(row);
    expect(await eventCount()).toBe(before);
  });

  it("refuses level 2 for a procedure with no template to download", async () => {
    const code = "2.000815";
    const row = await procedure(code);
    const res = await save(hanoiAdmin.cookie, code, { level: "2" });
    expect(res.status).toBe(400);
    expect(answer(res).errors).toEqual({ level: "proc_admin.errors.level_needs_template" });
    expect(await procedure(code)).toEqual(row);
  });

  it("refuses the electronic result ('online' delivery) on a level-3 procedure", async () => {
    const code = "1.000894";
    const row = await procedure(code);
    // The seed obeys the rule (tests/unit/seed-data.test.ts), so the page flags nothing before a save.
    expect((await editPage(hanoiAdmin.cookie, code)).issues).toEqual([]);
    const before = await eventCount();
    const res = await save(hanoiAdmin.cookie, code, { processingDays: "2", deliveryModes: ["counter", "online"] });
    expect(res.status).toBe(400);
    expect(answer(res)).toMatchObject({
      errors: { deliveryModes: "proc_admin.errors.online_needs_level_4" },
      values: { deliveryModes: ["counter", "online"] },
    });
    expect(await procedure(code)).toEqual(row);
    expect(await eventCount()).toBe(before);
  });

  it("answers 400 with field errors and the typed values for malformed input", async () => {
    const code = "2.000720";
    const row = await procedure(code);
    const res = await save(hanoiAdmin.cookie, code, { feeVnd: "12,5", processingDays: "400", level: "7", deliveryModes: [] });
    expect(res.status).toBe(400);
    expect(answer(res)).toMatchObject({
      errors: {
        level: "proc_admin.errors.level_required",
        processingDays: "proc_admin.errors.days_too_many",
        feeVnd: "proc_admin.errors.fee_invalid",
        deliveryModes: "proc_admin.errors.delivery_required",
      },
      values: { level: "7", feeVnd: "12,5" },
    });
    const noVersion = await run(
      edit.action,
      post(`/admin/procedures/${code}`, formOf({ level: "3", processingDays: "3", feeVnd: "0", deliveryModes: "counter" }), hanoiAdmin.cookie),
      { code },
    );
    expect(noVersion.status).toBe(400);
    expect(answer(noVersion).errors).toEqual({ _form: "proc_admin.errors.bad_request" });
    expect(await procedure(code)).toEqual(row);
  });

  it("refuses a save over someone else's (409): the first administrator wins", async () => {
    const code = "3.000333";
    const loadedByBoth = await editPage(hanoiAdmin.cookie, code);
    expect(loadedByBoth.settings).toMatchObject({ level: 4, processingDays: 10, feeVnd: 200000 });
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
    expect(res).toMatchObject({ status: 302, location: `/admin/procedures/${code}?notice=saved` });
    expect((await procedure(code)).feeVnd).toBe(5000);
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
    for (const id of ["level", "level-2", "level-3", "level-4", "processingDays", "feeVnd", "deliveryModes", "deliveryModes-online", "deliveryModes-post"])
      expect(html, id).toContain(`<label for="${id}">`);
    expect(html).toMatch(/<form method="post"[^>]*>/);
    expect(html).toContain(`name="updatedAt" value="${(await procedure(code)).updatedAt.getTime()}"`);
    expect(html).toMatch(/<input id="level-2" type="radio" name="level"[^>]*checked=""/);
    expect(html).not.toMatch(/<input id="deliveryModes-online"[^>]*checked=""/);

    const form = formOf({
      level: "3",
      processingDays: "7",
      feeVnd: "nhiều",
      deliveryModes: "post",
      updatedAt: String((await procedure(code)).updatedAt.getTime()),
    });
    const refused = await renderPage(post(`/admin/procedures/${code}`, form, hanoiAdmin.cookie));
    expect(refused.status).toBe(400);
    expect(refused.html).toContain('class="error-summary"');
    expect(refused.html).toContain('<a href="#feeVnd">Lệ phí phải là số nguyên đồng, ví dụ 1.234.000</a>');
    // What was typed is kept.
    expect(refused.html).toMatch(/<input id="feeVnd" name="feeVnd"[^>]*value="nhiều"/);
    expect(refused.html).toMatch(/<input id="level-3" type="radio" name="level"[^>]*checked=""/);
    expect(refused.html).not.toMatch(/<input id="level-2" type="radio" name="level"[^>]*checked=""/);
  });
});
