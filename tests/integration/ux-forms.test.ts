import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import { fileFields } from "../../app/core/forms/definition";
import { db } from "../../app/server/platform/db.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as dashboard from "../../app/routes/admin.statistics";
import * as audit from "../../app/routes/admin.audit";
import { validAnswers } from "../fixtures/answers";
import { FORGED_PDF_BYTES, PDF_BYTES } from "../fixtures/files";
import { newCitizen, signInAs, type Citizen } from "../fixtures/accounts";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";
import { found } from "../../app/server/platform/http.server";

/**
 * Issue 12, the application form: a draft is saved as typed with nothing checked; every error,
 * files included, comes back in one answer; dates are typed day/month/year and kept as ISO.
 */
const CODE = "1.001193"; // Đăng ký khai sinh: two "Ngày, tháng, năm sinh", file fields, a declaration
const params = { code: CODE };
const { form } = found(await onlineProcedure(CODE));
const fileField = (name: string) => fileFields(form.definition).find((f) => f.name === name);
// Both shown on a blank form and by the default answers (born in a medical facility, the parents married).
const birthNotice = fileField("giay_chung_sinh");
const marriage = fileField("giay_chung_nhan_ket_hon");
if (!birthNotice || !marriage) throw new Error("the seeded form has the birth notice and the marriage certificate");

const draftOf = async (citizen: Citizen) =>
  (
    await db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
      .limit(1)
  )[0];
const attachmentsOf = (dossierId: number) =>
  db().select().from(schema.attachments).where(eq(schema.attachments.dossierId, dossierId)).orderBy(schema.attachments.id);
const send = (citizen: Citizen, values: Record<string, string | string[] | File>) =>
  run(apply.action, post(`/procedures/${CODE}/apply`, formOf(values), citizen.cookie), params);

/** Half a form, with mistakes a person makes before they finish: nothing here is valid yet. */
const halfTyped = {
  applicant_name: "Trần Thị Mai",
  applicant_dob: "31/02/1990",
  applicant_cccd: "12",
  applicant_phone: "09",
  child_dob: "5/12/26",
  birth_place: "Bệnh viện Phụ sản Hà Nội",
  // The declaration is not ticked: the box sends nothing.
};

describe("saving a draft checks nothing and loses nothing", () => {
  it("answers a save with 'Draft saved' and no error, whatever is wrong or missing, and shows every answer again", async () => {
    const citizen = await newCitizen();
    const saved = await send(citizen, { ...halfTyped, intent: "save" });
    expect(saved).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply?saved=1` });
    const page = await run(apply.loader, get(`/procedures/${CODE}/apply?saved=1`, citizen.cookie), params);
    expect(page.status).toBe(200);
    // As typed, mistakes included: the citizen corrects them later.
    expect(page.data).toMatchObject({ values: halfTyped });
    expect((await draftOf(citizen))?.answers).toMatchObject(halfTyped);
  });

  it("keeps the answers and the good file when one file is refused, and names only that file", async () => {
    const citizen = await newCitizen();
    const saved = await send(citizen, {
      ...halfTyped,
      [birthNotice.name]: new File([PDF_BYTES], "giay-chung-sinh.pdf", { type: "application/pdf" }),
      [marriage.name]: new File([FORGED_PDF_BYTES], "ket-hon.pdf", { type: "application/pdf" }),
      intent: "save",
    });
    expect(saved.status).toBe(400);
    // Only what could not be saved: not the declaration, not the date, not the ID number.
    // (The page also gets what the answers show: the form has rules.)
    const { errors, values, saved: savedFlag } = saved.data as { errors: object; values: object; saved: boolean };
    expect({ errors, values, saved: savedFlag }).toEqual({ errors: { [marriage.name]: "form.errors.file_type" }, values: halfTyped, saved: true });
    const draft = await draftOf(citizen);
    expect(draft?.answers).toMatchObject(halfTyped);
    expect((await attachmentsOf(draft?.id ?? -1)).map((a) => a.fieldName)).toEqual([birthNotice.name]);
  });
});

describe("every error in one answer, files included", () => {
  it("reports the wrong file, the file too large, the unticked declaration and the impossible date together", async () => {
    const citizen = await newCitizen();
    const { cam_doan: _declaration, ...answers } = validAnswers(form.definition);
    const tooLarge = new Uint8Array(birthNotice.maxSizeMb * 1024 * 1024 + 1);
    tooLarge.set(PDF_BYTES);
    const res = await send(citizen, {
      ...answers,
      child_dob: "31/02/2024",
      [birthNotice.name]: new File([tooLarge], "giay-chung-sinh.pdf", { type: "application/pdf" }),
      [marriage.name]: new File([FORGED_PDF_BYTES], "ket-hon.pdf", { type: "application/pdf" }),
      intent: "continue",
    });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject({
      errors: {
        cam_doan: "form.errors.must_tick",
        child_dob: "form.errors.date_not_real",
        [birthNotice.name]: "form.errors.file_size",
        [marriage.name]: "form.errors.file_type",
      },
    });
    expect(Object.keys((res.data as { errors: object }).errors).sort()).toEqual([birthNotice.name, marriage.name, "cam_doan", "child_dob"].sort());
    // What was typed is kept in the draft meanwhile.
    expect((await draftOf(citizen))?.answers).toMatchObject({ child_dob: "31/02/2024", applicant_name: answers.applicant_name });
  });
});

describe("dates typed day/month/year", () => {
  it("are taken as typed, shown so on the form, and kept as ISO dates once checked", async () => {
    const citizen = await newCitizen();
    const files = { [birthNotice.name]: new File([PDF_BYTES], "giay-chung-sinh.pdf", { type: "application/pdf" }) };
    const res = await send(citizen, { ...validAnswers(form.definition), applicant_dob: "5/3/1990", child_dob: "01.02.2020", ...files, intent: "continue" });
    expect(res, JSON.stringify(res.data)).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply/check` });
    const checkPage = await run(check.loader, get(`/procedures/${CODE}/apply/check`, citizen.cookie), params);
    expect(checkPage.data).toMatchObject({ answers: { applicant_dob: "1990-03-05", child_dob: "2020-02-01" } });
    const submitted = await run(
      check.action,
      post(`/procedures/${CODE}/apply/check`, formOf({ dossierId: String((await draftOf(citizen))?.id), deliveryMode: "counter" }), citizen.cookie),
      params,
    );
    expect(submitted.status).toBe(302);
    const [dossier] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, citizen.id)).limit(1);
    expect(dossier?.answers).toMatchObject({ applicant_dob: "1990-03-05", child_dob: "2020-02-01" });
  });

  it("refuse a date after today (its message fills in the bound day/month/year: unit-tested with fieldErrorParams)", async () => {
    const citizen = await newCitizen();
    const res = await send(citizen, { ...validAnswers(form.definition), child_dob: "01/01/2099", intent: "continue" });
    expect(res.data).toMatchObject({ errors: { child_dob: "form.errors.date_max" } });
  });
});

describe("the administrators' date filters", () => {
  let admin: { cookie: string };
  beforeAll(async () => {
    admin = await signInAs("quan.tri@example.vn");
  });

  it("statistics: a period typed day/month/year goes to the page's ISO address, and a day that does not exist is said so", async () => {
    const typed = await run(
      dashboard.loader,
      get(`/admin/statistics?${new URLSearchParams({ from: "1/6/2026", to: "14/06/2026", groupBy: "level" })}`, admin.cookie),
    );
    expect(typed).toMatchObject({ status: 302, location: "/admin/statistics?from=2026-06-01&to=2026-06-14&groupBy=level" });
    const iso = await run(dashboard.loader, get("/admin/statistics?from=2026-06-01&to=2026-06-14&groupBy=level", admin.cookie));
    expect(iso.status).toBe(200);
    expect(iso.data).toMatchObject({ values: { from: "2026-06-01", to: "2026-06-14" }, issues: [] });

    const bad = await run(dashboard.loader, get(`/admin/statistics?${new URLSearchParams({ from: "31/06/2026", to: "14/06/26", target: "x" })}`, admin.cookie));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({
      report: null,
      values: { from: "31/06/2026", to: "14/06/26" },
      issues: [
        { field: "from", message: "form.errors.date_not_real" },
        { field: "to", message: "form.errors.date_year" },
        { field: "target", message: "stats.errors.target_invalid" },
      ],
    });
  });

  it("audit: dates typed day/month/year filter the trail", async () => {
    const typed = await run(audit.loader, get(`/admin/audit?${new URLSearchParams({ from: "11/03/2024", to: "12/03/2024" })}`, admin.cookie));
    expect(typed.status).toBe(200);
    expect(typed.data).toMatchObject({ errors: {}, values: { from: "11/03/2024", to: "12/03/2024" } });
    const reversed = await run(audit.loader, get(`/admin/audit?${new URLSearchParams({ from: "12/03/2024", to: "11/03/2024" })}`, admin.cookie));
    expect(reversed.data).toMatchObject({ errors: { to: "admin.errors.range_invalid" } });
  });
});
