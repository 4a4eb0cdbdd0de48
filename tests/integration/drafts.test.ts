import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import { newCitizen } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";
import { publishTestForm } from "../fixtures/forms";
import { found } from "../../app/server/platform/http.server";

const CODE = "3.000333"; // Cấp phiếu lý lịch tư pháp: seeded on form version 2

describe("drafts", () => {
  it("saves a partial draft without validating it, and shows it again later", async () => {
    const citizen = await newCitizen();
    const saved = await run(
      apply.action,
      post(`/procedures/${CODE}/apply`, formOf({ applicant_name: "Vũ Thị Lan", applicant_cccd: "12", intent: "save" }), citizen.cookie),
      { code: CODE },
    );
    expect(saved).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply?saved=1` });
    const page = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), { code: CODE });
    expect(page.data).toMatchObject({ values: { applicant_name: "Vũ Thị Lan", applicant_cccd: "12" }, formChanged: false });
  });

  it("moves a draft made on an older form version to the newest, keeping answers whose fields still exist", async () => {
    const citizen = await newCitizen();
    const { procedure, form } = found(await onlineProcedure(CODE));
    await run(
      apply.action,
      post(`/procedures/${CODE}/apply`, formOf({ applicant_name: "Vũ Thị Lan", applicant_address: "Số 1 Tràng Tiền", intent: "save" }), citizen.cookie),
      { code: CODE },
    );
    // A new version drops the address field and adds a purpose field.
    const next = await publishTestForm(CODE, {
      sections: [
        ...form.definition.sections.map((s) => ({ ...s, fields: s.fields.filter((f) => f.name !== "applicant_address") })),
        {
          title: { vi: "Mục đích", en: "Purpose" },
          fields: [{ type: "text", name: "purpose_v3", label: { vi: "Mục đích sử dụng" }, required: true, maxLength: 200 }],
        },
      ],
    });
    try {
      const page = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), { code: CODE });
      expect(page.data).toMatchObject({ formChanged: true, values: { applicant_name: "Vũ Thị Lan" } });
      expect(page.data).not.toMatchObject({ values: { applicant_address: expect.anything() } });
      await run(
        apply.action,
        post(`/procedures/${CODE}/apply`, formOf({ applicant_name: "Vũ Thị Lan", purpose_v3: "Xin việc", intent: "save" }), citizen.cookie),
        { code: CODE },
      );
      const [draft] = await db()
        .select()
        .from(schema.dossiers)
        .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
        .limit(1);
      expect(draft).toMatchObject({ formVersion: next.version, answers: { applicant_name: "Vũ Thị Lan", purpose_v3: "Xin việc" } });
    } finally {
      // Each test file has its own database, but keep the catalog as seeded for the rest of this file.
      await db().update(schema.procedures).set({ formVersion: form.version }).where(eq(schema.procedures.id, procedure.id));
      await db()
        .delete(schema.procedureForms)
        .where(and(eq(schema.procedureForms.procedureId, procedure.id), eq(schema.procedureForms.version, next.version)));
    }
  });

  it("answers 404 for a procedure that cannot be applied for online, or does not exist", async () => {
    const citizen = await newCitizen();
    const [level1] = await db().select().from(schema.procedures).where(eq(schema.procedures.level, 1)).limit(1);
    expect((await run(apply.loader, get(`/procedures/${level1?.code}/apply`, citizen.cookie), { code: level1?.code ?? "" })).status).toBe(404);
    expect((await run(apply.loader, get(`/procedures/9.999999/apply`, citizen.cookie), { code: "9.999999" })).status).toBe(404);
  });

  it("refuses a malformed or oversized post with a 4xx and keeps the saved draft", async () => {
    const citizen = await newCitizen();
    await run(apply.action, post(`/procedures/${CODE}/apply`, formOf({ applicant_name: "Vũ Thị Lan", intent: "save" }), citizen.cookie), { code: CODE });
    const broken = new Request(`http://localhost/procedures/${CODE}/apply`, {
      method: "POST",
      headers: { Cookie: citizen.cookie, "Content-Type": "multipart/form-data; boundary=XYZ" },
      body: '--XYZ\r\nContent-Disposition: form-data; name="applicant_name"\r\n\r\nhalf',
    });
    const res = await run(apply.action, broken, { code: CODE });
    expect(res.status).toBe(400);
    const huge = formOf({ applicant_name: "x".repeat(70 * 1024), intent: "save" });
    expect((await run(apply.action, post(`/procedures/${CODE}/apply`, huge, citizen.cookie), { code: CODE })).status).toBe(413);
    const page = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), { code: CODE });
    expect(page.data).toMatchObject({ values: { applicant_name: "Vũ Thị Lan" } });
  });
});
