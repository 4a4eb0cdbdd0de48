// Acting for someone else (issue 17 item 4, decision 036), through the real routes: a parent files for their
// own child (the relation from the population record) and is refused for another family's; an adult files for
// another with an authorisation the officer refuses at receipt; a business member files, the owner removes them
// and their next request is 404. The subject sees the dossier filed for them and both are notified.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // The population and business registry are the simulators'; env() is read once, so before any import uses it.
  process.env.SIMULATORS = "on";
});

import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { STATUS } from "../../app/core/dossiers/status";
import { population, signInCandidates } from "../../app/simulators/vneid/population";
import { registry } from "../../app/simulators/business/registry";
import * as forWhom from "../../app/routes/procedures.$code_.apply_.for";
import * as application from "../../app/routes/applications.$receiptCode";
import * as myDossiers from "../../app/routes/applications._index";
import * as businesses from "../../app/routes/account.businesses";
import * as confirmMove from "../../app/routes/officer.dossiers.$receiptCode_.$move";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import * as track from "../../app/routes/track";
import { newCitizen, newOfficer, type Citizen } from "../fixtures/accounts";
import { dossierRow, startedDraft, submitDossier } from "../fixtures/dossiers";
import { PDF_BYTES } from "../fixtures/files";
import { formOf, get, post, run } from "./helpers";

const CODE = "1.001193"; // Đăng ký khai sinh, ha-noi-phuong-hoan-kiem, level 4, free
const AGENCY = "ha-noi-phuong-hoan-kiem";

async function linkVneid(userId: number, cccd: string, level: 1 | 2) {
  const person = population().byCccd.get(cccd);
  await db()
    .insert(schema.userIdentities)
    .values({
      userId,
      provider: "vneid",
      subject: cccd,
      level,
      fullName: person?.fullName ?? "X",
      birthDate: person?.birthDate ?? null,
      lastSignInAt: new Date(),
    });
}

/** Two parents of different families, each with a child, and a business owner (never the same people). */
function people() {
  const pop = population();
  const parents = signInCandidates(pop).filter((r) => pop.residents.some((c) => c.fatherCccd === r.cccd || c.motherCccd === r.cccd));
  const [p1, p2] = parents.filter((p, i, all) => all.findIndex((q) => q.householdId === p.householdId) === i);
  if (!p1 || !p2) throw new Error("the population should have two families with children");
  const childOf = (cccd: string) => pop.residents.find((c) => c.fatherCccd === cccd || c.motherCccd === cccd);
  const business = registry().businesses.find((b) => b.ownerCccd !== p1.cccd && b.ownerCccd !== p2.cccd);
  if (!business) throw new Error("the registry should have a business");
  return { p1, p2, child1: childOf(p1.cccd), child2: childOf(p2.cccd), business };
}

const chooseFor = (citizen: Citizen, values: Record<string, string | File>) =>
  run(forWhom.action, post(`/procedures/${CODE}/apply/for`, formOf(values), citizen.cookie), { code: CODE });
const page = (citizen: Citizen, receiptCode: string) => run(application.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode });
async function listed(citizen: Citizen): Promise<string[]> {
  const out = await run(myDossiers.loader, get("/applications", citizen.cookie));
  const data = out.data as { rows: { receiptCode: string | null }[] };
  return data.rows.flatMap((r) => (r.receiptCode ? [r.receiptCode] : []));
}

describe("filing for one's child", () => {
  let parent: Citizen;
  let otherParent: Citizen;
  let childAccount: Citizen;
  let receiptCode = "";
  let dossierId = 0;
  const p = people();

  beforeAll(async () => {
    if (!p.child1 || !p.child2) throw new Error("parents should have children");
    parent = await newCitizen("Cha Mẹ Một");
    otherParent = await newCitizen("Cha Mẹ Hai");
    childAccount = await newCitizen("Con Một");
    await linkVneid(parent.id, p.p1.cccd, 2);
    await linkVneid(otherParent.id, p.p2.cccd, 2);
    await linkVneid(childAccount.id, p.child1.cccd, 1);
  });

  it("lists the filer's children only with a level-2 VNeID, and refuses without one", async () => {
    const loaded = await run(forWhom.loader, get(`/procedures/${CODE}/apply/for`, parent.cookie), { code: CODE });
    const data = loaded.data as { verified: boolean; children: { cccd: string }[] };
    expect(data.verified).toBe(true);
    expect(data.children.map((c) => c.cccd)).toContain(p.child1?.cccd);
    const unlinked = await newCitizen("Chưa Định Danh");
    const refused = await chooseFor(unlinked, { onBehalf: "child", childCccd: p.child1?.cccd ?? "" });
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ errors: { childCccd: "representation.errors.not_verified" } });
  });

  it("refuses another family's child with a clear 400, keeping the draft's choice as it was", async () => {
    const ok = await chooseFor(parent, { onBehalf: "child", childCccd: p.child1?.cccd ?? "" });
    expect(ok.location).toBe(`/procedures/${CODE}/apply`);
    const tampered = await chooseFor(parent, { onBehalf: "child", childCccd: p.child2?.cccd ?? "" });
    expect(tampered.status).toBe(400);
    expect(tampered.data).toMatchObject({ errors: { childCccd: "representation.errors.not_your_child" } });
    const draft = await startedDraft(parent, CODE);
    expect(draft).toMatchObject({ onBehalf: "child", subjectCccd: p.child1?.cccd, subjectName: p.child1?.fullName });
    const events = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, draft.id), eq(schema.dossierEvents.type, "subject_chosen")));
    expect(events).toHaveLength(1);
  });

  it("submits for the child: the filer and the child see it, another family does not, both are notified", async () => {
    ({ receiptCode, dossierId } = await submitDossier(parent, CODE));
    const row = await dossierRow(dossierId);
    expect(row).toMatchObject({ applicantId: parent.id, onBehalf: "child", subjectCccd: p.child1?.cccd });
    expect((await page(parent, receiptCode)).status).toBe(200);
    const seen = await page(childAccount, receiptCode);
    expect(seen.status).toBe(200);
    expect(seen.data).toMatchObject({ capacity: "subject", forWhom: { onBehalf: "child", subjectName: p.child1?.fullName } });
    expect(await listed(childAccount)).toContain(receiptCode);
    expect(await listed(parent)).toContain(receiptCode);
    expect((await page(otherParent, receiptCode)).status).toBe(404);
    expect(await listed(otherParent)).not.toContain(receiptCode);
    const notes = await db().select().from(schema.notifications).where(eq(schema.notifications.dossierId, dossierId));
    const recipients = notes.filter((n) => n.kind === "email").map((n) => n.recipient);
    expect(recipients).toEqual(expect.arrayContaining([parent.email, childAccount.email]));
  });

  it("shows 'filed by X for Y' on /track and to the officer", async () => {
    const row = await dossierRow(dossierId);
    const tracked = await run(track.action, post("/track", formOf({ code: receiptCode, factor: row.applicantPhone ?? "" })));
    expect(tracked.data).toMatchObject({ found: { forWhom: { onBehalf: "child", subjectName: p.child1?.fullName } } });
    const officer = await newOfficer(AGENCY);
    const seen = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, officer.cookie), { receiptCode });
    expect(seen.data).toMatchObject({ forWhom: { onBehalf: "child", subjectName: p.child1?.fullName } });
  });
});

describe("filing for another adult with an authorisation", () => {
  it("needs the document, then the officer sees it and refuses receipt on it (an event)", async () => {
    const filer = await newCitizen("Người Được Ủy Quyền");
    const missing = await chooseFor(filer, { onBehalf: "authorised", adultName: "Trần Thị Ủy", adultCccd: "001190000123" });
    expect(missing.status).toBe(400);
    expect(missing.data).toMatchObject({ errors: { _authorisation: "representation.errors.authorisation_required" } });
    const chosen = await chooseFor(filer, {
      onBehalf: "authorised",
      adultName: "Trần Thị Ủy",
      adultCccd: "001190000123",
      _authorisation: new File([PDF_BYTES], "uy-quyen.pdf", { type: "application/pdf" }),
    });
    expect(chosen.data).toBeNull();
    expect(chosen.location).toBe(`/procedures/${CODE}/apply`);
    const { receiptCode, dossierId } = await submitDossier(filer, CODE);
    const files = await db().select().from(schema.attachments).where(eq(schema.attachments.dossierId, dossierId));
    expect(files.map((f) => f.fieldName)).toContain("_authorisation");

    const officer = await newOfficer(AGENCY);
    const full = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}?view=full`, officer.cookie), { receiptCode });
    expect(full.data).toMatchObject({ forWhom: { onBehalf: "authorised", subjectName: "Trần Thị Ủy" } });
    const row = await dossierRow(dossierId);
    const refused = await run(
      confirmMove.action,
      post(
        `/officer/dossiers/${receiptCode}/refuse`,
        formOf({ version: String(row.version), confirmed: "yes", reason: "Văn bản ủy quyền không có chữ ký", ground: "authorisation" }),
        officer.cookie,
      ),
      { receiptCode, move: "refuse" },
    );
    expect(refused.status).toBe(302);
    expect((await dossierRow(dossierId)).status).toBe(STATUS.notReceived);
    const checks = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "authorisation_checked")));
    expect(checks.map((e) => e.data)).toEqual([{ outcome: "refused" }]);
    expect(checks[0]?.actorId).toBe(officer.id);
  });
});

describe("filing for a business", () => {
  it("a member files; the owner sees it; removed, the member's next request is 404 and the list drops it", async () => {
    const { business } = people();
    const owner = await newCitizen("Chủ Doanh Nghiệp");
    await linkVneid(owner.id, business.ownerCccd, 2);
    const member = await newCitizen("Thành Viên");
    // Not yet a member: the business is not offered, and a posted tax code is refused.
    const early = await chooseFor(member, { onBehalf: "business", taxCode: business.taxCode });
    expect(early.data).toMatchObject({ errors: { taxCode: "representation.errors.not_your_business" } });

    const added = await run(
      businesses.action,
      post("/account/businesses", formOf({ intent: "add", taxCode: business.taxCode, email: member.email }), owner.cookie),
    );
    expect(added.location).toBe("/account/businesses?done=added");
    // Only the owner manages members.
    const stranger = await newCitizen("Người Lạ");
    const notOwner = await run(
      businesses.action,
      post("/account/businesses", formOf({ intent: "add", taxCode: business.taxCode, email: stranger.email }), member.cookie),
    );
    expect(notOwner.status).toBe(404);

    expect((await chooseFor(member, { onBehalf: "business", taxCode: business.taxCode })).location).toBe(`/procedures/${CODE}/apply`);
    const { receiptCode, dossierId } = await submitDossier(member, CODE);
    expect(await dossierRow(dossierId)).toMatchObject({ onBehalf: "business", subjectTaxCode: business.taxCode, subjectName: business.name });
    expect((await page(owner, receiptCode)).data).toMatchObject({ capacity: "business" });
    expect(await listed(owner)).toContain(receiptCode);
    expect((await page(stranger, receiptCode)).status).toBe(404);

    const removed = await run(
      businesses.action,
      post("/account/businesses", formOf({ intent: "remove", taxCode: business.taxCode, userId: String(member.id) }), owner.cookie),
    );
    expect(removed.location).toBe("/account/businesses?done=removed");
    // The business's dossier is the business's: even the one they filed is gone for them at once, from the page and the list.
    expect((await page(member, receiptCode)).status).toBe(404);
    expect(await listed(member)).not.toContain(receiptCode);
    expect(await listed(owner)).toContain(receiptCode);

    // A dossier the owner filed for the business: the member sees it while a member, and not the moment after removal.
    const readded = await run(
      businesses.action,
      post("/account/businesses", formOf({ intent: "add", taxCode: business.taxCode, email: member.email }), owner.cookie),
    );
    expect(readded.location).toBe("/account/businesses?done=added");
    expect((await chooseFor(owner, { onBehalf: "business", taxCode: business.taxCode })).location).toBe(`/procedures/${CODE}/apply`);
    const ownerFiled = await submitDossier(owner, CODE);
    expect((await page(member, ownerFiled.receiptCode)).data).toMatchObject({ capacity: "business" });
    expect(await listed(member)).toContain(ownerFiled.receiptCode);
    await run(businesses.action, post("/account/businesses", formOf({ intent: "remove", taxCode: business.taxCode, userId: String(member.id) }), owner.cookie));
    expect((await page(member, ownerFiled.receiptCode)).status).toBe(404);
    expect(await listed(member)).not.toContain(ownerFiled.receiptCode);
    const events = await db().select().from(schema.dossierEvents).where(eq(schema.dossierEvents.type, "business_member_removed"));
    expect(events.length).toBeGreaterThanOrEqual(2);
  });
});
