import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import * as citizenDossier from "../../app/routes/applications.$receiptCode";
import * as supplementRoute from "../../app/routes/applications.$receiptCode_.supplement";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import { db } from "../../app/server/platform/db.server";
import { applyTransition, issueApology, type Actor } from "../../app/server/dossiers/workflow.server";
import { PDF_BYTES } from "../fixtures/files";
import { newCitizen, newOfficer } from "../fixtures/accounts";
import { issueTestResult, submitDossier, dossierRow, dossierByCode } from "../fixtures/dossiers";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";

const CODE = "1.001193"; // Đăng ký khai sinh: level 4, free, Hoàn Kiếm ward, 1 working day
const AGENCY = "ha-noi-phuong-hoan-kiem";

const eventsOf = (id: number, type: string) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, id), eq(schema.dossierEvents.type, type)))
    .orderBy(asc(schema.dossierEvents.id));

async function officerAct(officer: { cookie: string }, receiptCode: string, values: Record<string, string | string[]>) {
  const version = String((await dossierByCode(receiptCode)).version);
  return run(officerDossier.action, post(`/officer/dossiers/${receiptCode}`, formOf({ intent: "transition", version, ...values }), officer.cookie), {
    receiptCode,
  });
}

describe("supplement request on exact items", () => {
  it("a verified answer the citizen changes in a supplement loses its verified mark; the others keep theirs", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { receiptCode, dossierId } = await submitDossier(citizen, CODE, "counter");
    // As if both had come verified from the population record (decision 035).
    await db()
      .update(schema.dossiers)
      .set({ verifiedFields: ["applicant_name", "applicant_phone"] })
      .where(eq(schema.dossiers.id, dossierId));
    expect((await officerAct(officer, receiptCode, { action: "receive" })).status).toBe(302);
    const asked = await officerAct(officer, receiptCode, {
      action: "requestSupplement",
      reason: "Số điện thoại không liên lạc được.",
      items: ["applicant_phone"],
    });
    expect(asked.status).toBe(302);
    const answered = await run(
      supplementRoute.action,
      post(`/applications/${receiptCode}/supplement`, formOf({ applicant_phone: "0987654321" }), citizen.cookie),
      { receiptCode },
    );
    expect(answered.status).toBe(302);
    const after = await dossierRow(dossierId);
    expect(after?.answers).toMatchObject({ applicant_phone: "0987654321" });
    expect(after?.verifiedFields).toEqual(["applicant_name"]);
    const back = (await eventsOf(dossierId, "status_changed")).at(-1);
    expect(back?.data).toMatchObject({ action: "supplement", changed: ["applicant_phone"], unverified: ["applicant_phone"] });
  });

  it("pauses the clock, lets the citizen change only the ticked items, then resumes", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { receiptCode, dossierId } = await submitDossier(citizen, CODE, "counter");
    expect((await officerAct(officer, receiptCode, { action: "receive" })).status).toBe(302);
    const before = await dossierRow(dossierId);
    expect(before?.status).toBe(STATUS.received);

    // Nothing ticked: refused with a message that points at the checkboxes, nothing changes.
    const none = await officerAct(officer, receiptCode, { action: "requestSupplement", reason: "Thiếu thông tin" });
    expect(none).toMatchObject({ status: 400, data: { error: "officer.errors.items_required", fieldId: "supplement-items" } });
    const unknown = await officerAct(officer, receiptCode, { action: "requestSupplement", reason: "x", items: ["no_such_field"] });
    expect(unknown).toMatchObject({ status: 400, data: { error: "officer.errors.items_unknown" } });
    expect((await dossierRow(dossierId))?.version).toBe(before?.version);

    const asked = await officerAct(officer, receiptCode, {
      action: "requestSupplement",
      reason: "Số điện thoại không liên lạc được; giấy chứng sinh bị mờ.",
      items: ["applicant_phone", "giay_chung_sinh"],
    });
    expect(asked.status).toBe(302);
    const paused = await dossierRow(dossierId);
    expect(paused?.status).toBe(STATUS.supplementRequested);
    expect(paused?.pausedAt).toBeInstanceOf(Date);
    const [request] = await db().select().from(schema.supplementRequests).where(eq(schema.supplementRequests.dossierId, dossierId));
    expect(request).toMatchObject({ items: ["applicant_phone", "giay_chung_sinh"], answeredAt: null, requestedBy: officer.id });
    const statusEvent = (await eventsOf(dossierId, "status_changed")).at(-1);
    expect(statusEvent).toMatchObject({ fromStatus: 2, toStatus: 5, actorId: officer.id, actorRole: "officer" });
    expect(statusEvent?.data).toMatchObject({ action: "requestSupplement", items: ["applicant_phone", "giay_chung_sinh"] });

    // The citizen's page shows the request; the supplement page offers only the ticked items.
    const page = await run(citizenDossier.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode });
    expect(page.data).toMatchObject({ notices: { supplement: { message: "Số điện thoại không liên lạc được; giấy chứng sinh bị mờ." } } });
    const form = await run(supplementRoute.loader, get(`/applications/${receiptCode}/supplement`, citizen.cookie), { receiptCode });
    expect(form.data).toMatchObject({ items: ["applicant_phone", "giay_chung_sinh"] });

    // Another citizen cannot see or answer it.
    const stranger = await newCitizen();
    expect((await run(supplementRoute.loader, get(`/applications/${receiptCode}/supplement`, stranger.cookie), { receiptCode })).status).toBe(404);

    // A requested document must be replaced.
    const noFile = await run(
      supplementRoute.action,
      post(`/applications/${receiptCode}/supplement`, formOf({ applicant_phone: "0987654321" }), citizen.cookie),
      { receiptCode },
    );
    expect(noFile).toMatchObject({ status: 400, data: { errors: { giay_chung_sinh: "supplement.errors.new_file_required" } } });
    expect((await dossierRow(dossierId))?.status).toBe(STATUS.supplementRequested);

    const [oldAttachment] = await db()
      .select()
      .from(schema.attachments)
      .where(and(eq(schema.attachments.dossierId, dossierId), eq(schema.attachments.fieldName, "giay_chung_sinh")))
      .limit(1);
    const answered = await run(
      supplementRoute.action,
      post(
        `/applications/${receiptCode}/supplement`,
        // The citizen also tries to change a field that was not asked for: it is ignored.
        formOf({
          applicant_phone: "0987 654 321",
          applicant_name: "Tên Khác Hẳn",
          giay_chung_sinh: new File([PDF_BYTES], "giay-chung-sinh-ro.pdf", { type: "application/pdf" }),
        }),
        citizen.cookie,
      ),
      { receiptCode },
    );
    expect(answered).toMatchObject({ status: 302, location: `/applications/${receiptCode}?supplement=sent` });
    const resumed = await dossierRow(dossierId);
    expect(resumed?.status).toBe(STATUS.processing);
    expect(resumed?.pausedAt).toBeNull();
    expect(resumed?.answers.applicant_phone).toBe("0987654321"); // normalised by the form schema
    expect(resumed?.applicantPhone).toBe("0987654321");
    expect(resumed?.answers.applicant_name).toBe(paused?.answers.applicant_name);
    expect(resumed?.applicantName).toBe(paused?.applicantName);
    const newAttachments = await db()
      .select()
      .from(schema.attachments)
      .where(and(eq(schema.attachments.dossierId, dossierId), eq(schema.attachments.fieldName, "giay_chung_sinh")));
    expect(newAttachments).toHaveLength(1);
    expect(newAttachments[0]?.fileName).toBe("giay-chung-sinh-ro.pdf");
    expect(newAttachments[0]?.id).not.toBe(oldAttachment?.id);
    const [answeredRequest] = await db()
      .select()
      .from(schema.supplementRequests)
      .where(eq(schema.supplementRequests.id, request?.id ?? 0));
    expect(answeredRequest?.answeredAt).toBeInstanceOf(Date);
    const back = (await eventsOf(dossierId, "status_changed")).at(-1);
    expect(back).toMatchObject({ fromStatus: 5, toStatus: 4, actorId: citizen.id, actorRole: "citizen" });
    expect(back?.data).toMatchObject({ action: "supplement", changed: ["applicant_phone", "giay_chung_sinh"] });

    // Answered once: the page is gone.
    expect((await run(supplementRoute.loader, get(`/applications/${receiptCode}/supplement`, citizen.cookie), { receiptCode })).status).toBe(404);
  });
});

describe("deadline clock", () => {
  const vn = (date: string, time = "10:00") => new Date(`${date}T${time}:00+07:00`);

  it("counts from receipt, stands still while waiting on the citizen, and classifies the finish", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { dossierId } = await submitDossier(citizen, CODE, "counter");
    const citizenActor: Actor = { id: citizen.id, role: "citizen" };
    // Received Thu 23 April 2026: 1 working day → due Fri 24 April.
    expect((await applyTransition({ dossierId, action: "receive", actor: officer.actor, now: vn("2026-04-23") })).ok).toBe(true);
    expect((await dossierRow(dossierId))?.dueOn).toBe("2026-04-24");
    expect(
      (
        await applyTransition({
          dossierId,
          action: "requestSupplement",
          actor: officer.actor,
          reason: "Bổ sung",
          supplementItems: ["applicant_phone"],
          now: vn("2026-04-24", "09:00"),
        })
      ).ok,
    ).toBe(true);
    // Answered Tue 28 April: Sat, Sun, Mon 27 (holiday) are not working days → 1 working day paused.
    const answered = await applyTransition({ dossierId, action: "supplement", actor: citizenActor, now: vn("2026-04-28", "08:00") });
    expect(answered.ok).toBe(true);
    expect(await dossierRow(dossierId)).toMatchObject({ dueOn: "2026-04-28", pausedDays: 1, pausedAt: null });
    const resumeEvent = (await eventsOf(dossierId, "status_changed")).at(-1);
    expect(resumeEvent?.data).toMatchObject({ pausedDays: 1, dueOn: "2026-04-28" });
    // Result on the (moved) deadline day: on time, not late.
    expect((await issueTestResult({ dossierId, actor: officer.actor, now: vn("2026-04-28", "16:00") })).ok).toBe(true);
    expect(await dossierRow(dossierId)).toMatchObject({ status: STATUS.resultReady, timeliness: "on_time" });
    expect((await dossierRow(dossierId))?.finishedAt?.toISOString()).toBe(vn("2026-04-28", "16:00").toISOString());
  });

  it("classifies early and late results", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const early = await submitDossier(citizen, CODE, "counter");
    await applyTransition({ dossierId: early.dossierId, action: "receive", actor: officer.actor, now: vn("2026-05-04") });
    await applyTransition({ dossierId: early.dossierId, action: "startProcessing", actor: officer.actor, now: vn("2026-05-04") });
    await issueTestResult({ dossierId: early.dossierId, actor: officer.actor, now: vn("2026-05-04", "15:00") });
    expect(await dossierRow(early.dossierId)).toMatchObject({ dueOn: "2026-05-05", timeliness: "early" });

    const late = await submitDossier(citizen, CODE, "counter");
    await applyTransition({ dossierId: late.dossierId, action: "receive", actor: officer.actor, now: vn("2026-05-04") });
    await applyTransition({ dossierId: late.dossierId, action: "startProcessing", actor: officer.actor, now: vn("2026-05-05") });
    await applyTransition({ dossierId: late.dossierId, action: "stop", reason: "Không đủ điều kiện", actor: officer.actor, now: vn("2026-05-06") });
    expect(await dossierRow(late.dossierId)).toMatchObject({ status: STATUS.stopped, timeliness: "late" });
  });

  it("lets an officer apologise with a new date the citizen sees, without excusing the delay", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { dossierId, receiptCode } = await submitDossier(citizen, CODE, "counter");
    await applyTransition({ dossierId, action: "receive", actor: officer.actor, now: vn("2026-05-04") });
    // On track (due Tue 5 May, asked on Mon 4 May at 08:00 is within one working day): allowed;
    // a week before the deadline it would not be.
    const tooEarly = await issueApology({ dossierId, actor: officer.actor, newDate: "2026-05-12", message: "Xin lỗi", now: vn("2026-04-20") });
    expect(tooEarly).toEqual({ ok: false, error: "not_late" });
    const holiday = await issueApology({ dossierId, actor: officer.actor, newDate: "2026-05-09", message: "Xin lỗi", now: vn("2026-05-05") });
    expect(holiday).toEqual({ ok: false, error: "not_working_day" });
    const other = await newOfficer("bac-ninh-phuong-kinh-bac");
    expect(await issueApology({ dossierId, actor: other.actor, newDate: "2026-05-08", message: "x", now: vn("2026-05-05") })).toEqual({
      ok: false,
      error: "not_found",
    });

    const ok = await issueApology({
      dossierId,
      actor: officer.actor,
      newDate: "2026-05-08",
      message: "Cơ quan xin lỗi vì cần xác minh thêm.",
      now: vn("2026-05-05"),
    });
    expect(ok.ok).toBe(true);
    expect(await dossierRow(dossierId)).toMatchObject({ dueOn: "2026-05-05", rescheduledOn: "2026-05-08" });
    expect((await eventsOf(dossierId, "apology_issued"))[0]).toMatchObject({ actorId: officer.id, data: { dueOn: "2026-05-05", newDate: "2026-05-08" } });
    const page = await run(citizenDossier.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode });
    expect(page.data).toMatchObject({ notices: { apology: { newDate: "2026-05-08", message: "Cơ quan xin lỗi vì cần xác minh thêm." }, dueOn: "2026-05-05" } });

    await applyTransition({ dossierId, action: "startProcessing", actor: officer.actor, now: vn("2026-05-07") });
    await issueTestResult({ dossierId, actor: officer.actor, now: vn("2026-05-07", "11:00") });
    // Kept the new promise, but still after the legal deadline: late.
    expect((await dossierRow(dossierId))?.timeliness).toBe("late");
  });
});

describe("officer dossier page", () => {
  it("masks personal data until the officer asks, and records who asked", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { receiptCode, dossierId } = await submitDossier(citizen, CODE, "counter", { applicant_cccd: "001099012345", applicant_phone: "0912345678" });
    const masked = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, officer.cookie), { receiptCode });
    expect(masked.status).toBe(200);
    const text = JSON.stringify(masked.data);
    expect(text).not.toContain("001099012345");
    expect(text).not.toContain("0912345678");
    expect(masked.data).toMatchObject({ contact: { cccd: "••••••••2345", phone: "••••••5678" }, answers: null, attachments: [] });
    expect(await eventsOf(dossierId, "personal_data_viewed")).toHaveLength(0);

    const full = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}?view=full`, officer.cookie), { receiptCode });
    expect(full.data).toMatchObject({ contact: { cccd: "001099012345", phone: "0912345678" }, answers: { applicant_cccd: "001099012345" } });
    const views = await eventsOf(dossierId, "personal_data_viewed");
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ actorId: officer.id, actorRole: "officer" });
  });

  it("answers a stale version with 409 and the conflict message", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { receiptCode } = await submitDossier(citizen, CODE, "counter");
    const stale = String((await dossierByCode(receiptCode)).version - 1);
    const res = await run(
      officerDossier.action,
      post(`/officer/dossiers/${receiptCode}`, formOf({ intent: "transition", action: "receive", version: stale }), officer.cookie),
      { receiptCode },
    );
    expect(res).toMatchObject({ status: 409, data: { error: "officer.errors.conflict" } });
  });

  it("refuses malformed posts with 400, not 500", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { receiptCode } = await submitDossier(citizen, CODE, "counter");
    const bad: Record<string, string>[] = [
      {},
      { intent: "transition", action: "fly", version: "1" },
      { intent: "apology", version: "1", newDate: "32/13/2026", message: "x" },
      { intent: "transition", action: "receive", version: "abc" },
    ];
    for (const values of bad) {
      const res = await run(officerDossier.action, post(`/officer/dossiers/${receiptCode}`, formOf(values), officer.cookie), { receiptCode });
      expect(res.status, JSON.stringify(values)).toBe(400);
    }
  });

  it("takes the apology's new date as day/month/year, as every date of the portal, and names a wrong one", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { receiptCode } = await submitDossier(citizen, CODE, "counter");
    const version = String((await dossierByCode(receiptCode)).version);
    const apologise = (newDate: string) =>
      run(
        officerDossier.action,
        post(`/officer/dossiers/${receiptCode}`, formOf({ intent: "apology", version, newDate, message: "Xin lỗi" }), officer.cookie),
        { receiptCode },
      );
    for (const wrong of ["2026/13/45", "31/02/2027", "tomorrow", "5/6/27"])
      expect(await apologise(wrong), wrong).toMatchObject({ status: 400, data: { error: "officer.errors.date_invalid", fieldId: "apology-date" } });
    // Read as a date: what stops it now is the deadline (not passed yet), not its writing.
    for (const typed of ["05/06/2027", "5/6/2027", "2027-06-05"]) {
      const res = await apologise(typed);
      expect(res.status, typed).toBe(400);
      expect(res.data, typed).not.toMatchObject({ error: "officer.errors.date_invalid" });
    }
  });
});

describe("apology message", () => {
  it("queues the apology with the new date for the citizen, in the outbox", async () => {
    const citizen = await newCitizen();
    const officer = await newOfficer(AGENCY);
    const { dossierId } = await submitDossier(citizen, CODE, "counter");
    const at = new Date("2026-05-04T10:00:00+07:00");
    await applyTransition({ dossierId, action: "receive", actor: officer.actor, now: at });
    expect(
      (await issueApology({ dossierId, actor: officer.actor, newDate: "2026-05-08", message: "Xin lỗi ông/bà.", now: new Date("2026-05-05T10:00:00+07:00") }))
        .ok,
    ).toBe(true);
    const rows = await db()
      .select()
      .from(schema.notifications)
      .where(and(eq(schema.notifications.dossierId, dossierId), eq(schema.notifications.template, "apology")));
    expect(rows.map((r) => r.kind).sort()).toEqual(["email", "sms"]);
    expect(rows.find((r) => r.kind === "email")?.body).toContain("08/05/2026");
  });
});
