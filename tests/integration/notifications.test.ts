import { and, asc, eq, inArray } from "drizzle-orm";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { signParams, toVnpAmount } from "../../app/core/payments/vnpay";
import { db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { languageCookie } from "../../app/server/platform/i18n.server";
import {
  deliverPendingNotifications,
  fileSender,
  MAX_ATTEMPTS,
  sinkSender,
  type NotificationSender,
  type OutgoingMessage,
} from "../../app/server/notifications/notifications.server";
import { handleIpn, startPayment } from "../../app/server/payments/payments.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import * as outbox from "../../app/routes/admin.outbox";
import * as account from "../../app/routes/account._index";
import { newCitizen, type Citizen, signInAs } from "../fixtures/accounts";
import { submitDossier, dossierRow, officerFor } from "../fixtures/dossiers";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";

const CODE = "1.001193"; // Đăng ký khai sinh: level 4, free
const PAID_CODE = "3.000333"; // Cấp phiếu lý lịch tư pháp: level 4, fee 200.000 đ

const notificationsOf = (dossierId: number) =>
  db().select().from(schema.notifications).where(eq(schema.notifications.dossierId, dossierId)).orderBy(schema.notifications.id);
const eventsOf = (dossierId: number, type: string) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, type)))
    .orderBy(asc(schema.dossierEvents.id));
/** The workflow's actor: the seeded officer of Hoàn Kiếm, where this file's dossiers go. */
const SEEDED_OFFICER = "can.bo.hoankiem@example.vn";

async function submitted(citizen?: Citizen, code = CODE) {
  const who = citizen ?? (await newCitizen("Phạm Thị Hoa"));
  const { dossierId, receiptCode } = await submitDossier(who, code);
  return { citizen: who, dossierId, receiptCode };
}

/** Sends everything queued so far, so a test that counts outcomes starts from an empty queue. */
async function drain() {
  await deliverPendingNotifications({ sender: sinkSender, limit: 10_000 });
}

describe("queueing notifications", () => {
  it("queues exactly one e-mail and one SMS on submission, in the dossier's language, with the receipt code", async () => {
    const { citizen, dossierId, receiptCode } = await submitted();
    const dossier = await dossierRow(dossierId);
    const rows = await notificationsOf(dossierId);
    expect(rows.map((r) => [r.kind, r.template, r.language, r.status, r.attempts])).toEqual([
      ["email", "submitted", "vi", "pending", 0],
      ["sms", "submitted", "vi", "pending", 0],
    ]);
    const [email, sms] = rows;
    // The account's confirmed e-mail, not the one written on the form (issue 11, problem 6).
    expect(dossier.applicantEmail).toBe("hoa@example.vn");
    expect(email?.recipient).toBe(citizen.email);
    expect(email?.subject).toBe(`Đã nhận hồ sơ trực tuyến ${receiptCode}`);
    expect(email?.body).toContain(`Mã hồ sơ: ${receiptCode}`);
    expect(email?.body).toContain(`/applications/${receiptCode}`);
    expect(sms?.recipient).toBe("0903123456"); // the account's confirmed phone
    expect(sms?.subject).toBeNull();
    expect(sms?.body).toContain(receiptCode);
    expect(sms?.body).toMatch(/^[\x20-\x7e]+$/); // plain ASCII: no diacritics
  });

  it("queues the template of the officer's move, with the reason; a move the citizen need not hear of queues nothing", async () => {
    const { dossierId, receiptCode } = await submitted();
    const officer = await officerFor(dossierId, SEEDED_OFFICER);
    expect((await applyTransition({ dossierId, action: "receive", actor: officer })).ok).toBe(true);
    const received = (await notificationsOf(dossierId)).filter((r) => r.template === "received");
    expect(received.map((r) => r.kind)).toEqual(["email", "sms"]);
    expect(received[0]?.subject).toBe(`Hồ sơ ${receiptCode} đã được tiếp nhận`);
    expect(received[0]?.body).toContain(`Ngày hẹn trả kết quả: ${(await dossierRow(dossierId)).dueOn?.split("-").reverse().join("/")}`);

    expect((await applyTransition({ dossierId, action: "startProcessing", actor: officer })).ok).toBe(true);
    expect(await notificationsOf(dossierId)).toHaveLength(4); // submitted ×2, received ×2: processing is not told

    expect((await applyTransition({ dossierId, action: "stop", actor: officer, reason: "Người nộp đã có giấy khai sinh." })).ok).toBe(true);
    const stopped = (await notificationsOf(dossierId)).filter((r) => r.template === "stopped");
    expect(stopped).toHaveLength(2);
    expect(stopped.find((r) => r.kind === "email")?.body).toContain("Lý do: Người nộp đã có giấy khai sinh\n");
    expect(stopped.find((r) => r.kind === "sms")?.body).toContain("Ly do: Nguoi nop da co giay khai sinh.");
  });

  it("queues nothing for a move that is rolled back or refused", async () => {
    const { dossierId } = await submitted();
    const officer = await officerFor(dossierId, SEEDED_OFFICER);
    const before = (await notificationsOf(dossierId)).length;
    await expect(
      applyTransition({
        dossierId,
        action: "receive",
        actor: officer,
        extra: () => {
          throw new Error("the result could not be stored");
        },
      }),
    ).rejects.toThrow("the result could not be stored");
    expect((await dossierRow(dossierId)).status).toBe(STATUS.submitted);
    expect(await applyTransition({ dossierId, action: "receive", actor: officer, expectedVersion: 99 })).toEqual({ ok: false, error: "conflict" });
    expect(await applyTransition({ dossierId, action: "refuse", actor: officer })).toEqual({ ok: false, error: "reason_required" });
    expect(await notificationsOf(dossierId)).toHaveLength(before);
  });

  it("tells the citizen when a requested payment is confirmed", async () => {
    const { citizen, dossierId } = await submitted(undefined, PAID_CODE);
    const officer = await officerFor(dossierId, SEEDED_OFFICER);
    expect((await applyTransition({ dossierId, action: "receive", actor: officer })).ok).toBe(true);
    expect((await applyTransition({ dossierId, action: "requestPayment", actor: officer })).ok).toBe(true);
    const started = await startPayment({
      dossierId,
      applicantId: citizen.id,
      ipAddr: "127.0.0.1",
      locale: "vi",
      returnUrl: "http://localhost/payments/return",
    });
    if (started.kind !== "redirect") throw new Error(`not payable: ${started.kind}`);
    const params = {
      vnp_Amount: toVnpAmount(200_000),
      vnp_BankCode: "NCB",
      vnp_PayDate: "20261122103000",
      vnp_ResponseCode: "00",
      vnp_TmnCode: env().PAYMENT_TMN_CODE,
      vnp_TransactionNo: "14000099",
      vnp_TransactionStatus: "00",
      vnp_TxnRef: started.txnRef,
    };
    expect((await handleIpn(new URLSearchParams({ ...params, vnp_SecureHash: signParams(params, env().PAYMENT_HASH_SECRET) }))).RspCode).toBe("00");
    expect((await dossierRow(dossierId)).status).toBe(STATUS.processing);
    expect((await notificationsOf(dossierId)).map((r) => r.template)).toEqual([
      "submitted",
      "submitted",
      "received",
      "received",
      "payment_requested",
      "payment_requested",
      "payment_confirmed",
      "payment_confirmed",
    ]);
  });

  it("writes an English dossier's messages in English", async () => {
    const citizen = await newCitizen("Nguyễn Văn An");
    const lng = ((await languageCookie.serialize("en")) ?? "").split(";")[0];
    const { dossierId, receiptCode } = await submitDossier({ ...citizen, cookie: `${citizen.cookie}; ${lng}` }, CODE);
    expect((await dossierRow(dossierId)).language).toBe("en");
    expect(
      (await applyTransition({ dossierId, action: "refuse", actor: await officerFor(dossierId, SEEDED_OFFICER), reason: "Duplicate application" })).ok,
    ).toBe(true);
    const rows = await notificationsOf(dossierId);
    expect(rows.every((r) => r.language === "en")).toBe(true);
    expect(rows.map((r) => r.subject)).toEqual([`Application ${receiptCode} received online`, null, `Application ${receiptCode} not accepted`, null]);
    expect(rows[2]?.body).toContain("\nReason: Duplicate application\n");
    expect(rows[3]?.body).toMatch(new RegExp(`^Application ${receiptCode} not accepted\\. Reason: Duplicate application\\. Details: http`));
  });
});

describe("delivering notifications", () => {
  it("marks messages sent through the sink and records notification_sent without personal data", async () => {
    const { dossierId } = await submitted();
    const summary = await deliverPendingNotifications({ sender: sinkSender, limit: 10_000 });
    expect(summary.sent).toBeGreaterThanOrEqual(2);
    const rows = await notificationsOf(dossierId);
    for (const row of rows) {
      expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null });
      expect(row.providerMessageId).toMatch(/^sink-[0-9a-f-]{36}$/);
      expect(row.sentAt).toBeInstanceOf(Date);
    }
    const events = await eventsOf(dossierId, "notification_sent");
    expect(events.map((e) => e.data)).toEqual(rows.map((r) => ({ notificationId: r.id, kind: r.kind })));
    expect(events[0]).toMatchObject({ dossierId, actorRole: "system", agencyId: (await dossierRow(dossierId)).agencyId });
    expect(JSON.stringify(events)).not.toContain(rows[0]?.recipient ?? "?");
    // Nothing is sent twice.
    await deliverPendingNotifications({ sender: sinkSender });
    expect(await eventsOf(dossierId, "notification_sent")).toHaveLength(2);
  });

  it("appends each message sent through the file adapter as one JSON line, recipient and text included", async () => {
    await drain();
    const { dossierId } = await submitted();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "portal-notify-")), "out", "messages.jsonl");
    await deliverPendingNotifications({ sender: fileSender(file) });
    const rows = await notificationsOf(dossierId);
    const lines = readFileSync(file, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) =>
        z
          .object({ notificationId: z.number(), recipient: z.string(), body: z.string(), providerMessageId: z.string(), pid: z.number() })
          .parse(JSON.parse(line)),
      );
    expect(lines.map((l) => l.notificationId)).toEqual(rows.map((r) => r.id));
    expect(lines.map((l) => [l.recipient, l.body, l.providerMessageId, l.pid])).toEqual(
      rows.map((r) => [r.recipient, r.body, r.providerMessageId, process.pid]),
    );
  });

  it("never sends a message twice when two deliverers run at the same time", async () => {
    await drain();
    const { dossierId } = await submitted();
    const sent: number[] = [];
    // A slow provider: both deliverers read the same pending rows before either finishes.
    const slow: NotificationSender = {
      name: "slow",
      send: async (m: OutgoingMessage) => {
        sent.push(m.notificationId);
        await new Promise((r) => setTimeout(r, 20));
        return { ok: true, providerMessageId: `slow-${m.notificationId}` };
      },
    };
    await Promise.all([deliverPendingNotifications({ sender: slow }), deliverPendingNotifications({ sender: slow })]);
    const ids = (await notificationsOf(dossierId)).map((r) => r.id);
    expect(sent.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect((await notificationsOf(dossierId)).map((r) => [r.status, r.attempts])).toEqual(ids.map(() => ["sent", 1]));
    expect(await eventsOf(dossierId, "notification_sent")).toHaveLength(ids.length);
  });

  it("retries a failing provider with growing delays and gives up after five attempts", async () => {
    await drain();
    const { dossierId } = await submitted();
    const tries: OutgoingMessage[] = [];
    const down: NotificationSender = {
      name: "down",
      async send(message) {
        tries.push(message);
        return { ok: false, error: "503 Service\n Unavailable", retryable: true };
      },
    };
    const first = await deliverPendingNotifications({ sender: down });
    expect(first).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect((await notificationsOf(dossierId)).map((r) => [r.status, r.attempts, r.lastError])).toEqual([
      ["pending", 1, "503 Service Unavailable"],
      ["pending", 1, "503 Service Unavailable"],
    ]);
    // Not yet due again: the second attempt waits 30 seconds.
    expect(await deliverPendingNotifications({ sender: down })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    const later = new Date(Date.now() + 24 * 60 * 60 * 1000);
    for (let attempt = 2; attempt < MAX_ATTEMPTS; attempt++)
      expect(await deliverPendingNotifications({ sender: down, now: later })).toEqual({ sent: 0, retrying: 2, failed: 0 });
    expect(await eventsOf(dossierId, "notification_failed")).toHaveLength(0);
    expect(await deliverPendingNotifications({ sender: down, now: later })).toEqual({ sent: 0, retrying: 0, failed: 2 });
    const rows = await notificationsOf(dossierId);
    expect(rows.map((r) => [r.status, r.attempts, r.sentAt])).toEqual([
      ["failed", 5, null],
      ["failed", 5, null],
    ]);
    expect(tries).toHaveLength(2 * MAX_ATTEMPTS);
    expect(tries[0]).toMatchObject({ notificationId: rows[0]?.id, kind: "email", language: "vi", recipient: rows[0]?.recipient });
    expect((await eventsOf(dossierId, "notification_failed")).map((e) => e.data)).toEqual(rows.map((r) => ({ notificationId: r.id, kind: r.kind })));
    // A failed message is not tried again.
    await deliverPendingNotifications({ sender: down, now: later });
    expect(tries).toHaveLength(2 * MAX_ATTEMPTS);
  });

  it("gives up at once on an error the provider says will not pass, and treats a thrown error as retryable", async () => {
    await drain();
    const { dossierId } = await submitted();
    const sender: NotificationSender = {
      name: "picky",
      async send(message) {
        if (message.kind === "sms") throw new Error("connection reset");
        return { ok: false, error: "mailbox does not exist", retryable: false };
      },
    };
    expect(await deliverPendingNotifications({ sender })).toEqual({ sent: 0, retrying: 1, failed: 1 });
    expect((await notificationsOf(dossierId)).map((r) => [r.kind, r.status, r.lastError])).toEqual([
      ["email", "failed", "mailbox does not exist"],
      ["sms", "pending", "connection reset"],
    ]);
  });
});

describe("the outbox page", () => {
  it("is for system administrators only", async () => {
    const citizen = await newCitizen();
    expect((await run(outbox.loader, get("/admin/outbox", citizen.cookie))).status).toBe(403);
    expect((await run(outbox.loader, get("/admin/outbox", (await signInAs("can.bo.hoankiem@example.vn")).cookie))).status).toBe(403);
    expect((await run(outbox.loader, get("/admin/outbox", (await signInAs("quan.tri.hanoi@example.vn")).cookie))).status).toBe(403);
    expect((await run(outbox.loader, get("/admin/outbox"))).status).toBe(302);
  });

  it("lists notifications newest first with recipients masked, filtered by status, kind and receipt code", async () => {
    const { citizen, receiptCode } = await submitted();
    const phone = "0903123456"; // the account's confirmed phone
    const admin = (await signInAs("quan.tri@example.vn")).cookie;
    const page = await run(outbox.loader, get(`/admin/outbox?code=${receiptCode.toLowerCase()}`, admin));
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({
      errors: {},
      result: {
        total: 2,
        page: 1,
        items: [
          {
            receiptCode,
            kind: "sms",
            recipient: `••••••${phone.slice(-4)}`,
            template: "submitted",
            language: "vi",
            status: "pending",
            attempts: 0,
            sentAt: null,
            subject: null,
          },
          {
            receiptCode,
            kind: "email",
            recipient: `c***@example.vn`,
            template: "submitted",
            status: "pending",
            subject: `Đã nhận hồ sơ trực tuyến ${receiptCode}`,
          },
        ],
      },
    });
    const json = JSON.stringify(page.data);
    expect(citizen.email).toMatch(/^c/);
    expect(json).not.toContain(citizen.email);
    expect(json).not.toContain(phone);

    const emails = await run(outbox.loader, get(`/admin/outbox?code=${receiptCode}&kind=email&status=pending`, admin));
    expect(emails.data).toMatchObject({ result: { total: 1, items: [{ kind: "email" }] } });
    const sent = await run(outbox.loader, get(`/admin/outbox?code=${receiptCode}&status=sent`, admin));
    expect(sent.data).toMatchObject({ result: { total: 0, items: [] } });

    const all = await run(outbox.loader, get("/admin/outbox", admin));
    const ids = (all.data as { result: { items: { id: number }[] } }).result.items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    const bad = await run(outbox.loader, get("/admin/outbox?code=not-a-code", admin));
    expect(bad).toMatchObject({ status: 400, data: { errors: { code: "notify.outbox.errors.code_invalid" }, result: null } });
  });

  it("pages through many notifications", async () => {
    const admin = (await signInAs("quan.tri@example.vn")).cookie;
    const total = (await db().select({ id: schema.notifications.id }).from(schema.notifications)).length;
    const extra = Math.max(0, 26 - total);
    for (let i = 0; i < extra; i += 2) await submitted();
    const first = await run(outbox.loader, get("/admin/outbox", admin));
    const second = await run(outbox.loader, get("/admin/outbox?page=2", admin));
    const items = (o: typeof first) => (o.data as { result: { items: { id: number }[]; pageCount: number } }).result;
    expect(items(first).items).toHaveLength(25);
    expect(items(first).pageCount).toBeGreaterThanOrEqual(2);
    const firstIds = new Set(items(first).items.map((i) => i.id));
    expect(items(second).items.length).toBeGreaterThan(0);
    expect(items(second).items.some((i) => firstIds.has(i.id))).toBe(false);
    expect(
      await db()
        .select()
        .from(schema.notifications)
        .where(inArray(schema.notifications.id, [...firstIds])),
    ).toHaveLength(25);
  });
});

describe("verified contacts only (issue 11, problem 6)", () => {
  const smsTo = (phone: string) =>
    db()
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.recipient, phone), eq(schema.notifications.kind, "sms")))
      .orderBy(schema.notifications.id);

  it("never messages the contacts typed in a form, nor an account phone that is not confirmed", async () => {
    const citizen = await newCitizen("Vũ Thị Lan", { phoneConfirmed: false });
    const { dossierId } = await submitDossier(citizen, CODE, "counter", { applicant_email: "nan.nhan@example.com", applicant_phone: "0977000111" });
    expect(await dossierRow(dossierId)).toMatchObject({ applicantEmail: "nan.nhan@example.com", applicantPhone: "0977000111" });
    expect((await notificationsOf(dossierId)).map((r) => [r.kind, r.recipient])).toEqual([["email", citizen.email]]);
    expect(
      await db()
        .select()
        .from(schema.notifications)
        .where(inArray(schema.notifications.recipient, ["nan.nhan@example.com", "0977000111"])),
    ).toEqual([]);
  });

  it("confirms a phone with a short-lived code sent through the outbox; SMS go to it afterwards", async () => {
    const citizen = await newCitizen("Đặng Văn Hùng", { phoneConfirmed: false });
    const phone = `09${String(Date.now()).slice(-8)}`;
    const sent = await run(account.action, post("/account", formOf({ intent: "send-code", phone }), citizen.cookie));
    expect(sent).toMatchObject({ status: 302, location: "/account?sent=1" });
    const [codeSms] = await smsTo(phone);
    expect(codeSms).toMatchObject({ template: "phone_code", dossierId: null, status: "pending" });
    const code = codeSms?.body.match(/\b(\d{6})\b/)?.[1] ?? "";
    expect(code).toMatch(/^\d{6}$/);
    const [challenge] = await db().select().from(schema.contactChallenges).where(eq(schema.contactChallenges.target, phone)).limit(1);
    expect(challenge?.secretHash).not.toContain(code);
    expect((challenge?.expiresAt.getTime() ?? 0) - (challenge?.createdAt.getTime() ?? 0)).toBe(10 * 60_000);
    const wrongCode = code === "000000" ? "000001" : "000000";
    expect(await run(account.action, post("/account", formOf({ intent: "confirm-code", code: wrongCode }), citizen.cookie))).toMatchObject({
      status: 400,
      data: { errors: { code: "accounts.errors.code_wrong" } },
    });
    expect(await run(account.action, post("/account", formOf({ intent: "confirm-code", code }), citizen.cookie))).toMatchObject({
      status: 302,
      location: "/account?phone=confirmed",
    });
    const { dossierId } = await submitDossier(citizen, CODE);
    expect((await notificationsOf(dossierId)).map((r) => [r.kind, r.recipient])).toEqual([
      ["email", citizen.email],
      ["sms", phone],
    ]);
  });

  it("lets a phone code be tried five times, then it is spent", async () => {
    const citizen = await newCitizen("Hồ Thị Mai", { phoneConfirmed: false });
    const phone = `08${String(Date.now()).slice(-8)}`;
    await run(account.action, post("/account", formOf({ intent: "send-code", phone }), citizen.cookie));
    const code = (await smsTo(phone))[0]?.body.match(/\b(\d{6})\b/)?.[1] ?? "";
    const wrong = code === "111111" ? "222222" : "111111";
    for (let i = 0; i < 4; i += 1)
      expect((await run(account.action, post("/account", formOf({ intent: "confirm-code", code: wrong }), citizen.cookie))).data).toMatchObject({
        errors: { code: "accounts.errors.code_wrong" },
      });
    expect((await run(account.action, post("/account", formOf({ intent: "confirm-code", code: wrong }), citizen.cookie))).data).toMatchObject({
      errors: { code: "accounts.errors.code_expired" },
    });
    expect((await run(account.action, post("/account", formOf({ intent: "confirm-code", code }), citizen.cookie))).data).toMatchObject({
      errors: { code: "accounts.errors.code_expired" },
    });
    const [user] = await db().select().from(schema.users).where(eq(schema.users.id, citizen.id));
    expect(user).toMatchObject({ phoneConfirmedAt: null });
  });

  it("refuses a submission past the daily cap with a clear 429, the draft kept and nobody messaged", async () => {
    const citizen = await newCitizen("Lý Văn Nhiều");
    for (let i = 0; i < env().SUBMISSIONS_PER_DAY; i += 1) await submitDossier(citizen, CODE);
    expect(env().SUBMISSIONS_PER_DAY).toBe(20);
    await expect(submitDossier(citizen, CODE)).rejects.toThrow(/"status":429.*accounts\.errors\.daily_cap/);
    const [draft] = await db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
      .limit(1);
    expect(draft).toMatchObject({ receiptCode: null, submittedAt: null });
    expect(Object.keys(draft?.answers ?? {}).length).toBeGreaterThan(3);
    expect(await notificationsOf(draft?.id ?? -1)).toEqual([]);
  }, 120_000);
});
