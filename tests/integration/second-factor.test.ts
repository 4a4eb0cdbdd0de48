// Staff sign-in's second factor (issue 17, item 7; docs/decisions/033): after the password a staff
// session is half signed in and every guard refuses it; enrolment on first sign-in (QR code and key,
// a code to confirm, ten recovery codes once); codes accepted once; recovery codes once; a limit on
// wrong codes; an administrator's reset within their agencies; citizens unaffected.
import { and, eq } from "drizzle-orm";
import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { timeStep, TOTP_PERIOD_SECONDS } from "../../app/core/auth/second-factor";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { jsonField } from "../../app/server/platform/dialect.server";
import * as adminUsers from "../../app/routes/admin.users";
import * as statisticsApi from "../../app/routes/api.v1.statistics";
import * as login from "../../app/routes/login";
import * as twoFactor from "../../app/routes/login_.two-factor";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import * as officerQueue from "../../app/routes/officer._index";
import { newCitizen, newStaff, STAFF_PASSWORD, type Staff } from "../fixtures/accounts";
import { formOf, get, post, run, type Outcome } from "./helpers";

let address = 0;
/** Each attempt from its own address unless a test is about the limit per account. */
const from = (clientIp = `10.40.${Math.floor(++address / 250)}.${address % 250}`) => ({ clientIp });

/** The password step as the form posts it, and the cookie it set. */
async function passwordStep(email: string, password: string, redirectTo = "/officer") {
  let value: unknown;
  try {
    value = await login.action({ request: post("/login", formOf({ email, password, redirectTo })), params: {}, context: from() });
  } catch (thrown) {
    value = thrown;
  }
  if (!(value instanceof Response)) throw new Error(`the password step answered ${JSON.stringify(value)}`);
  return { outcome: { status: value.status, location: value.headers.get("Location") }, cookie: cookieOf(value) };
}
const cookieOf = (r: Response) => (r.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";

/** Posts to the second step; the answer (a redirect or data) and any cookie it set. */
async function secondStep(cookie: string, values: Record<string, string>, clientIp?: string): Promise<{ outcome: Outcome; cookie: string; headers: Headers }> {
  const request = post("/login/two-factor?redirectTo=%2Fofficer", formOf({ redirectTo: "/officer", ...values }), cookie);
  let value: unknown;
  try {
    value = await twoFactor.action({ request, params: {}, context: from(clientIp) });
  } catch (thrown) {
    value = thrown;
  }
  if (value instanceof Response)
    return { outcome: { status: value.status, location: value.headers.get("Location"), data: null }, cookie: cookieOf(value), headers: value.headers };
  const DataSchema = z.object({
    type: z.literal("DataWithResponseInit"),
    data: z.unknown(),
    init: z.object({ status: z.number().optional(), headers: z.unknown() }).nullable(),
  });
  const parsed = DataSchema.parse(value);
  const headers = new Headers(z.record(z.string(), z.string()).optional().parse(parsed.init?.headers) ?? {});
  return { outcome: { status: parsed.init?.status ?? 200, location: null, data: parsed.data }, cookie: cookieOf(new Response(null, { headers })), headers };
}

const EnrolPageSchema = z.object({ mode: z.literal("enrol"), enrolment: z.object({ qr: z.string(), key: z.string() }) });
const CodesSchema = z.object({ recoveryCodes: z.array(z.string()), continueTo: z.string() });

const factorOf = async (userId: number) => (await db().select().from(schema.staffSecondFactors).where(eq(schema.staffSecondFactors.userId, userId)))[0];
const eventsOf = (userId: number, type: string) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.type, type), eq(jsonField(schema.dossierEvents.data, "userId"), userId)));
const codeAt = (secret: string, step: number) => generate({ secret, epoch: step * TOTP_PERIOD_SECONDS });

/** A fresh officer signs in for the first time and enrols: the secret (from the page's key), the recovery codes and the full session's cookie. */
async function enrolled(staff?: Staff) {
  const officer = staff ?? (await newStaff("officer", "ha-noi-phuong-hoan-kiem"));
  const { cookie: pending } = await passwordStep(officer.email, STAFF_PASSWORD);
  const page = EnrolPageSchema.parse((await run(twoFactor.loader, get("/login/two-factor?redirectTo=%2Fofficer", pending))).data);
  const secret = page.enrolment.key.replace(/ /g, "");
  const step = timeStep(new Date());
  const done = await secondStep(pending, { intent: "enrol", code: await codeAt(secret, step) });
  return { officer, secret, step, pending, cookie: done.cookie, codes: CodesSchema.parse(done.outcome.data).recoveryCodes };
}

describe("staff sign-in's second step", () => {
  it("leaves a staff member half signed in after the password: officer pages and actions send them to the second step, the API answers 401", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const { outcome, cookie } = await passwordStep(officer.email, STAFF_PASSWORD);
    expect(outcome).toMatchObject({ status: 302, location: "/login/two-factor?redirectTo=%2Fofficer" });
    // The fixture's own session aside, one more: the half one.
    const [session] = await db()
      .select()
      .from(schema.sessions)
      .where(and(eq(schema.sessions.userId, officer.id), eq(schema.sessions.pendingSecondFactor, true)));
    expect(session).toBeDefined();
    // Short-lived: 15 minutes, not the 8 hours of a signed-in session.
    expect((session?.expiresAt.getTime() ?? 0) - Date.now()).toBeLessThanOrEqual(15 * 60_000);

    expect(await run(officerQueue.loader, get("/officer?q=x", cookie))).toMatchObject({
      status: 302,
      location: "/login/two-factor?redirectTo=%2Fofficer%3Fq%3Dx",
    });
    const act = await run(officerDossier.action, post("/officer/dossiers/H01.22-250101-0001", formOf({ action: "receive" }), cookie), {
      receiptCode: "H01.22-250101-0001",
    });
    expect(act).toMatchObject({ status: 302, location: "/login/two-factor?redirectTo=%2Fofficer%2Fdossiers%2FH01.22-250101-0001" });
    const admin = await newStaff("agency_admin", "ha-noi");
    const { cookie: adminPending } = await passwordStep(admin.email, STAFF_PASSWORD, "/admin");
    expect(await run(adminUsers.loader, get("/admin/users", adminPending))).toMatchObject({
      status: 302,
      location: "/login/two-factor?redirectTo=%2Fadmin%2Fusers",
    });
    expect(await run(adminUsers.action, post("/admin/users", formOf({ intent: "disable", userId: String(officer.id) }), adminPending))).toMatchObject({
      status: 302,
      location: "/login/two-factor?redirectTo=%2Fadmin%2Fusers",
    });
    expect(await run(statisticsApi.loader, get("/api/v1/statistics", adminPending))).toMatchObject({ status: 401, data: { error: "unauthorized" } });
    // Nothing was done on its behalf.
    expect((await db().select().from(schema.users).where(eq(schema.users.id, officer.id)))[0]?.disabledAt).toBeNull();
  });

  it("signs a citizen straight in, without a second step", async () => {
    const citizen = await newCitizen();
    const { outcome } = await passwordStep(citizen.email, "mat-khau-rat-dai-123", "/applications");
    expect(outcome).toMatchObject({ status: 302, location: "/applications" });
  });

  it("enrols on first sign-in: a QR code and key, a wrong code refused, the right one gives ten recovery codes once and a full session", async () => {
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const { cookie: pending } = await passwordStep(officer.email, STAFF_PASSWORD);
    const page = EnrolPageSchema.parse((await run(twoFactor.loader, get("/login/two-factor?redirectTo=%2Fofficer", pending))).data);
    expect(page.enrolment.qr).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(page.enrolment.key).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4}){7}$/);
    const secret = page.enrolment.key.replace(/ /g, "");
    // The secret is encrypted at rest and not yet confirmed.
    const stored = await factorOf(officer.id);
    expect(stored).toMatchObject({ confirmedAt: null });
    expect(stored?.secret).not.toContain(secret);
    // A reload shows the same secret (the app may already hold it).
    expect(EnrolPageSchema.parse((await run(twoFactor.loader, get("/login/two-factor", pending))).data).enrolment.key).toBe(page.enrolment.key);

    const step = timeStep(new Date());
    const wrongCode = String((Number(await codeAt(secret, step)) + 1) % 1_000_000).padStart(6, "0");
    const wrong = await secondStep(pending, { intent: "enrol", code: wrongCode });
    expect(wrong.outcome).toMatchObject({ status: 400, data: { errors: { code: "two_factor.errors.code_wrong" } } });
    expect(wrong.cookie).toBe("");
    expect(await eventsOf(officer.id, "second_factor_failed")).toHaveLength(1);
    expect((await secondStep(pending, { intent: "enrol", code: "12a" })).outcome).toMatchObject({
      status: 400,
      data: { errors: { code: "two_factor.errors.code_invalid" } },
    });

    const done = await secondStep(pending, { intent: "enrol", code: await codeAt(secret, step) });
    expect(done.outcome.status).toBe(200);
    expect(done.headers.get("Cache-Control")).toBe("no-store");
    const { recoveryCodes, continueTo } = CodesSchema.parse(done.outcome.data);
    expect(continueTo).toBe("/officer");
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const hashes = await db().select().from(schema.recoveryCodes).where(eq(schema.recoveryCodes.userId, officer.id));
    expect(hashes).toHaveLength(10);
    for (const h of hashes) expect(h.codeHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(hashes)).not.toContain(recoveryCodes[0]?.replace("-", ""));
    expect(await factorOf(officer.id)).toMatchObject({ lastUsedStep: step });
    expect((await factorOf(officer.id))?.confirmedAt).toBeInstanceOf(Date);
    expect(await eventsOf(officer.id, "second_factor_enrolled")).toHaveLength(1);

    // The new session works; the half one is gone (the id was rotated).
    expect((await run(officerQueue.loader, get("/officer", done.cookie))).status).toBe(200);
    expect(done.cookie).not.toBe(pending);
    expect(await run(officerQueue.loader, get("/officer", pending))).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fofficer" });
    // Posting the enrolment again (a refresh) shows no codes: the member is signed in.
    expect((await secondStep(done.cookie, { intent: "enrol", code: await codeAt(secret, step) })).outcome).toMatchObject({ status: 302, location: "/officer" });
  });

  it("asks an enrolled member for a code: the one already used (replay) is refused, a fresh one signs in, each once", async () => {
    const { officer, secret, step } = await enrolled();
    const { cookie: pending } = await passwordStep(officer.email, STAFF_PASSWORD);
    expect((await run(twoFactor.loader, get("/login/two-factor", pending))).data).toMatchObject({ mode: "verify", enrolment: null });
    const replayed = await secondStep(pending, { intent: "verify", code: await codeAt(secret, step) });
    expect(replayed.outcome).toMatchObject({ status: 400, data: { errors: { code: "two_factor.errors.code_used" } } });
    expect(await eventsOf(officer.id, "second_factor_failed")).toMatchObject([{ data: { reason: "replayed_code" } }]);
    // The next step's code (the server accepts one step either side).
    const next = await codeAt(secret, step + 1);
    const ok = await secondStep(pending, { intent: "verify", code: next.slice(0, 3) + " " + next.slice(3) });
    expect(ok.outcome).toMatchObject({ status: 302, location: "/officer" });
    expect((await run(officerQueue.loader, get("/officer", ok.cookie))).status).toBe(200);
    // The same code again, on another sign-in: refused.
    const { cookie: again } = await passwordStep(officer.email, STAFF_PASSWORD);
    expect((await secondStep(again, { intent: "verify", code: next })).outcome).toMatchObject({
      status: 400,
      data: { errors: { code: "two_factor.errors.code_used" } },
    });
    // A code two steps ahead is outside the window.
    expect((await secondStep(again, { intent: "verify", code: await codeAt(secret, step + 3) })).outcome).toMatchObject({
      status: 400,
      data: { errors: { code: "two_factor.errors.code_wrong" } },
    });
  });

  it("takes a recovery code once, however it is typed", async () => {
    const { officer, codes } = await enrolled();
    const code = codes[3] ?? "";
    const { cookie: pending } = await passwordStep(officer.email, STAFF_PASSWORD);
    const used = await secondStep(pending, { intent: "recover", recoveryCode: ` ${code.toUpperCase()} ` });
    expect(used.outcome).toMatchObject({ status: 302, location: "/officer" });
    expect((await run(officerQueue.loader, get("/officer", used.cookie))).status).toBe(200);
    expect(await eventsOf(officer.id, "recovery_code_used")).toMatchObject([{ data: { remaining: 9 } }]);
    const { cookie: again } = await passwordStep(officer.email, STAFF_PASSWORD);
    expect((await secondStep(again, { intent: "recover", recoveryCode: code })).outcome).toMatchObject({
      status: 400,
      data: { errors: { recoveryCode: "two_factor.errors.recovery_wrong" } },
    });
    expect((await secondStep(again, { intent: "recover", recoveryCode: "abc" })).outcome).toMatchObject({
      status: 400,
      data: { errors: { recoveryCode: "two_factor.errors.recovery_invalid" } },
    });
    // Another of the codes still works.
    expect((await secondStep(again, { intent: "recover", recoveryCode: codes[4] ?? "" })).outcome).toMatchObject({ status: 302, location: "/officer" });
  });

  it("refuses a sixth wrong code in 15 minutes, even from new addresses and with the right code (429)", async () => {
    const { officer, secret } = await enrolled();
    const { cookie: pending } = await passwordStep(officer.email, STAFF_PASSWORD);
    for (let i = 0; i < 5; i += 1) expect((await secondStep(pending, { intent: "verify", code: "000000" })).outcome.status).toBe(400);
    const refused = await secondStep(pending, { intent: "verify", code: await codeAt(secret, timeStep(new Date()) + 1) });
    expect(refused.outcome).toMatchObject({ status: 429, data: { errors: { code: "two_factor.errors.too_many_attempts" } } });
    expect(refused.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(refused.cookie).toBe("");
  });

  it("lets an administrator reset a member's second factor within their agencies: the member's sessions end and they enrol again", async () => {
    const { officer, cookie } = await enrolled();
    const outsider = await newStaff("agency_admin", "bac-ninh");
    const reset = (admin: Staff, userId = officer.id) =>
      run(adminUsers.action, post("/admin/users", formOf({ intent: "reset-second-factor", userId: String(userId) }), admin.cookie));
    // Another province's administrator: not found, nothing changed.
    expect((await reset(outsider)).status).toBe(404);
    expect(await factorOf(officer.id)).toBeDefined();
    const admin = await newStaff("agency_admin", "ha-noi");
    expect((await reset(admin, admin.id)).status).toBe(400);
    expect(await reset(admin)).toMatchObject({ status: 302, location: "/admin/users?notice=second_factor_reset" });
    expect(await factorOf(officer.id)).toBeUndefined();
    expect(await db().select().from(schema.recoveryCodes).where(eq(schema.recoveryCodes.userId, officer.id))).toEqual([]);
    expect(await run(officerQueue.loader, get("/officer", cookie))).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fofficer" });
    expect(await eventsOf(officer.id, "second_factor_reset")).toMatchObject([{ actorId: admin.id, data: { userId: officer.id, role: "officer" } }]);
    // The next sign-in enrols again, with a new secret.
    const again = await enrolled(officer);
    expect(again.codes).toHaveLength(10);
    expect(await eventsOf(officer.id, "second_factor_enrolled")).toHaveLength(2);
  });

  it("asks for the password again without a half session, and sends a signed-in member on", async () => {
    expect(await run(twoFactor.loader, get("/login/two-factor?redirectTo=%2Fofficer"))).toMatchObject({ status: 200, data: { mode: "signed_out" } });
    expect((await secondStep("", { intent: "verify", code: "123456" })).outcome).toMatchObject({ status: 302, location: "/login?redirectTo=%2Fofficer" });
    const { cookie } = await enrolled();
    expect(await run(twoFactor.loader, get("/login/two-factor?redirectTo=%2F%2Fevil.example", cookie))).toMatchObject({ status: 302, location: "/officer" });
  });
});
