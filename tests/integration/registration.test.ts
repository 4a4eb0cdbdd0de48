// Registration (issue 11, problem 5): the same answer for a new and a taken e-mail, the account
// confirmed through a link e-mailed via the outbox, easy passwords refused, a limit per address.
import argon2 from "argon2";
import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import * as confirm from "../../app/routes/account.confirm";
import * as login from "../../app/routes/login";
import * as register from "../../app/routes/register";
import { formOf, get, post, run } from "./helpers";

let address = 0;
/** Each registration from its own address, unless a test is about the per-address limit. */
const registerAs = (email: string, password = "mat-khau-rat-dai-2026", clientIp = `10.20.${Math.floor(++address / 250)}.${address % 250}`) =>
  run(
    (args) => register.action({ ...args, context: { clientIp } }),
    post("/register", formOf({ fullName: "Nguyễn Văn Mới", email, phone: "0912 345 678", password, confirm: password })),
  );

const signIn = (email: string, password: string) =>
  run((args) => login.action({ ...args, context: { clientIp: `10.30.0.${++address % 250}` } }), post("/login", formOf({ email, password, redirectTo: "/" })));

const mailsTo = (recipient: string) =>
  db().select().from(schema.notifications).where(eq(schema.notifications.recipient, recipient)).orderBy(desc(schema.notifications.id));
const userByEmail = async (email: string) => (await db().select().from(schema.users).where(eq(schema.users.email, email)).limit(1))[0];

/** The link in the newest confirmation e-mail to this address. */
async function confirmationLink(email: string): Promise<URL> {
  const mail = (await mailsTo(email)).find((m) => m.template === "account_confirm");
  const url = mail?.body.match(/https?:\/\/\S+\/account\/confirm\?token=\S+/)?.[0];
  if (!url) throw new Error(`no confirmation link for ${email}`);
  return new URL(url);
}

describe("registration", () => {
  it("answers a new, a citizen's and a staff member's e-mail alike, after the same argon2 work", async () => {
    const hash = vi.spyOn(argon2, "hash");
    const fresh = `moi.${Date.now()}@example.vn`;
    const answers = { fresh: await registerAs(fresh), citizen: await registerAs("cong.dan@example.vn"), staff: await registerAs("quan.tri@example.vn") };
    expect(hash).toHaveBeenCalledTimes(3);
    hash.mockRestore();
    const blank = (a: typeof answers.fresh) => JSON.stringify(a).replace(/"email":"[^"]*"/g, '"email":"…"');
    expect(answers.fresh).toMatchObject({ status: 200, location: null, data: { errors: {}, sent: { email: fresh, hours: 24 } } });
    expect(blank(answers.citizen)).toBe(blank(answers.fresh));
    expect(blank(answers.staff)).toBe(blank(answers.fresh));
    // The taken addresses' owners are told; their accounts and passwords are untouched.
    expect((await mailsTo("cong.dan@example.vn"))[0]).toMatchObject({ kind: "email", template: "account_exists", status: "pending", dossierId: null });
    expect((await mailsTo("quan.tri@example.vn"))[0]).toMatchObject({ template: "account_exists" });
    expect(await userByEmail("cong.dan@example.vn")).toMatchObject({ fullName: "Nguyễn Văn An", emailUnconfirmedSince: null });
    expect((await signIn("cong.dan@example.vn", "CongDan@2026")).status).toBe(302);
  }, 60_000);

  it("confirms the account through the e-mailed link; until then it cannot sign in", async () => {
    const email = `xac.nhan.${Date.now()}@example.vn`;
    expect((await registerAs(email)).status).toBe(200);
    expect(await userByEmail(email)).toMatchObject({ role: "citizen", emailUnconfirmedSince: expect.any(Date), phone: "0912345678", phoneConfirmedAt: null });
    expect(await signIn(email, "mat-khau-rat-dai-2026")).toMatchObject({ status: 400, data: { errors: { email: "accounts.errors.unconfirmed" } } });

    const link = await confirmationLink(email);
    const token = link.searchParams.get("token") ?? "";
    // Opening the link (or a mail scanner fetching it) confirms nothing: only the button does.
    expect(await run(confirm.loader, get(`${link.pathname}${link.search}`))).toMatchObject({ status: 200, data: { token } });
    expect((await userByEmail(email))?.emailUnconfirmedSince).not.toBeNull();
    const confirmed = await run(confirm.action, post("/account/confirm", formOf({ token })));
    expect(confirmed).toMatchObject({ status: 302, location: "/account?confirmed=1" });
    expect((await userByEmail(email))?.emailUnconfirmedSince).toBeNull();
    // Used once.
    expect(await run(confirm.action, post("/account/confirm", formOf({ token })))).toMatchObject({
      status: 400,
      data: { error: "accounts.confirm_failed_body" },
    });
    expect(await run(confirm.action, post("/account/confirm", formOf({ token: "x".repeat(43) })))).toMatchObject({ status: 400 });
    const signedIn = await signIn(email, "mat-khau-rat-dai-2026");
    expect(signedIn.status).toBe(302);
    const account = await userByEmail(email);
    const events = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.type, "account_confirmed"), eq(schema.dossierEvents.actorId, account?.id ?? -1)));
    expect(events).toHaveLength(1);
  }, 60_000);

  it("a new registration of an unconfirmed address replaces its details and stops the earlier link", async () => {
    const email = `lan.dau.${Date.now()}@example.vn`;
    await registerAs(email, "mot-mat-khau-cua-ke-gian");
    const early = (await confirmationLink(email)).searchParams.get("token") ?? "";
    await registerAs(email, "mat-khau-cua-chu-that-2026");
    const late = (await confirmationLink(email)).searchParams.get("token") ?? "";
    expect(late).not.toBe(early);
    expect(await run(confirm.action, post("/account/confirm", formOf({ token: early })))).toMatchObject({ status: 400 });
    expect((await run(confirm.action, post("/account/confirm", formOf({ token: late })))).status).toBe(302);
    expect((await signIn(email, "mot-mat-khau-cua-ke-gian")).status).toBe(400);
    expect((await signIn(email, "mat-khau-cua-chu-that-2026")).status).toBe(302);
  }, 60_000);

  it("keeps the link's secret only as a keyed hash", async () => {
    const email = `bam.${Date.now()}@example.vn`;
    await registerAs(email);
    const token = (await confirmationLink(email)).searchParams.get("token") ?? "";
    const rows = await db().select().from(schema.contactChallenges).where(eq(schema.contactChallenges.target, email));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it.each([
    ["aaaaaaaaaa", "accounts.errors.password_repetitive"],
    ["1234567890", "accounts.errors.password_common"],
    ["abcdefghijkl", "accounts.errors.password_sequential"],
    ["password123", "accounts.errors.password_common"],
  ])("refuses the easy password %s with a message", async (password, message) => {
    const email = `de.doan.${Date.now()}@example.vn`;
    expect(await registerAs(email, password)).toMatchObject({ status: 400, data: { errors: { password: message } } });
    expect(await userByEmail(email)).toBeUndefined();
  });

  it("limits registrations per address (each costs a 64 MiB hash and an e-mail)", async () => {
    for (let i = 0; i < 10; i += 1) expect((await registerAs(`gioi.han.${i}.${Date.now()}@example.vn`, undefined, "10.99.0.1")).status).toBe(200);
    expect(await registerAs(`gioi.han.x.${Date.now()}@example.vn`, undefined, "10.99.0.1")).toMatchObject({
      status: 429,
      data: { errors: { email: "accounts.errors.register_limited" } },
    });
    expect((await registerAs(`gioi.han.y.${Date.now()}@example.vn`, undefined, "10.99.0.2")).status).toBe(200);
  }, 120_000);

  it("mails one address at most three times an hour, however often it is registered", async () => {
    for (let i = 0; i < 5; i += 1) expect((await registerAs("tran.thi.binh@example.vn")).status).toBe(200);
    expect((await mailsTo("tran.thi.binh@example.vn")).filter((m) => m.template === "account_exists")).toHaveLength(3);
  }, 60_000);
});
