// Verified prefill (issue 17 item 3): answers bound to the filer's or the subject's population record are
// filled in from it, locked at identity level 2 (read-only on the page, replaced on every save and submit
// whatever is posted), listed in dossiers.verified_fields and the submitted event, and marked on the
// check page, the citizen's dossier and the officer's view. Level 1 only fills in; no VNeID, only the name.
import { and, eq } from "drizzle-orm";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createElement, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { STATUS } from "../../app/core/dossiers/status";
import { allFields, fileFields } from "../../app/core/forms/definition";
import { createI18n } from "../../app/i18n";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { populationRecord, type PopulationRecord } from "../../app/server/identity/population.server";
import { db } from "../../app/server/platform/db.server";
import { found } from "../../app/server/platform/http.server";
import { translations } from "../../app/server/platform/i18n.server";
import { schema } from "../../app/server/platform/schema.server";
import { population } from "../../app/simulators/vneid/population";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as receipt from "../../app/routes/applications.$receiptCode";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import { validAnswers } from "../fixtures/answers";
import { newCitizen, newStaff, type Citizen } from "../fixtures/accounts";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { formOf, get, post, run } from "./helpers";

const CODE = "1.001193"; // Đăng ký khai sinh: applicant_* bound to identity.*, child_name/dob/sex to subject.*
const params = { code: CODE };
const IDENTITY_BOUND = ["applicant_name", "applicant_dob", "applicant_cccd", "applicant_address"];
const SUBJECT_BOUND = ["child_name", "child_dob", "child_sex"];
const TAMPERED = { applicant_name: "Kẻ Giả Mạo", applicant_cccd: "079000000000", applicant_dob: "01/01/1970", child_name: "Tên Khác" };

// Mothers the population names a child of (the records are generated from a seed: the same in every run);
// one per test, as a CCCD links to one account only.
const { residents } = population();
const mothers = residents.filter((r) => r.sex === "female" && residents.some((c) => c.motherCccd === r.cccd));
const mother = (test: number) => mothers[test];
const son = residents.find((c) => c.motherCccd === mother(3)?.cccd);
const stranger = residents.find((c) => c.motherCccd && c.motherCccd !== mother(4)?.cccd && c.fatherCccd !== mother(4)?.cccd);

function recordOf(cccd: string | undefined): PopulationRecord {
  const record = cccd ? populationRecord(cccd) : null;
  if (!record) throw new Error(`no population record ${cccd}`);
  return record;
}

/** A citizen account linked to this person's VNeID at this level (as a VNeID sign-in leaves it). */
async function linkedCitizen(person: PopulationRecord, level: 1 | 2): Promise<Citizen> {
  const citizen = await newCitizen("Tên Trong Tài Khoản");
  await db().insert(schema.userIdentities).values({
    userId: citizen.id,
    provider: "vneid",
    subject: person.cccd,
    level,
    fullName: person.fullName,
    birthDate: person.birthDate,
    lastSignInAt: new Date(),
  });
  return citizen;
}

const PageSchema = z.object({
  values: z.record(z.string(), z.unknown()),
  prefilled: z.array(z.string()),
  verified: z.array(z.string()),
  verifiedMark: z.string(),
});

async function openForm(citizen: Citizen) {
  return PageSchema.parse((await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), params)).data);
}

async function draftOf(citizen: Citizen) {
  const [draft] = await db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)));
  if (!draft) throw new Error("no draft");
  return draft;
}

/** The whole form as a browser posts it, with every file and these answers over the valid ones. */
async function postForm(citizen: Citizen, answers: Record<string, string>, intent: "save" | "continue") {
  const { form } = found(await onlineProcedure(CODE));
  const files = Object.fromEntries(
    fileFields(form.definition).map((f) => [
      f.name,
      f.accept.includes("pdf") ? new File([PDF_BYTES], "giay.pdf", { type: "application/pdf" }) : new File([PNG_BYTES], "anh.png", { type: "image/png" }),
    ]),
  );
  return run(
    apply.action,
    post(`/procedures/${CODE}/apply`, formOf({ ...validAnswers(form.definition), ...files, ...answers, intent }), citizen.cookie),
    params,
  );
}

async function submit(citizen: Citizen) {
  const draft = await draftOf(citizen);
  const res = await run(
    check.action,
    post(`/procedures/${CODE}/apply/check`, formOf({ dossierId: String(draft.id), deliveryMode: "counter" }), citizen.cookie),
    params,
  );
  expect(res.status, JSON.stringify(res.data)).toBe(302);
  const [dossier] = await db().select().from(schema.dossiers).where(eq(schema.dossiers.id, draft.id));
  if (!dossier?.receiptCode) throw new Error("not submitted");
  const [event] = await db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, draft.id), eq(schema.dossierEvents.type, "submitted")));
  return { dossier, receiptCode: dossier.receiptCode, event };
}

/** A page as the server renders it (no JavaScript), in Vietnamese. */
async function renderHtml(
  route: { loader: (args: LoaderFunctionArgs) => Promise<unknown>; default: () => ReactNode },
  path: string,
  pattern: string,
  cookie: string,
) {
  const handler = createStaticHandler([
    { id: "page", path: pattern, loader: ({ request, params: p }) => route.loader({ request, params: p, context: {} }), Component: route.default },
  ]);
  const context = await handler.query(get(path, cookie));
  if (context instanceof Response) throw new Error(`answered ${context.status}`);
  const page = createElement(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false });
  return renderToString(createElement(I18nextProvider, { i18n: createI18n("vi", translations.vi) }, page)).replaceAll("<!-- -->", "");
}

/** The draft filed for a child, as the for-whom step records it (that step is tested in representation.test.ts). */
async function fileForChild(citizen: Citizen, kid: { cccd: string; fullName: string }) {
  await openForm(citizen);
  await db()
    .update(schema.dossiers)
    .set({ onBehalf: "child", subjectCccd: kid.cccd, subjectName: kid.fullName })
    .where(eq(schema.dossiers.id, (await draftOf(citizen)).id));
}

describe("verified prefill from the national population database", () => {
  it("the seeded birth registration binds its applicant and child fields to the records", async () => {
    const { form } = found(await onlineProcedure(CODE));
    const bound = allFields(form.definition).flatMap((f) => (f.prefill?.startsWith("identity.") || f.prefill?.startsWith("subject.") ? [f.name] : []));
    expect(bound).toEqual([...IDENTITY_BOUND, ...SUBJECT_BOUND]);
    expect(mothers.length).toBeGreaterThan(5);
    expect(son && stranger).toBeTruthy();
  });

  it("level 2: the draft holds the record's values, locked and marked; a tampered save is overwritten; submission lists exactly the bound fields", async () => {
    const me = recordOf(mother(1)?.cccd);
    const kid = recordOf(residents.find((c) => c.motherCccd === me.cccd)?.cccd);
    const citizen = await linkedCitizen(me, 2);
    // Filing for her child (as the for-whom step records it): the child fields read the child's record.
    await fileForChild(citizen, kid);
    const page = await openForm(citizen);
    const expected = {
      applicant_name: me.fullName,
      applicant_dob: me.birthDate,
      applicant_cccd: me.cccd,
      applicant_address: me.address,
      child_name: kid.fullName,
    };
    expect(page.values).toMatchObject({ ...expected, child_dob: kid.birthDate, child_sex: kid.sex });
    expect(page.verified).toEqual([...IDENTITY_BOUND, ...SUBJECT_BOUND]);
    // Not also "from your account": a verified field has its own mark.
    expect(page.prefilled.filter((n) => IDENTITY_BOUND.includes(n))).toEqual([]);
    expect(page.verifiedMark).toContain("Cơ sở dữ liệu quốc gia về dân cư");

    // A tampered post (the read-only box edited in the browser's tools) is replaced by the record on save.
    const saved = await postForm(citizen, TAMPERED, "save");
    expect(saved.status).toBe(302);
    expect((await draftOf(citizen)).answers).toMatchObject(expected);

    // And on continue.
    const continued = await postForm(citizen, TAMPERED, "continue");
    expect(continued, JSON.stringify(continued.data)).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply/check` });
    // A draft changed behind the form's back (saved before the identity was verified, say) is enforced at submission.
    const draft = await draftOf(citizen);
    await db()
      .update(schema.dossiers)
      .set({ answers: { ...draft.answers, ...TAMPERED } })
      .where(eq(schema.dossiers.id, draft.id));
    const checkPage = z
      .object({ verified: z.array(z.string()), answers: z.record(z.string(), z.unknown()) })
      .parse((await run(check.loader, get(`/procedures/${CODE}/apply/check`, citizen.cookie), params)).data);
    expect(checkPage.answers).toMatchObject({ applicant_name: me.fullName, applicant_cccd: me.cccd });
    expect(checkPage.verified).toEqual([...IDENTITY_BOUND, ...SUBJECT_BOUND]);

    const { dossier, event, receiptCode } = await submit(citizen);
    expect(dossier.answers).toMatchObject(expected);
    expect(dossier).toMatchObject({ applicantName: me.fullName, applicantCccd: me.cccd });
    expect(dossier.verifiedFields).toEqual([...IDENTITY_BOUND, ...SUBJECT_BOUND]);
    expect(event?.data).toMatchObject({ verifiedFields: [...IDENTITY_BOUND, ...SUBJECT_BOUND] });

    // The citizen's dossier page marks those answers (its rows' third cell).
    const mine = z
      .object({ declared: z.array(z.object({ rows: z.array(z.object({ label: z.string(), value: z.string(), action: z.string().optional() })) })) })
      .parse((await run(receipt.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode })).data);
    const marked = mine.declared.flatMap((s) => s.rows).filter((r) => r.action);
    expect(marked.map((r) => r.value)).toContain(me.fullName);
    expect(marked.length).toBe(IDENTITY_BOUND.length + SUBJECT_BOUND.length);
    expect(marked[0]?.action).toBe("Đã xác thực (từ Cơ sở dữ liệu quốc gia về dân cư, qua VNeID)");

    // The officer's full view shows the mark beside those answers, and only those.
    const officer = await newStaff("officer", "ha-noi-phuong-hoan-kiem");
    const html = await renderHtml(officerDossier, `/officer/dossiers/${receiptCode}?view=full`, "/officer/dossiers/:receiptCode", officer.cookie);
    const mark = '<span class="tag tag--verified">Đã xác thực<span class="visually-hidden"> (từ Cơ sở dữ liệu quốc gia về dân cư, qua VNeID)</span></span>';
    expect(html).toContain(`${me.cccd} ${mark}`);
    expect(html.split(mark).length - 1).toBe(IDENTITY_BOUND.length + SUBJECT_BOUND.length);
  });

  it("for oneself (the default): the subject fields ask about another person, so they are neither filled nor locked", async () => {
    const me = recordOf(mother(6)?.cccd);
    const citizen = await linkedCitizen(me, 2);
    const page = await openForm(citizen);
    expect(page.verified).toEqual(IDENTITY_BOUND);
    expect(page.values).toMatchObject({ applicant_name: me.fullName, applicant_cccd: me.cccd });
    for (const name of SUBJECT_BOUND) expect(page.values[name] ?? "", name).toBe("");
    // What she types for the newborn is kept.
    await postForm(citizen, TAMPERED, "continue");
    const { dossier } = await submit(citizen);
    expect(dossier.answers).toMatchObject({ applicant_name: me.fullName, child_name: TAMPERED.child_name });
    expect(dossier.verifiedFields).toEqual(IDENTITY_BOUND);
  });

  it("level 1: filled in from the record but editable and unmarked; what the citizen types is kept", async () => {
    const me = recordOf(mother(2)?.cccd);
    const citizen = await linkedCitizen(me, 1);
    const page = await openForm(citizen);
    expect(page.values).toMatchObject({ applicant_name: me.fullName, applicant_cccd: me.cccd, applicant_address: me.address });
    expect(page.verified).toEqual([]);
    expect(page.verifiedMark).toBe("");
    expect(page.prefilled).toEqual(expect.arrayContaining(IDENTITY_BOUND));

    await postForm(citizen, TAMPERED, "continue");
    const { dossier } = await submit(citizen);
    expect(dossier.answers).toMatchObject({ applicant_name: TAMPERED.applicant_name, applicant_cccd: TAMPERED.applicant_cccd });
    expect(dossier.verifiedFields).toEqual([]);
  });

  it("a password-only account: only the name, from the account, unverified; nothing locked", async () => {
    const citizen = await newCitizen("Phan Văn Mật Khẩu");
    const page = await openForm(citizen);
    expect(page.values.applicant_name).toBe("Phan Văn Mật Khẩu");
    expect(page.values.applicant_cccd).toBeUndefined();
    expect(page.values.child_name).toBeUndefined();
    expect(page.verified).toEqual([]);
    expect(page.prefilled).toContain("applicant_name");
    await postForm(citizen, TAMPERED, "continue");
    const { dossier } = await submit(citizen);
    expect(dossier.answers).toMatchObject({ applicant_name: TAMPERED.applicant_name });
    expect(dossier.verifiedFields).toEqual([]);
  });

  it("filing for a child the record names: the child's name, birth date and sex verified from the child's record", async () => {
    const me = recordOf(mother(3)?.cccd);
    const child = recordOf(son?.cccd);
    const citizen = await linkedCitizen(me, 2);
    await openForm(citizen);
    const draft = await draftOf(citizen);
    // What choosing the subject (another track) leaves on the draft.
    await db().update(schema.dossiers).set({ onBehalf: "child", subjectCccd: child.cccd, subjectName: child.fullName }).where(eq(schema.dossiers.id, draft.id));
    const page = await openForm(citizen);
    expect(page.values).toMatchObject({
      applicant_name: me.fullName,
      applicant_cccd: me.cccd,
      child_name: child.fullName,
      child_dob: child.birthDate,
      child_sex: child.sex,
    });
    expect(page.verified).toEqual([...IDENTITY_BOUND, ...SUBJECT_BOUND]);

    await postForm(citizen, TAMPERED, "continue");
    const { dossier } = await submit(citizen);
    expect(dossier.answers).toMatchObject({ child_name: child.fullName, child_dob: child.birthDate, child_sex: child.sex, applicant_name: me.fullName });
    expect(dossier.verifiedFields).toEqual([...IDENTITY_BOUND, ...SUBJECT_BOUND]);
  });

  it("a child CCCD the record does not name as the filer's: the child fields are not verified (a typed number proves nothing)", async () => {
    const me = recordOf(mother(4)?.cccd);
    const other = recordOf(stranger?.cccd);
    const citizen = await linkedCitizen(me, 2);
    await openForm(citizen);
    const draft = await draftOf(citizen);
    await db().update(schema.dossiers).set({ onBehalf: "child", subjectCccd: other.cccd }).where(eq(schema.dossiers.id, draft.id));
    const page = await openForm(citizen);
    expect(page.verified).toEqual(IDENTITY_BOUND);
    expect(page.values.child_name).not.toBe(other.fullName);
  });

  it("the form page renders verified fields read-only with the mark, and a verified choice offering only its value", async () => {
    const me = recordOf(mother(5)?.cccd);
    const kid = recordOf(residents.find((c) => c.motherCccd === me.cccd)?.cccd);
    const citizen = await linkedCitizen(me, 2);
    await fileForChild(citizen, kid);
    const html = await renderHtml(apply, `/procedures/${CODE}/apply`, "/procedures/:code/apply", citizen.cookie);
    const input = (name: string) => html.match(new RegExp(`<(?:input|textarea)[^>]*name="${name}"[^>]*>`))?.[0] ?? "";
    for (const name of ["applicant_name", "applicant_cccd", "applicant_dob", "applicant_address", "child_name"])
      expect(input(name), name).toMatch(/readOnly=""|readonly=""/);
    expect(input("applicant_phone")).not.toMatch(/readonly/i);
    expect(input("applicant_name")).toContain(`value="${me.fullName}"`);
    expect(input("applicant_name")).toMatch(/aria-describedby="[^"]*f-applicant_name-prefilled/);
    expect(html).toContain("Đã xác thực: lấy từ Cơ sở dữ liệu quốc gia về dân cư qua VNeID, không sửa được tại đây.");
    // The sex radio: one option, checked, posting itself.
    expect(html.match(/name="child_sex"/g)?.length).toBe(1);
    expect(html).toContain(`<input id="f-child_sex" type="radio" name="child_sex" checked="" value="${kid.sex}"/>`);
  });
});
