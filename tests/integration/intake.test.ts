import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import * as intakeForm from "../../app/routes/officer.intake.form";
import * as intakeStart from "../../app/routes/officer.intake._index";
import * as myDossiers from "../../app/routes/applications._index";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { formState } from "../../app/core/forms/visibility";
import { db } from "../../app/server/platform/db.server";
import { trackDossier } from "../../app/server/dossiers/dossiers.server";
import { validAnswers } from "../fixtures/answers";
import { PDF_BYTES } from "../fixtures/files";
import { newCitizen, newOfficer } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";
import { found } from "../../app/server/platform/http.server";

const CODE = "1.001193"; // Đăng ký khai sinh (Hoàn Kiếm ward)

async function answers() {
  const { form } = found(await onlineProcedure(CODE));
  return { definition: form.definition, values: { ...validAnswers(form.definition), applicant_phone: "0913000111", applicant_cccd: "001199000111" } };
}

const url = (channel: string, code = CODE) => `/officer/intake/form?procedure=${code}&channel=${channel}`;

describe("counter intake and assisted submission", () => {
  it("offers only procedures of the officer's agency subtree", async () => {
    const officer = await newOfficer("ha-noi-phuong-hoan-kiem");
    const res = await run(intakeStart.loader, get("/officer/intake", officer.cookie));
    const codes = (res.data as { procedures: { code: string }[] }).procedures.map((p) => p.code);
    expect(codes).toContain(CODE);
    const other = await newOfficer("bac-ninh-phuong-kinh-bac");
    const otherCodes = ((await run(intakeStart.loader, get("/officer/intake", other.cookie))).data as { procedures: { code: string }[] }).procedures.map(
      (p) => p.code,
    );
    expect(otherCodes).not.toContain(CODE);
    // And the form itself is 404 outside the scope.
    expect((await run(intakeForm.loader, get(url("counter"), other.cookie))).status).toBe(404);
    expect(
      (
        await run(
          intakeForm.action,
          post(url("counter"), formOf({ ...(await answers()).values, channel: "counter", deliveryMode: "counter", paperChecked: "on" }), other.cookie),
        )
      ).status,
    ).toBe(404);
  });

  it("registers a counter dossier without an account, received at once, tracked by code and phone", async () => {
    const officer = await newOfficer("ha-noi-phuong-hoan-kiem");
    const { values } = await answers();
    // Without the paper check the officer is told; nothing is written.
    const before = (await db().select({ id: schema.dossiers.id }).from(schema.dossiers)).length;
    const missing = await run(intakeForm.action, post(url("counter"), formOf({ ...values, channel: "counter", deliveryMode: "counter" }), officer.cookie));
    expect(missing).toMatchObject({ status: 400, data: { errors: { paperChecked: "intake.errors.paper_required" } } });
    expect((await db().select({ id: schema.dossiers.id }).from(schema.dossiers)).length).toBe(before);

    const res = await run(
      intakeForm.action,
      post(url("counter"), formOf({ ...values, channel: "counter", deliveryMode: "counter", paperChecked: "on" }), officer.cookie),
    );
    expect(res.status).toBe(302);
    const receiptCode = res.location?.match(/^\/officer\/dossiers\/([^?]+)\?done=intake$/)?.[1] ?? "";
    const [dossier] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.receiptCode, receiptCode));
    expect(dossier).toMatchObject({
      channel: "counter",
      status: STATUS.received,
      applicantId: null,
      submittedBy: officer.id,
      applicantPhone: "0913000111",
      applicantCccd: "001199000111",
    });
    expect(dossier?.dueOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const events = await db()
      .select()
      .from(schema.dossierEvents)
      .where(eq(schema.dossierEvents.dossierId, dossier?.id ?? 0))
      .orderBy(asc(schema.dossierEvents.id));
    expect(events.map((e) => [e.type, e.fromStatus, e.toStatus, e.channel, e.actorId, e.actorRole])).toEqual([
      ["submitted", 0, 1, "counter", officer.id, "officer"],
      ["status_changed", 1, 2, "counter", officer.id, "officer"],
    ]);
    expect((await trackDossier({ receiptCode, factor: "0913000111" }))?.dossier.status).toBe(STATUS.received);
  });

  it("submits online on a citizen's behalf as `assisted`, linked to the citizen's account, scans required", async () => {
    const officer = await newOfficer("ha-noi-phuong-hoan-kiem");
    const citizen = await newCitizen("Phạm Thị Dung");
    const { definition, values } = await answers();
    const noScans = await run(
      intakeForm.action,
      post(url("assisted"), formOf({ ...values, channel: "assisted", deliveryMode: "online", accountEmail: citizen.email }), officer.cookie),
    );
    expect(noScans.status).toBe(400);
    // The file fields these answers show and require (the birth form asks for a birth notice or, without one, a statement).
    const required = formState(definition, values)
      .shown.filter((s) => s.field.type === "file" && s.required)
      .map((s) => s.field.name);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect((noScans.data as { errors: Record<string, string> }).errors[name]).toBe("form.errors.file_required");

    const unknownAccount = await run(
      intakeForm.action,
      post(url("assisted"), formOf({ ...values, channel: "assisted", deliveryMode: "online", accountEmail: "khong-co@example.vn" }), officer.cookie),
    );
    expect(unknownAccount).toMatchObject({ status: 400, data: { errors: { accountEmail: "intake.errors.no_account" } } });

    const files = Object.fromEntries(required.map((name) => [name, new File([PDF_BYTES], `${name}.pdf`, { type: "application/pdf" })]));
    const res = await run(
      intakeForm.action,
      post(
        url("assisted"),
        formOf({ ...values, ...files, channel: "assisted", deliveryMode: "online", accountEmail: citizen.email.toUpperCase() }),
        officer.cookie,
      ),
    );
    expect(res.status).toBe(302);
    const [dossier] = await db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.channel, "assisted")))
      .limit(1);
    // The e-mail written on the form wins over the account's for messages about this dossier.
    expect(dossier).toMatchObject({ status: STATUS.submitted, submittedBy: officer.id, applicantEmail: "hoa@example.vn" });
    expect(
      await db()
        .select()
        .from(schema.attachments)
        .where(eq(schema.attachments.dossierId, dossier?.id ?? 0)),
    ).toHaveLength(required.length);
    // The citizen sees it among their own dossiers.
    const mine = await run(myDossiers.loader, get("/applications", citizen.cookie));
    expect(JSON.stringify(mine.data)).toContain(dossier?.receiptCode ?? "-");
  });

  it("refuses a channel that is neither counter nor assisted, and citizens", async () => {
    const officer = await newOfficer("ha-noi-phuong-hoan-kiem");
    expect((await run(intakeForm.loader, get(url("online"), officer.cookie))).status).toBe(404);
    const citizen = await newCitizen();
    expect((await run(intakeForm.loader, get(url("counter"), citizen.cookie))).status).toBe(403);
    expect((await run(intakeForm.action, post(url("counter"), formOf({ channel: "counter" }), citizen.cookie))).status).toBe(403);
    expect((await run(intakeStart.loader, get("/officer/intake"))).status).toBe(302);
  });
});

describe("messages for dossiers keyed in by an officer", () => {
  it("tells a counter applicant the dossier was received, by SMS to the phone on the form", async () => {
    const officer = await newOfficer("ha-noi-phuong-hoan-kiem");
    const { values } = await answers();
    const res = await run(
      intakeForm.action,
      post(url("counter"), formOf({ ...values, channel: "counter", deliveryMode: "counter", paperChecked: "on", language: "en" }), officer.cookie),
    );
    const receiptCode = res.location?.match(/^\/officer\/dossiers\/([^?]+)/)?.[1] ?? "";
    const [dossier] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.receiptCode, receiptCode));
    const rows = await db()
      .select()
      .from(schema.notifications)
      .where(eq(schema.notifications.dossierId, dossier?.id ?? 0))
      .orderBy(asc(schema.notifications.id));
    expect(rows.map((r) => [r.kind, r.template, r.language, r.recipient])).toEqual([
      ["email", "received", "en", "hoa@example.vn"],
      ["sms", "received", "en", "0913000111"],
    ]);
    // No account: the link is the public tracking page.
    expect(rows[0]?.body).toContain(`/track?code=${receiptCode}`);
  });
});
