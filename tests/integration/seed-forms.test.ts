// The reworked seeded forms (issue 16) posted through the apply and check-answers routes as a browser
// would: the birth registration asks for the proof of birth and the father's details the answers call
// for, sends a birth with a foreign element to the counter, and the fees of the copies, the consular
// certification, the passport and the temporary residence follow the answers into the submitted dossier.
// (What each form shows for which answers is unit-tested in tests/unit/seed-forms.test.ts.)
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { found } from "../../app/server/platform/http.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import { validAnswers } from "../fixtures/answers";
import { PDF_BYTES } from "../fixtures/files";
import { newCitizen, type Citizen } from "../fixtures/accounts";
import { dossierByCode, submitDossier } from "../fixtures/dossiers";
import { formOf, post, run } from "./helpers";

const BIRTH = "1.001193";
const { form: birth } = found(await onlineProcedure(BIRTH));
const pdf = (name: string) => new File([PDF_BYTES], name, { type: "application/pdf" });

const send = (citizen: Citizen, values: Record<string, string | string[] | File>) =>
  run(apply.action, post(`/procedures/${BIRTH}/apply`, formOf({ ...validAnswers(birth.definition), ...values, intent: "continue" }), citizen.cookie), {
    code: BIRTH,
  });
const errorsOf = (data: unknown) => z.object({ errors: z.record(z.string(), z.string()) }).parse(data).errors;
const draftOf = async (citizen: Citizen) => (await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, citizen.id)).limit(1))[0];

describe("birth registration, version 2", () => {
  it("asks for the medical birth notice, or for a child born outside a medical facility a witness's or sworn statement", async () => {
    const citizen = await newCitizen();
    const atHome = await send(citizen, { birth_place_type: "ngoai_co_so_y_te" });
    expect(atHome.status).toBe(400);
    expect(errorsOf(atHome.data)).toEqual({ giay_to_thay_giay_chung_sinh: "form.errors.file_required" });
    const withStatement = await send(citizen, { birth_place_type: "ngoai_co_so_y_te", giay_to_thay_giay_chung_sinh: pdf("cam-doan.pdf") });
    expect(withStatement).toMatchObject({ status: 302, location: `/procedures/${BIRTH}/apply/check` });

    const inHospital = await send(await newCitizen(), { birth_place_type: "co_so_y_te" });
    expect(errorsOf(inHospital.data)).toEqual({ giay_chung_sinh: "form.errors.file_required" });
  });

  it("asks for the father only when he is established, and keeps nothing of him otherwise", async () => {
    const citizen = await newCitizen();
    const married = await send(citizen, { father_status: "ket_hon", father_name: "", giay_chung_sinh: pdf("giay-chung-sinh.pdf") });
    expect(errorsOf(married.data)).toEqual({ father_name: "form.errors.required" });
    const unknown = await send(citizen, { father_status: "chua_xac_dinh", father_name: "Nguyễn Văn Nam", father_cccd: "001088012345" });
    expect(unknown).toMatchObject({ status: 302, location: `/procedures/${BIRTH}/apply/check` });
    const answers = (await draftOf(citizen))?.answers;
    expect(answers).toMatchObject({ father_status: "chua_xac_dinh" });
    expect(answers).not.toHaveProperty("father_name");
    expect(answers).not.toHaveProperty("father_cccd");
  });

  it("sends a birth abroad, or to a foreign parent, to the page that says where to go instead", async () => {
    const foreign: Record<string, string>[] = [{ birth_place_type: "nuoc_ngoai" }, { parents_nationality: "nuoc_ngoai" }];
    for (const answer of foreign) {
      const res = await send(await newCitizen(), answer);
      expect(res, JSON.stringify(answer)).toMatchObject({ status: 302, location: `/procedures/${BIRTH}/apply/exit/yeu-to-nuoc-ngoai` });
    }
    const acknowledged = await send(await newCitizen(), { father_status: "nhan_con" });
    expect(acknowledged.location).toBe(`/procedures/${BIRTH}/apply/exit/nhan-cha-con`);
  });
});

describe("fees from the answers, fixed on the submitted dossier", () => {
  const feeOf = async (code: string, overrides: Record<string, string>) => {
    const { receiptCode } = await submitDossier(await newCitizen(), code, "online", overrides);
    return (await dossierByCode(receiptCode))?.feeVnd;
  };

  it("charges each copy of a civil-status extract and each document certified", async () => {
    expect(await feeOf("2.000635", { copies: "3" })).toBe(24_000);
    expect(await feeOf("1.000460", { copies: "2" })).toBe(60_000);
  });

  it("charges 400,000 ₫ for a lost or damaged passport, and nothing for an exempt temporary residence", async () => {
    expect(await feeOf("1.001471", { request_type: "mat_hong" })).toBe(400_000);
    expect(await feeOf("1.001471", { request_type: "het_han" })).toBe(200_000);
    expect(await feeOf("1.004194", { fee_exempt: "co" })).toBe(0);
    expect(await feeOf("1.004194", { fee_exempt: "khong" })).toBe(15_000);
  });
});

describe("repeating groups and several files in the seeded forms", () => {
  const sendTo = async (code: string, citizen: Citizen, values: Record<string, string>, files: Record<string, File[]>) => {
    const { form } = found(await onlineProcedure(code));
    const body = formOf({ ...validAnswers(form.definition), ...values, intent: "continue" });
    for (const [name, list] of Object.entries(files)) for (const file of list) body.append(name, file);
    return run(apply.action, post(`/procedures/${code}/apply`, body, citizen.cookie), { code });
  };
  const attachmentNames = async (dossierId: number) =>
    (await db().select({ fieldName: schema.attachments.fieldName }).from(schema.attachments).where(eq(schema.attachments.dossierId, dossierId))).map(
      (a) => a.fieldName,
    );

  it("household business (1.001612): a household's two other founders are kept as two rows, with the meeting's minutes", async () => {
    const citizen = await newCitizen();
    const household = {
      owner_type: "ho_gia_dinh",
      "founders.rows": "2",
      "founders.0.founder_name": "Vũ Văn Nam",
      "founders.0.founder_dob": "1970-05-01",
      "founders.0.founder_cccd": "001070012345",
      "founders.0.founder_address": "Số 3 phố Nguyễn Du, phường Kinh Bắc, Bắc Ninh",
      "founders.1.founder_name": "Vũ Thị Hạnh",
      "founders.1.founder_dob": "1995-09-12",
      "founders.1.founder_cccd": "001195012345",
      "founders.1.founder_address": "Số 3 phố Nguyễn Du, phường Kinh Bắc, Bắc Ninh",
    };
    const withoutMinutes = await sendTo("1.001612", citizen, household, {});
    expect(errorsOf(withoutMinutes.data)).toEqual({ bien_ban_hop_gia_dinh: "form.errors.file_required" });
    const sent = await sendTo("1.001612", citizen, household, { bien_ban_hop_gia_dinh: [pdf("bien-ban.pdf")] });
    expect(sent).toMatchObject({ status: 302, location: "/procedures/1.001612/apply/check" });
    const draft = await draftOf(citizen);
    expect(draft?.answers).toMatchObject({
      owner_type: "ho_gia_dinh",
      founders: [
        { founder_name: "Vũ Văn Nam", founder_cccd: "001070012345" },
        { founder_name: "Vũ Thị Hạnh", founder_cccd: "001195012345" },
      ],
    });

    // One person alone: no founders asked, and none kept.
    const alone = await newCitizen();
    const single = await sendTo("1.001612", alone, { owner_type: "ca_nhan" }, {});
    expect(single.status).toBe(302);
    expect((await draftOf(alone))?.answers).not.toHaveProperty("founders");
  });

  it("building permit (1.013225): the drawings as several files in one field, the other owners as rows", async () => {
    const citizen = await newCitizen();
    const drawings = ["mat-bang.pdf", "mat-cat.pdf", "mat-dung.pdf", "mong.pdf"].map(pdf);
    const owners = {
      co_owners: "co",
      "owners.rows": "1",
      "owners.0.owner_name": "Trần Văn Bình",
      "owners.0.owner_dob": "1980-02-03",
      "owners.0.owner_cccd": "079080012345",
      "owners.0.owner_address": "Số 8 đường Hai Bà Trưng, phường Tân Định, Thành phố Hồ Chí Minh",
    };
    const sent = await sendTo("1.013225", citizen, owners, { giay_chung_nhan_qsdd: [pdf("so-do.pdf")], ban_ve_thiet_ke: drawings });
    expect(sent).toMatchObject({ status: 302, location: "/procedures/1.013225/apply/check" });
    const draft = await draftOf(citizen);
    expect(draft?.answers).toMatchObject({ co_owners: "co", owners: [{ owner_name: "Trần Văn Bình", owner_cccd: "079080012345" }] });
    const names = await attachmentNames(draft?.id ?? 0);
    expect(names.filter((n) => n === "ban_ve_thiet_ke")).toHaveLength(4);
    expect(names.filter((n) => n === "giay_chung_nhan_qsdd")).toHaveLength(1);
  });
});
