import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db, inTransaction } from "../../app/server/platform/db.server";
import { recordEvent } from "../../app/server/statistics/events.server";
import { countAll, jsonField } from "../../app/server/platform/dialect.server";
import { verifyLogin } from "../../app/server/auth/users.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import * as adminLayout from "../../app/routes/admin";
import * as adminHome from "../../app/routes/admin._index";
import * as adminUsers from "../../app/routes/admin.users";
import * as adminAudit from "../../app/routes/admin.audit";
import * as login from "../../app/routes/login";
import * as officerQueue from "../../app/routes/officer._index";
import { newCitizen, newStaff, signInAs, STAFF_PASSWORD } from "../fixtures/accounts";
import { submitDossier } from "../fixtures/dossiers";
import { formOf, get, post, refusal, run, sectionLinks, type Outcome } from "./helpers";

const agencyId = async (code: string) => {
  const [row] = await db().select({ id: schema.agencies.id }).from(schema.agencies).where(eq(schema.agencies.code, code)).limit(1);
  if (!row) throw new Error(`no agency ${code}`);
  return row.id;
};
const userByEmail = async (email: string) => (await db().select().from(schema.users).where(eq(schema.users.email, email)).limit(1))[0];
/** Events about one account (the data's userId), oldest first. */
const accountEvents = (userId: number) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(eq(jsonField(schema.dossierEvents.data, "userId"), userId))
    .orderBy(schema.dossierEvents.id);
const eventCount = async () => (await db().select({ n: countAll() }).from(schema.dossierEvents))[0]?.n ?? 0;
const userCount = async () => (await db().select({ n: countAll() }).from(schema.users))[0]?.n ?? 0;

// What the tests read from the loaders, parsed rather than cast.
const UsersPageSchema = z.object({
  result: z.object({
    items: z.array(
      z.object({
        id: z.number(),
        email: z.string(),
        role: z.string(),
        agencyVi: z.string(),
        manageable: z.boolean(),
        self: z.boolean(),
        disabledAt: z.string().nullable(),
      }),
    ),
    total: z.number(),
  }),
  createAgencies: z.array(z.object({ code: z.string(), dissolved: z.boolean() })),
  filterAgencies: z.array(z.object({ code: z.string() })),
  roles: z.array(z.string()),
});
const AuditPageSchema = z.object({
  result: z.object({
    items: z.array(
      z.object({
        id: z.number(),
        type: z.string(),
        occurredAt: z.string(),
        actorEmail: z.string().nullable(),
        actorRole: z.string().nullable(),
        receiptCode: z.string().nullable(),
        agencyVi: z.string().nullable(),
        targetEmail: z.string().nullable(),
        details: z.object({ from: z.string().nullable(), to: z.string().nullable(), reason: z.string().nullable(), role: z.string().nullable() }),
      }),
    ),
    total: z.number(),
    page: z.number(),
    pageCount: z.number(),
  }),
  errors: z.record(z.string(), z.string()),
});

function usersPage(outcome: Outcome) {
  expect(outcome.status).toBe(200);
  return UsersPageSchema.parse(outcome.data);
}
const auditPage = (outcome: Outcome) => AuditPageSchema.parse(outcome.data);

const listUsers = async (cookie: string, search = "") => usersPage(await run(adminUsers.loader, get(`/admin/users${search}`, cookie)));
const listAudit = async (cookie: string, params: Record<string, string> = {}) =>
  run(adminAudit.loader, get(`/admin/audit?${new URLSearchParams(params)}`, cookie));
const createAccount = (cookie: string, values: Record<string, string>) =>
  run(
    adminUsers.action,
    post("/admin/users", formOf({ intent: "create", fullName: "Đỗ Thị Hạnh", password: "mot-mat-khau-du-dai", role: "officer", ...values }), cookie),
  );
const setState = (cookie: string, intent: "disable" | "enable", userId: number) =>
  run(adminUsers.action, post("/admin/users", formOf({ intent, userId: String(userId) }), cookie));

let hanoiAdmin: { id: number; cookie: string };
let bacninhAdmin: { id: number; cookie: string };
let systemAdmin: { id: number; cookie: string };

beforeAll(async () => {
  hanoiAdmin = await signInAs("quan.tri.hanoi@example.vn");
  bacninhAdmin = await signInAs("quan.tri.bacninh@example.vn");
  systemAdmin = await signInAs("quan.tri@example.vn");
});

describe("guards of the administration area", () => {
  it("sends someone not signed in to sign-in, coming back to the page", async () => {
    for (const [fn, path] of [
      [adminLayout.loader, "/admin"],
      [adminHome.loader, "/admin"],
      [adminUsers.loader, "/admin/users?q=duc"],
      [adminAudit.loader, "/admin/audit"],
    ] as const) {
      const res = await run(fn, get(path));
      expect(res.status, path).toBe(302);
      expect(res.location).toBe(`/login?${new URLSearchParams({ redirectTo: path })}`);
    }
    const posted = await run(adminUsers.action, post("/admin/users", formOf({ intent: "disable", userId: "1" })));
    expect(posted).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fadmin%2Fusers" });
  });

  it("refuses officers and citizens with 403 on every loader and action", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const citizen = await newCitizen();
    const target = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const before = { users: await userCount(), events: await eventCount() };
    for (const who of [officer, citizen]) {
      expect((await run(adminLayout.loader, get("/admin", who.cookie))).status).toBe(403);
      expect((await run(adminHome.loader, get("/admin", who.cookie))).status).toBe(403);
      expect((await run(adminUsers.loader, get("/admin/users", who.cookie))).status).toBe(403);
      expect((await run(adminAudit.loader, get("/admin/audit", who.cookie))).status).toBe(403);
      expect((await setState(who.cookie, "disable", target.id)).status).toBe(403);
      expect((await createAccount(who.cookie, { email: `x-${who.id}@example.vn`, agency: "ha-noi" })).status).toBe(403);
    }
    expect({ users: await userCount(), events: await eventCount() }).toEqual(before);
    expect((await userByEmail(target.email))?.disabledAt).toBeNull();
  });

  it("lets administrators in, with the sections their role allows", async () => {
    const layout = await run(adminLayout.loader, get("/admin", hanoiAdmin.cookie));
    expect(layout.status).toBe(200);
    // An agency administrator: its own staff, procedures and their forms, audit and statistics — not the outbox.
    expect(sectionLinks(layout.data)).toEqual([
      "/admin/statistics",
      "/admin/users",
      "/admin/procedures",
      "/admin/forms",
      "/admin/audit",
      "/admin/statistics/reported",
      "/admin/tokens",
    ]);
    const system = await run(adminLayout.loader, get("/admin", (await signInAs("quan.tri@example.vn")).cookie));
    expect(sectionLinks(system.data)).toContain("/admin/outbox");
    expect(await run(adminHome.loader, get("/admin", hanoiAdmin.cookie))).toMatchObject({ status: 200, data: { agency: { nameVi: "Hà Nội" } } });
    expect(await run(adminHome.loader, get("/admin", systemAdmin.cookie))).toMatchObject({ status: 200, data: { agency: null } });
  });
});

describe("staff accounts list", () => {
  it("shows a Hà Nội agency administrator only the staff of Hà Nội and the agencies below it", async () => {
    const page = await listUsers(hanoiAdmin.cookie);
    const emails = page.result.items.map((u) => u.email);
    expect(emails).toEqual(expect.arrayContaining(["can.bo.hoankiem@example.vn", "can.bo.congan.hanoi@example.vn", "quan.tri.hanoi@example.vn"]));
    for (const hidden of ["can.bo.kinhbac@example.vn", "quan.tri.bacninh@example.vn", "quan.tri@example.vn", "cong.dan@example.vn"])
      expect(emails).not.toContain(hidden);
    expect(page.result.items.every((u) => u.role === "officer" || u.role === "agency_admin")).toBe(true);
    // Its own row is marked and cannot be disabled from the list.
    expect(page.result.items.find((u) => u.email === "quan.tri.hanoi@example.vn")).toMatchObject({ self: true, manageable: false });
    expect(page.result.items.find((u) => u.email === "can.bo.hoankiem@example.vn")).toMatchObject({
      manageable: true,
      agencyVi: "Ủy ban nhân dân phường Hoàn Kiếm",
    });
    // The create form offers only Hà Nội agencies that still exist, and only the officer role.
    expect(page.createAgencies.length).toBeGreaterThan(3);
    const hanoiCodes = page.createAgencies.map((a) => a.code);
    expect(hanoiCodes.every((c) => c.startsWith("ha-noi"))).toBe(true);
    expect(page.roles).toEqual(["officer"]);
  });

  it("filters by agency subtree and by name or e-mail, ignoring diacritics", async () => {
    const congan = await listUsers(hanoiAdmin.cookie, "?agency=ha-noi-cong-an");
    expect(congan.result.items.map((u) => u.email)).toEqual(["can.bo.congan.hanoi@example.vn"]);
    const byName = await listUsers(hanoiAdmin.cookie, "?q=pham+minh+duc");
    expect(byName.result.items.map((u) => u.email)).toEqual(["can.bo.hoankiem@example.vn"]);
    const byEmail = await listUsers(hanoiAdmin.cookie, "?q=CONGAN");
    expect(byEmail.result.items.map((u) => u.email)).toEqual(["can.bo.congan.hanoi@example.vn"]);
    // Another province's agency in the filter shows nothing, rather than its staff.
    expect((await listUsers(hanoiAdmin.cookie, "?agency=bac-ninh")).result.total).toBe(0);
  });

  it("shows a system administrator every agency's staff and both roles, and never dissolved agencies to create in", async () => {
    const page = await listUsers(systemAdmin.cookie);
    const emails = page.result.items.map((u) => u.email);
    expect(emails).toEqual(
      expect.arrayContaining(["can.bo.hoankiem@example.vn", "can.bo.kinhbac@example.vn", "quan.tri.hanoi@example.vn", "quan.tri.bacninh@example.vn"]),
    );
    expect(emails).not.toContain("quan.tri@example.vn");
    expect(page.roles).toEqual(["officer", "agency_admin"]);
    expect(page.createAgencies.map((a) => a.code)).not.toContain("bac-giang"); // dissolved on 2025-07-01
    expect(page.filterAgencies.map((a) => a.code)).toContain("bac-giang");
    expect(page.createAgencies.every((a) => !a.dissolved)).toBe(true);
  });
});

describe("creating staff accounts", () => {
  it("creates an officer in the administrator's scope with one user_created event and a usable argon2id password", async () => {
    const before = await eventCount();
    const res = await createAccount(hanoiAdmin.cookie, { email: " Hanh.Do@Example.VN ", agency: "ha-noi-so-y-te", password: "mot-mat-khau-du-dai" });
    expect(res).toMatchObject({ status: 302, location: "/admin/users?notice=created" });
    const user = await userByEmail("hanh.do@example.vn");
    expect(user).toMatchObject({ fullName: "Đỗ Thị Hạnh", role: "officer", agencyId: await agencyId("ha-noi-so-y-te"), disabledAt: null });
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await verifyLogin("hanh.do@example.vn", "mot-mat-khau-du-dai"))?.id).toBe(user?.id);
    expect(await eventCount()).toBe(before + 1);
    const events = await accountEvents(user?.id ?? -1);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "user_created",
      agencyId: await agencyId("ha-noi-so-y-te"),
      actorId: hanoiAdmin.id,
      actorRole: "agency_admin",
      data: { userId: user?.id, role: "officer" },
    });
    expect(JSON.stringify(events[0]?.data)).not.toContain("mat-khau");
  });

  it("refuses an officer in another province's agency, writing nothing", async () => {
    const before = { users: await userCount(), events: await eventCount() };
    const res = await createAccount(hanoiAdmin.cookie, { email: "bn.officer@example.vn", agency: "bac-ninh-phuong-kinh-bac" });
    expect(res).toMatchObject({
      status: 400,
      data: { errors: { agency: "admin.errors.agency_invalid" }, values: { email: "bn.officer@example.vn", agency: "bac-ninh-phuong-kinh-bac" } },
    });
    expect(JSON.stringify(res.data)).not.toContain("mot-mat-khau");
    expect({ users: await userCount(), events: await eventCount() }).toEqual(before);
  });

  it("does not let an agency administrator create an agency administrator; a system administrator can", async () => {
    const before = { users: await userCount(), events: await eventCount() };
    const refused = await createAccount(hanoiAdmin.cookie, { email: "new.admin@example.vn", agency: "ha-noi-so-y-te", role: "agency_admin" });
    expect(refused).toMatchObject({ status: 403, data: { errors: { role: "admin.errors.role_not_allowed" } } });
    expect({ users: await userCount(), events: await eventCount() }).toEqual(before);

    const made = await createAccount(systemAdmin.cookie, { email: "new.admin@example.vn", agency: "bac-ninh-so-y-te", role: "agency_admin" });
    expect(made.status).toBe(302);
    const user = await userByEmail("new.admin@example.vn");
    expect(user).toMatchObject({ role: "agency_admin", agencyId: await agencyId("bac-ninh-so-y-te") });
    expect(await accountEvents(user?.id ?? -1)).toEqual([
      expect.objectContaining({
        type: "user_created",
        actorId: systemAdmin.id,
        actorRole: "system_admin",
        agencyId: await agencyId("bac-ninh-so-y-te"),
        data: { userId: user?.id, role: "agency_admin" },
      }),
    ]);
  });

  it("answers bad input with field messages and 400: short password, taken e-mail, dissolved agency, citizen role", async () => {
    const before = { users: await userCount(), events: await eventCount() };
    const short = await createAccount(hanoiAdmin.cookie, { email: "short.pw@example.vn", agency: "ha-noi", password: "11-chars-xx", fullName: "" });
    expect(short).toMatchObject({ status: 400, data: { errors: { password: "admin.errors.password_short", fullName: "admin.errors.name_required" } } });
    const taken = await createAccount(hanoiAdmin.cookie, { email: "cong.dan@example.vn", agency: "ha-noi" });
    expect(taken).toMatchObject({ status: 400, data: { errors: { email: "admin.errors.email_taken" } } });
    const dissolved = await createAccount(systemAdmin.cookie, { email: "bg.officer@example.vn", agency: "bac-giang" });
    expect(dissolved).toMatchObject({ status: 400, data: { errors: { agency: "admin.errors.agency_invalid" } } });
    const citizenRole = await createAccount(systemAdmin.cookie, { email: "c.role@example.vn", agency: "ha-noi", role: "citizen" });
    expect(citizenRole).toMatchObject({ status: 400, data: { errors: { role: "admin.errors.role_required" } } });
    const junk = await run(adminUsers.action, post("/admin/users", formOf({ intent: "explode" }), hanoiAdmin.cookie));
    expect(junk).toMatchObject({ status: 400, data: { errors: { _form: "admin.errors.bad_request" } } });
    expect({ users: await userCount(), events: await eventCount() }).toEqual(before);
  });
});

describe("disabling and re-enabling accounts", () => {
  it("answers 404 for accounts outside the scope and changes nothing", async () => {
    const before = await eventCount();
    const kinhbac = await userByEmail("can.bo.kinhbac@example.vn");
    const citizen = await userByEmail("cong.dan@example.vn");
    const sysadmin = await userByEmail("quan.tri@example.vn");
    for (const target of [kinhbac?.id, citizen?.id, sysadmin?.id, 999_999]) {
      expect((await setState(hanoiAdmin.cookie, "disable", target ?? -1)).status).toBe(404);
    }
    // A system administrator does not manage citizens either.
    expect((await setState(systemAdmin.cookie, "disable", citizen?.id ?? -1)).status).toBe(404);
    expect((await userByEmail("can.bo.kinhbac@example.vn"))?.disabledAt).toBeNull();
    expect(await eventCount()).toBe(before);
  });

  it("does not let an administrator disable itself, nor an agency administrator disable a fellow administrator", async () => {
    const self = await setState(hanoiAdmin.cookie, "disable", hanoiAdmin.id);
    expect(self).toMatchObject({ status: 400, data: { errors: { _form: "admin.errors.cannot_disable_self" } } });
    const fellow = await newStaff("agency_admin", "ha-noi-so-y-te");
    expect(await setState(hanoiAdmin.cookie, "disable", fellow.id)).toMatchObject({ status: 403, data: { errors: { _form: "admin.errors.not_allowed" } } });
    expect((await userByEmail("quan.tri.hanoi@example.vn"))?.disabledAt).toBeNull();
    expect((await userByEmail(fellow.email))?.disabledAt).toBeNull();
    expect(await accountEvents(hanoiAdmin.id)).toHaveLength(0);
  });

  it("ends a disabled officer's sessions and sign-in at once; re-enabling lets them sign in again, not revive old sessions", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem", "Bùi Văn Khoa");
    expect((await run(officerQueue.loader, get("/officer", officer.cookie))).status).toBe(200);

    const disabled = await setState(hanoiAdmin.cookie, "disable", officer.id);
    expect(disabled).toMatchObject({ status: 302, location: "/admin/users?notice=disabled" });
    const afterDisable = await run(officerQueue.loader, get("/officer", officer.cookie));
    expect(afterDisable).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fofficer" });
    const signIn = await run(login.action, post("/login", formOf({ email: officer.email, password: STAFF_PASSWORD })));
    expect(signIn).toMatchObject({ status: 400, data: { errors: { email: "auth.errors.wrong_credentials" } } });
    expect((await userByEmail(officer.email))?.disabledAt).toBeInstanceOf(Date);
    expect((await listUsers(hanoiAdmin.cookie, "?q=bui+van+khoa")).result.items[0]?.disabledAt).toEqual(expect.any(String));

    // Disabling again changes nothing and logs nothing.
    expect((await setState(hanoiAdmin.cookie, "disable", officer.id)).status).toBe(302);

    expect(await setState(hanoiAdmin.cookie, "enable", officer.id)).toMatchObject({ status: 302, location: "/admin/users?notice=enabled" });
    expect((await userByEmail(officer.email))?.disabledAt).toBeNull();
    expect((await run(officerQueue.loader, get("/officer", officer.cookie))).status).toBe(302);
    expect((await verifyLogin(officer.email, STAFF_PASSWORD))?.id).toBe(officer.id);

    const events = await accountEvents(officer.id);
    expect(events.map((e) => e.type)).toEqual(["user_disabled", "user_enabled"]);
    for (const e of events)
      expect(e).toMatchObject({
        actorId: hanoiAdmin.id,
        actorRole: "agency_admin",
        agencyId: await agencyId("ha-noi-phuong-hoan-kiem"),
        data: { userId: officer.id, role: "officer" },
      });
  });

  it("keeps the list's filters across the redirect", async () => {
    const officer = await newStaff("officer", "ha-noi-cong-an");
    const res = await run(
      adminUsers.action,
      post("/admin/users?agency=ha-noi-cong-an&q=th%E1%BB%AD&page=1", formOf({ intent: "disable", userId: String(officer.id) }), hanoiAdmin.cookie),
    );
    expect(res.location).toBe("/admin/users?agency=ha-noi-cong-an&q=th%E1%BB%AD&notice=disabled");
  });

  it("lets a system administrator disable an agency administrator", async () => {
    const admin = await newStaff("agency_admin", "bac-ninh");
    expect((await setState(systemAdmin.cookie, "disable", admin.id)).status).toBe(302);
    expect(await accountEvents(admin.id)).toEqual([
      expect.objectContaining({ type: "user_disabled", actorId: systemAdmin.id, actorRole: "system_admin", data: { userId: admin.id, role: "agency_admin" } }),
    ]);
  });
});

describe("audit trail", () => {
  let hanoi: { receiptCode: string; dossierId: number };
  let bacninh: { receiptCode: string; dossierId: number };
  let officer: Awaited<ReturnType<typeof newStaff>>;
  let citizenEmail: string;

  beforeAll(async () => {
    const citizen = await newCitizen("Hoàng Thị Thu");
    citizenEmail = citizen.email;
    hanoi = await submitDossier(citizen, "1.001193");
    bacninh = await submitDossier(citizen, "1.001022");
    officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem", "Trịnh Văn Long");
    const refused = await applyTransition({
      dossierId: hanoi.dossierId,
      action: "refuse",
      reason: "Thiếu giấy chứng sinh",
      actor: { id: officer.id, role: "officer", agencyPath: `/${await agencyId("ha-noi")}/` },
    });
    expect(refused.ok).toBe(true);
    const hoanKiem = await agencyId("ha-noi-phuong-hoan-kiem");
    // 23:30 on 10 March and 00:30 on 11 March 2024, Vietnam time.
    await recordEvent(db(), {
      type: "personal_data_viewed",
      occurredAt: new Date("2024-03-10T16:30:00Z"),
      agencyId: hoanKiem,
      dossierId: hanoi.dossierId,
      actorId: officer.id,
      actorRole: "officer",
      data: { fields: ["cccd"] },
    });
    await recordEvent(db(), {
      type: "personal_data_viewed",
      occurredAt: new Date("2024-03-10T17:30:00Z"),
      agencyId: hoanKiem,
      dossierId: hanoi.dossierId,
      actorId: officer.id,
      actorRole: "officer",
    });
    // Viewing is audited even without an actor; an anonymous tracking lookup is not something a person is accountable for.
    await recordEvent(db(), { type: "attachment_viewed", occurredAt: new Date("2024-01-05T03:00:00Z"), agencyId: hoanKiem, dossierId: hanoi.dossierId });
    await recordEvent(db(), { type: "tracking_viewed", agencyId: hoanKiem, dossierId: hanoi.dossierId });
  });

  const rows = async (cookie: string, params: Record<string, string> = {}) => {
    const res = await listAudit(cookie, params);
    expect(res.status, JSON.stringify(res.data).slice(0, 300)).toBe(200);
    return auditPage(res).result;
  };

  it("filters by event type and shows the status move and the reason", async () => {
    const page = await rows(hanoiAdmin.cookie, { type: "status_changed" });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      type: "status_changed",
      actorEmail: officer.email,
      actorRole: "officer",
      receiptCode: hanoi.receiptCode,
      agencyVi: "Ủy ban nhân dân phường Hoàn Kiếm",
      details: { from: "submitted", to: "notReceived", reason: "Thiếu giấy chứng sinh" },
    });
  });

  it("filters by the actor's e-mail", async () => {
    const page = await rows(hanoiAdmin.cookie, { actor: officer.email.toUpperCase() });
    expect(page.items.map((e) => e.type).sort()).toEqual(["personal_data_viewed", "personal_data_viewed", "status_changed"]);
    expect(page.items.every((e) => e.actorEmail === officer.email)).toBe(true);
  });

  it("filters by receipt code as people type it, and shows the citizen's own acts", async () => {
    const page = await rows(systemAdmin.cookie, { receipt: ` ${hanoi.receiptCode.toLowerCase()} ` });
    expect(page.items.length).toBeGreaterThan(3);
    expect(page.items.every((e) => e.receiptCode === hanoi.receiptCode)).toBe(true);
    const types = page.items.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(["submitted", "status_changed", "personal_data_viewed", "attachment_viewed"]));
    expect(types).not.toContain("tracking_viewed");
    expect(page.items.find((e) => e.type === "submitted")?.actorEmail).toBe(citizenEmail);
    expect(page.items.find((e) => e.type === "attachment_viewed")).toMatchObject({ actorEmail: null });
  });

  it("filters by Vietnam dates, whole days, both ends included", async () => {
    const day10 = await rows(hanoiAdmin.cookie, { from: "2024-03-10", to: "2024-03-10" });
    expect(day10.items.map((e) => e.occurredAt)).toEqual(["2024-03-10T16:30:00.000Z"]);
    const day11 = await rows(hanoiAdmin.cookie, { from: "2024-03-11", to: "2024-03-11" });
    expect(day11.items.map((e) => e.occurredAt)).toEqual(["2024-03-10T17:30:00.000Z"]);
    const upTo = await rows(hanoiAdmin.cookie, { to: "2024-03-10" });
    expect(upTo.items.map((e) => e.occurredAt)).toEqual(["2024-03-10T16:30:00.000Z", "2024-01-05T03:00:00.000Z"]);
  });

  it("lists newest first and never shows an agency administrator another agency's events", async () => {
    const hanoiPage = await rows(hanoiAdmin.cookie);
    const times = hanoiPage.items.map((e) => e.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(hanoiPage.items.some((e) => e.receiptCode === bacninh.receiptCode)).toBe(false);
    expect((await rows(hanoiAdmin.cookie, { receipt: bacninh.receiptCode })).total).toBe(0);
    const bacninhPage = await rows(bacninhAdmin.cookie, { receipt: bacninh.receiptCode });
    expect(bacninhPage.items.map((e) => e.type)).toContain("submitted");
    expect((await rows(bacninhAdmin.cookie, { receipt: hanoi.receiptCode })).total).toBe(0);
    expect((await rows(systemAdmin.cookie, { receipt: bacninh.receiptCode })).total).toBe(bacninhPage.total);
  });

  it("shows account events with the account acted on, each within its agency's scope", async () => {
    const made = await createAccount(systemAdmin.cookie, { email: "audit.target@example.vn", agency: "bac-ninh-cong-an" });
    expect(made.status).toBe(302);
    const forSystem = await rows(systemAdmin.cookie, { type: "user_created", actor: "quan.tri@example.vn" });
    expect(forSystem.items[0]).toMatchObject({ targetEmail: "audit.target@example.vn", actorRole: "system_admin", details: { role: "officer" } });
    expect((await rows(bacninhAdmin.cookie, { type: "user_created" })).items.map((e) => e.targetEmail)).toContain("audit.target@example.vn");
    expect((await rows(hanoiAdmin.cookie, { type: "user_created" })).items.map((e) => e.targetEmail)).not.toContain("audit.target@example.vn");
  });

  it("pages by 50", async () => {
    const citizen = await userByEmail(citizenEmail);
    const kinhBac = await agencyId("bac-ninh-phuong-kinh-bac");
    await inTransaction(async (tx) => {
      for (let i = 0; i < 55; i++)
        await recordEvent(tx, {
          type: "result_downloaded",
          occurredAt: new Date(Date.UTC(2023, 0, 1, 0, i)),
          agencyId: kinhBac,
          dossierId: bacninh.dossierId,
          actorId: citizen?.id,
          actorRole: "citizen",
        });
    });
    const first = await rows(bacninhAdmin.cookie, { type: "result_downloaded" });
    expect(first).toMatchObject({ total: 55, page: 1, pageCount: 2 });
    expect(first.items).toHaveLength(50);
    const second = await rows(bacninhAdmin.cookie, { type: "result_downloaded", page: "2" });
    expect(second.items.map((e) => e.occurredAt)).toEqual([4, 3, 2, 1, 0].map((m) => new Date(Date.UTC(2023, 0, 1, 0, m)).toISOString()));
  });

  it("answers malformed filters with 400, a message per field and no rows", async () => {
    const bad = await listAudit(hanoiAdmin.cookie, { from: "2025-02-30", receipt: "not-a-code", type: "deleted_everything" });
    expect(bad.status).toBe(400);
    expect(auditPage(bad)).toMatchObject({
      errors: { from: "form.errors.date_not_real", receipt: "admin.errors.receipt_invalid", type: "admin.errors.type_invalid" },
      result: { items: [], total: 0 },
    });
    const reversed = await listAudit(hanoiAdmin.cookie, { from: "2024-03-11", to: "2024-03-10" });
    expect(auditPage(reversed)).toMatchObject({ errors: { to: "admin.errors.range_invalid" } });
  });

  it("reads a log that cannot be changed: UPDATE and DELETE on dossier_events throw", async () => {
    const [any] = await db().select({ id: schema.dossierEvents.id }).from(schema.dossierEvents).limit(1);
    expect(any).toBeDefined();
    const id = any?.id ?? 0;
    expect(await refusal(db().update(schema.dossierEvents).set({ type: "user_enabled" }).where(eq(schema.dossierEvents.id, id)))).toMatch(/append-only/);
    expect(await refusal(db().delete(schema.dossierEvents).where(eq(schema.dossierEvents.id, id)))).toMatch(/append-only/);
    const [after] = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.id, id)).limit(1);
    expect(after?.type).not.toBe("user_enabled");
    expect("action" in adminAudit).toBe(false);
  });
});
