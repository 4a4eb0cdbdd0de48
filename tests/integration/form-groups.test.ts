// Repeating groups and fields that take several files (issue 16), posted through the apply and
// check-answers routes as a browser without JavaScript would: "Add another" and "Remove" post back
// and keep what was typed, each row is checked and its errors named as its inputs are, the check
// page and the officer see every row, the stored dossier holds the rows, and a drawings field takes
// up to its number of files — a post that would pass it is refused whole.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import { STATUS } from "../../app/core/dossiers/status";
import { PDF_BYTES } from "../fixtures/files";
import { newCitizen, newStaff, type Citizen } from "../fixtures/accounts";
import { publishTestForm } from "../fixtures/forms";
import type { FormDefinitionInput } from "../../app/core/forms/definition";
import { formOf, get, post, run } from "./helpers";

const CODE = "1.001612";
const params = { code: CODE };
const FORM = {
  sections: [
    {
      title: { vi: "Hộ kinh doanh", en: "Household business" },
      fields: [
        { type: "text", name: "business_name", label: { vi: "Tên hộ kinh doanh", en: "Business name" } },
        {
          type: "group",
          name: "founders",
          label: { vi: "Thành viên hộ gia đình góp vốn", en: "Household members contributing capital" },
          rowLabel: { vi: "Thành viên", en: "Member" },
          minRows: 1,
          maxRows: 3,
          fields: [
            { type: "text", name: "founder_name", label: { vi: "Họ và tên", en: "Full name" } },
            { type: "cccd", name: "founder_cccd", label: { vi: "Số định danh cá nhân", en: "Personal ID number" } },
          ],
        },
        { type: "file", name: "drawings", label: { vi: "Sơ đồ địa điểm kinh doanh", en: "Site plans" }, accept: ["pdf"], maxFiles: 3 },
      ],
    },
  ],
  // The fee, for the test: the procedure's, and 10,000 ₫ per member past the first.
  fee: { "+": [{ var: "procedure_fee" }, { "*": [10000, { "-": [{ count: { var: "founders" } }, 1] }] }] },
} satisfies Omit<FormDefinitionInput, "version">;
const published = await publishTestForm(CODE, FORM);

const pdf = (name: string) => new File([PDF_BYTES], name, { type: "application/pdf" });
const row = (i: number, name: string, cccd = "001099012345") => ({ [`founders.${i}.founder_name`]: name, [`founders.${i}.founder_cccd`]: cccd });
const postApply = (citizen: Citizen, values: Record<string, string>, files: File[] = []) => {
  const form = formOf(values);
  for (const file of files) form.append("drawings", file);
  return run(apply.action, post(`/procedures/${CODE}/apply`, form, citizen.cookie), params);
};
const draftOf = async (citizen: Citizen) => (await db().select().from(schema.dossiers).where(eq(schema.dossiers.applicantId, citizen.id)).limit(1))[0];
const errorsOf = (data: unknown) => z.object({ errors: z.record(z.string(), z.string()) }).parse(data).errors;
const drawingsOf = async (dossierId: number) =>
  (
    await db()
      .select()
      .from(schema.attachments)
      .where(and(eq(schema.attachments.dossierId, dossierId), eq(schema.attachments.fieldName, "drawings")))
  ).length;

describe("a repeating group and a field of several files", () => {
  it("shows a required group's first row, adds and removes rows by posting back, keeping what was typed", async () => {
    const citizen = await newCitizen();
    const page = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), params);
    expect(page.status).toBe(200);

    const added = await postApply(citizen, { business_name: "Tạp hoá Lan", "founders.rows": "1", ...row(0, "Vũ Thị Lan"), intent: "add:founders" });
    expect(added).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply#f-founders-row-1` });
    expect((await draftOf(citizen))?.answers).toEqual({
      business_name: "Tạp hoá Lan",
      founders: [{ founder_name: "Vũ Thị Lan", founder_cccd: "001099012345" }, {}],
    });

    const removed = await postApply(citizen, {
      business_name: "Tạp hoá Lan",
      "founders.rows": "2",
      ...row(0, "Vũ Thị Lan"),
      ...row(1, "Vũ Văn Nam"),
      intent: "remove:founders:0",
    });
    expect(removed.status).toBe(302);
    expect((await draftOf(citizen))?.answers).toMatchObject({ founders: [{ founder_name: "Vũ Văn Nam" }] });

    // Past the group's maximum nothing is added, and nothing typed is lost.
    const full = { business_name: "Lan", "founders.rows": "3", ...row(0, "A"), ...row(1, "B"), ...row(2, "C") };
    await postApply(citizen, { ...full, intent: "add:founders" });
    expect((await draftOf(citizen))?.answers).toMatchObject({ founders: [{ founder_name: "A" }, { founder_name: "B" }, { founder_name: "C" }] });
  });

  it("checks every row and names each error as its input is named", async () => {
    const citizen = await newCitizen();
    const refused = await postApply(citizen, { business_name: "Lan", "founders.rows": "2", ...row(0, "Lan"), ...row(1, "", "123"), intent: "continue" }, [
      pdf("so-do.pdf"),
    ]);
    expect(refused.status).toBe(400);
    expect(errorsOf(refused.data)).toEqual({ "founders.1.founder_name": "form.errors.required", "founders.1.founder_cccd": "form.errors.cccd" });
    const none = await postApply(citizen, { business_name: "Lan", "founders.rows": "0", intent: "continue" });
    expect(errorsOf(none.data)).toEqual({ founders: "form.errors.required" });
  });

  it("takes several files in one field up to its limit, and refuses a post that would pass it whole", async () => {
    const citizen = await newCitizen();
    const values = { business_name: "Lan", "founders.rows": "1", ...row(0, "Lan"), intent: "save" };
    await postApply(citizen, values, [pdf("1.pdf"), pdf("2.pdf")]);
    const draft = await draftOf(citizen);
    expect(await drawingsOf(draft?.id ?? 0)).toBe(2);
    const over = await postApply(citizen, values, [pdf("3.pdf"), pdf("4.pdf")]);
    expect(over.status).toBe(400);
    expect(errorsOf(over.data)).toEqual({ drawings: "form.errors.too_many_files" });
    expect(await drawingsOf(draft?.id ?? 0)).toBe(2);
    const tooMany = await postApply(citizen, values, [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf"), pdf("d.pdf")]);
    expect(errorsOf(tooMany.data)).toEqual({ drawings: "form.errors.too_many_files" });
    await postApply(citizen, values, [pdf("3.pdf")]);
    expect(await drawingsOf(draft?.id ?? 0)).toBe(3);
  });

  it("lists every row on the check page, charges the fee the rows come to, and stores the rows for the officer", async () => {
    const citizen = await newCitizen();
    const sent = await postApply(
      citizen,
      { business_name: "Tạp hoá Lan", "founders.rows": "2", ...row(0, "Vũ Thị Lan"), ...row(1, "Vũ Văn Nam", "001099012346"), intent: "continue" },
      [pdf("so-do-1.pdf"), pdf("so-do-2.pdf")],
    );
    expect(sent).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply/check` });
    const page = await run(check.loader, get(`/procedures/${CODE}/apply/check`, citizen.cookie), params);
    const shown = z
      .object({ answers: z.record(z.string(), z.unknown()), attachments: z.array(z.object({ fieldName: z.string() })), fees: z.object({ plan: z.unknown() }) })
      .parse(page.data);
    expect(shown.answers.founders).toEqual([
      { founder_name: "Vũ Thị Lan", founder_cccd: "001099012345" },
      { founder_name: "Vũ Văn Nam", founder_cccd: "001099012346" },
    ]);
    expect(shown.attachments.map((a) => a.fieldName)).toEqual(["drawings", "drawings"]);
    expect(JSON.stringify(shown.fees.plan)).toContain("110000");

    const draft = await draftOf(citizen);
    const submitted = await run(
      check.action,
      post(`/procedures/${CODE}/apply/check`, formOf({ dossierId: String(draft?.id), deliveryMode: "online" }), citizen.cookie),
      params,
    );
    expect(submitted.status).toBe(302);
    const [dossier] = await db()
      .select()
      .from(schema.dossiers)
      .where(and(eq(schema.dossiers.id, draft?.id ?? 0), eq(schema.dossiers.status, STATUS.submitted)));
    expect(dossier?.feeVnd).toBe(110000);
    expect(dossier?.answers).toMatchObject({ founders: [{ founder_name: "Vũ Thị Lan" }, { founder_name: "Vũ Văn Nam" }] });

    const officer = await newStaff("officer", "bac-ninh-phuong-kinh-bac");
    const receiptCode = dossier?.receiptCode ?? "";
    const view = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}?view=full`, officer.cookie), { receiptCode });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.data)).toContain("Vũ Văn Nam");

    // A newer version published since (the members' name relabelled): the dossier still shows its own.
    const newer = await publishTestForm(CODE, {
      ...FORM,
      sections: published.sections.map((section) => ({
        ...section,
        fields: section.fields.map((f) => (f.type === "group" ? { ...f, label: { vi: "Người góp vốn", en: "Contributors" } } : f)),
      })),
    });
    expect(newer.version).toBe(published.version + 1);
    const later = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}?view=full`, officer.cookie), { receiptCode });
    const own = z.object({ definition: z.object({ version: z.number() }) }).parse(later.data);
    expect(own.definition.version).toBe(published.version);
    expect(JSON.stringify(later.data)).toContain("Thành viên hộ gia đình góp vốn");
    expect(JSON.stringify(later.data)).not.toContain("Người góp vốn");
  });
});
