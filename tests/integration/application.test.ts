import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { allFields, fileFields } from "../../app/core/forms/definition";
import { parseReceiptCode } from "../../app/core/dossiers/receipt-code";
import { appointmentDate, createCalendar } from "../../app/core/calendar/working-days";
import { db } from "../../app/server/platform/db.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { catalogChanged } from "../../app/server/catalog/catalog-version.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as receipt from "../../app/routes/applications.$receiptCode";
import * as attachmentRoute from "../../app/routes/attachments.$id";
import * as detail from "../../app/routes/procedures.$code";
import { validAnswers } from "../fixtures/answers";
import { FORGED_PDF_BYTES, PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { newCitizen, type Citizen } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";
import { found } from "../../app/server/platform/http.server";

const CODE = "1.001193"; // Đăng ký khai sinh
const params = { code: CODE };

async function eventsOf(dossierId: number) {
  const events = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.dossierId, dossierId)).orderBy(asc(schema.dossierEvents.id));
  return events.map((e) => e.type);
}

function fileFor(accept: readonly string[], name = "giay-to.pdf"): File {
  return accept.includes("pdf")
    ? new File([PDF_BYTES], name, { type: "application/pdf" })
    : new File([PNG_BYTES], name.replace(/pdf$/, "png"), { type: "image/png" });
}

/** Fills the whole form (with every required file) and continues to the check page. */
async function fillValid(citizen: Citizen) {
  const { form } = found(await onlineProcedure(CODE));
  const files = Object.fromEntries(fileFields(form.definition).map((f) => [f.name, fileFor(f.accept)]));
  const res = await run(
    apply.action,
    post(`/procedures/${CODE}/apply`, formOf({ ...validAnswers(form.definition), ...files, intent: "continue" }), citizen.cookie),
    params,
  );
  expect(res, JSON.stringify(res.data)).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply/check` });
  const [draft] = await db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
    .limit(1);
  if (!draft) throw new Error("no draft");
  return { draft, form };
}

async function submit(citizen: Citizen, dossierId: number) {
  return run(check.action, post(`/procedures/${CODE}/apply/check`, formOf({ dossierId: String(dossierId), deliveryMode: "counter" }), citizen.cookie), params);
}

describe("online application (level 3)", () => {
  it("sends a visitor who is not signed in to sign-in, coming back to the form", async () => {
    const res = await run(apply.loader, get(`/procedures/${CODE}/apply`), params);
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/login?redirectTo=${encodeURIComponent(`/procedures/${CODE}/apply`)}`);
  });

  it("records a view without personal data, and no view for a crawler", async () => {
    const before = (await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "procedure_viewed"))).length;
    await run(detail.loader, get(`/procedures/${CODE}`), params);
    const bot = new Request(`http://localhost/procedures/${CODE}`, { headers: { "User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)" } });
    await run(detail.loader, bot, params);
    const views = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "procedure_viewed")).orderBy(asc(schema.dossierEvents.id));
    expect(views.length).toBe(before + 1);
    expect(views.at(-1)).toMatchObject({ actorId: null, dossierId: null });
  });

  it("writes an event for each step: form started, draft saved, attachment added, submitted", async () => {
    const citizen = await newCitizen();
    const opened = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), params);
    expect(opened.status).toBe(200);
    const { draft } = await fillValid(citizen);
    const res = await submit(citizen, draft.id);
    expect(res.status).toBe(302);
    const types = await eventsOf(draft.id);
    expect(types[0]).toBe("form_started");
    expect(types).toContain("draft_saved");
    expect(types).toContain("attachment_added");
    expect(types.at(-1)).toBe("submitted");
    const [submitted] = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, draft.id), eq(schema.dossierEvents.type, "submitted")))
      .limit(1);
    expect(submitted).toMatchObject({ fromStatus: 0, toStatus: 1, channel: "online", actorRole: "citizen" });
  });

  it("creates one dossier however often the same draft is submitted, and gives the same receipt", async () => {
    const citizen = await newCitizen();
    const { draft } = await fillValid(citizen);
    const results = await Promise.all([submit(citizen, draft.id), submit(citizen, draft.id), submit(citizen, draft.id)]);
    const again = await submit(citizen, draft.id); // back button, then submit again
    const codes = new Set([...results, again].map((r) => r.location?.split("?")[0]));
    expect(codes.size).toBe(1);
    const dossiers = await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, citizen.id));
    expect(dossiers.filter((d) => d.status !== 0)).toHaveLength(1);
    expect((await eventsOf(draft.id)).filter((t) => t === "submitted")).toHaveLength(1);
  });

  it("gives a valid receipt code and the appointment date from the working-day calendar", async () => {
    const citizen = await newCitizen();
    const { draft } = await fillValid(citizen);
    const res = await submit(citizen, draft.id);
    const code = res.location?.match(/^\/applications\/([^?]+)/)?.[1] ?? "";
    expect(parseReceiptCode(code)).toBe(code);
    const [dossier] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, draft.id));
    const procedure = found(await onlineProcedure(CODE)).procedure;
    expect(dossier?.submittedAt).toBeInstanceOf(Date);
    expect(dossier?.dueOn).toBe(appointmentDate(createCalendar(), dossier?.submittedAt ?? new Date(), procedure.processingDays));
    const page = await run(receipt.loader, get(`/applications/${code}`, citizen.cookie), { receiptCode: code });
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ receiptCode: code, status: STATUS.submitted, dueOn: dossier?.dueOn });
  });

  it("refuses a forged attachment (wrong magic bytes) with a message, keeps the typed answers and stores no file", async () => {
    const citizen = await newCitizen();
    const { form } = found(await onlineProcedure(CODE));
    const field = fileFields(form.definition)[0];
    if (!field) throw new Error("the seeded form needs a file field");
    const answers = validAnswers(form.definition);
    const forged = new File([FORGED_PDF_BYTES], "giay-chung-sinh.pdf", { type: "application/pdf" });
    const res = await run(
      apply.action,
      post(`/procedures/${CODE}/apply`, formOf({ ...answers, [field.name]: forged, intent: "continue" }), citizen.cookie),
      params,
    );
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { [field.name]: "form.errors.file_type" } });
    const [draft] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, citizen.id)).limit(1);
    expect(
      await db()
        .select()
        .from(schema.attachments)
        .where(eq(schema.attachments.dossierId, draft?.id ?? -1)),
    ).toHaveLength(0);
    // Nothing typed is lost: the draft holds the answers.
    const firstText = allFields(form.definition).find((f) => f.type === "text");
    if (firstText) expect(draft?.answers[firstText.name]).toBe(answers[firstText.name]);
  });

  it("shows field errors with a 400 for invalid answers and does not reach the check page", async () => {
    const citizen = await newCitizen();
    const { form } = found(await onlineProcedure(CODE));
    const answers = { ...validAnswers(form.definition), applicant_cccd: "12345", intent: "continue" };
    const res = await run(apply.action, post(`/procedures/${CODE}/apply`, formOf(answers), citizen.cookie), params);
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({ errors: { applicant_cccd: "form.errors.cccd" } });
    const checkPage = await run(check.loader, get(`/procedures/${CODE}/apply/check`, citizen.cookie), params);
    expect(checkPage).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply` });
  });

  it("answers 404 for another citizen's dossier, receipt PDF and attachment", async () => {
    const owner = await newCitizen("Phạm Thị Dung");
    const other = await newCitizen("Hoàng Văn Em");
    const { draft } = await fillValid(owner);
    const res = await submit(owner, draft.id);
    const code = res.location?.match(/^\/applications\/([^?]+)/)?.[1] ?? "";
    expect((await run(receipt.loader, get(`/applications/${code}`, owner.cookie), { receiptCode: code })).status).toBe(200);
    expect((await run(receipt.loader, get(`/applications/${code}`, other.cookie), { receiptCode: code })).status).toBe(404);
    const [attachment] = await db().select().from(schema.attachments).where(eq(schema.attachments.dossierId, draft.id)).limit(1);
    if (!attachment) throw new Error("expected an attachment");
    const mine = await run(attachmentRoute.loader, get(`/attachments/${attachment.id}`, owner.cookie), { id: String(attachment.id) });
    expect(mine.status).toBe(200);
    expect((await run(attachmentRoute.loader, get(`/attachments/${attachment.id}`, other.cookie), { id: String(attachment.id) })).status).toBe(404);
    expect((await run(attachmentRoute.loader, get(`/attachments/999999`, owner.cookie), { id: "999999" })).status).toBe(404);
    // Submitting someone else's draft id is also a 404, and changes nothing.
    const stranger = await submit(other, draft.id);
    expect(stranger.status).toBe(404);
  });
});

describe("the delivery chosen in the form", () => {
  // Phiếu lý lịch tư pháp: its form asks how to receive the result (electronic, by post, at the counter).
  const RECORD = "3.000333";

  it("is carried to the check-answers page and submitted exactly as chosen, whatever the page posts", async () => {
    const citizen = await newCitizen();
    const { form } = found(await onlineProcedure(RECORD));
    const files = Object.fromEntries(
      fileFields(form.definition).map((f) => [
        f.name,
        new File([f.accept.includes("pdf") ? PDF_BYTES : PNG_BYTES], f.accept.includes("pdf") ? "a.pdf" : "a.png", {
          type: f.accept.includes("pdf") ? "application/pdf" : "image/png",
        }),
      ]),
    );
    const filled = await run(
      apply.action,
      post(`/procedures/${RECORD}/apply`, formOf({ ...validAnswers(form.definition), result_format: "dien_tu", ...files, intent: "continue" }), citizen.cookie),
      { code: RECORD },
    );
    expect(filled.location).toBe(`/procedures/${RECORD}/apply/check`);

    const page = await run(check.loader, get(`/procedures/${RECORD}/apply/check`, citizen.cookie), { code: RECORD });
    expect(page.data).toMatchObject({ delivery: { kind: "answered", mode: "online", field: "result_format" } });

    // What the page used to post: its own radio, pre-ticked "at the counter".
    const dossierId = (page.data as { dossierId: number }).dossierId;
    const submitted = await run(
      check.action,
      post(`/procedures/${RECORD}/apply/check`, formOf({ dossierId: String(dossierId), deliveryMode: "counter" }), citizen.cookie),
      { code: RECORD },
    );
    expect(submitted.location).toMatch(/^\/applications\/.+\?submitted=1$/);
    const [row] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, dossierId));
    expect(row?.deliveryMode).toBe("online");
  });

  it("is refused with a message, not submitted, when the procedure no longer offers it", async () => {
    const citizen = await newCitizen();
    const { form, procedure } = found(await onlineProcedure(RECORD));
    const files = Object.fromEntries(
      fileFields(form.definition).map((f) => [
        f.name,
        new File([f.accept.includes("pdf") ? PDF_BYTES : PNG_BYTES], f.accept.includes("pdf") ? "a.pdf" : "a.png", {
          type: f.accept.includes("pdf") ? "application/pdf" : "image/png",
        }),
      ]),
    );
    await run(
      apply.action,
      post(
        `/procedures/${RECORD}/apply`,
        formOf({ ...validAnswers(form.definition), result_format: "buu_chinh", ...files, intent: "continue" }),
        citizen.cookie,
      ),
      { code: RECORD },
    );
    const [draft] = await db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
      .limit(1);
    // An administrator stops postal delivery after the citizen filled the form.
    const before = procedure.deliveryModes;
    await db()
      .update(schema.procedures)
      .set({ deliveryModes: ["counter", "online"] })
      .where(eq(schema.procedures.id, procedure.id));
    catalogChanged();
    try {
      const res = await run(check.action, post(`/procedures/${RECORD}/apply/check`, formOf({ dossierId: String(draft?.id) }), citizen.cookie), {
        code: RECORD,
      });
      expect(res).toMatchObject({ status: 400, data: { error: "apply.errors.delivery_not_offered" } });
      const [after] = await db()
        .select()
        .from(schema.dossiers)
        .where(eq(schema.dossiers.id, draft?.id ?? 0));
      expect(after?.status).toBe(STATUS.draft);
    } finally {
      await db().update(schema.procedures).set({ deliveryModes: before }).where(eq(schema.procedures.id, procedure.id));
      catalogChanged();
    }
  });
});
