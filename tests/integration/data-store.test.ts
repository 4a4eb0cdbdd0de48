// The citizen's data store (issue 17 item 5): results issued to them and files they sent before are
// listed at /account/documents and can be picked on a new application's file field instead of being
// uploaded again — the same stored file, in one transaction with a `document_reused` event, counted
// as "data reused" on the statistics dashboard. Only the owner's documents are listed, downloadable
// or pickable.
import { and, eq, ne } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { vnDate } from "../../app/core/calendar/working-days";
import { STATUS } from "../../app/core/dossiers/status";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { found } from "../../app/server/platform/http.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import { readStoredFile } from "../../app/server/platform/storage.server";
import { rebuildRollups, verifyRollups } from "../../app/server/statistics/rollup.server";
import { verifyMetrics } from "../../app/server/statistics/verify.server";
import * as documentsPage from "../../app/routes/account.documents";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as attachmentRoute from "../../app/routes/attachments.$id";
import * as resultPdf from "../../app/routes/applications.$receiptCode_.result[.]pdf";
import * as officerAttachment from "../../app/routes/officer.attachments.$id";
import * as dashboard from "../../app/routes/admin.statistics";
import { deliveryAnswer, validAnswers } from "../fixtures/answers";
import { newCitizen, newOfficer, signInAs, type Citizen } from "../fixtures/accounts";
import { issueTestResult, officerFor, submitDossier } from "../fixtures/dossiers";
import { PDF_BYTES } from "../fixtures/files";
import { formOf, get, post, run } from "./helpers";
import { storedKeys } from "./stored-files";

const CODE = "3.000333"; // one file field, giay_to_mien_giam (PDF, JPEG or PNG, 5 MB)
const FIELD = "giay_to_mien_giam";
const BIRTH = "1.001193"; // level 4, its result delivered online
const params = { code: CODE };
const { form, procedure } = found(await onlineProcedure(CODE));
const today = vnDate(new Date());

const DocumentsSchema = z.object({
  documents: z.array(
    z.object({ ref: z.string(), source: z.enum(["upload", "result"]), id: z.number(), fileName: z.string(), receiptCode: z.string(), href: z.string() }),
  ),
});
const PickersSchema = z.object({
  /** The pickers' HTML, made on the server. */
  pickers: z.string(),
  attachments: z.array(z.object({ id: z.number(), fieldName: z.string(), fileName: z.string() })),
});

const listed = async (citizen: Citizen) => {
  const page = await run(documentsPage.loader, get("/account/documents", citizen.cookie));
  expect(page.status).toBe(200);
  return DocumentsSchema.parse(page.data).documents;
};
const formPage = async (citizen: Citizen) => PickersSchema.parse((await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), params)).data);
const pick = (citizen: Citizen, ref: string, values: Record<string, string> = {}) =>
  run(apply.action, post(`/procedures/${CODE}/apply`, formOf({ ...values, [`reuse.${FIELD}`]: ref, intent: `reuse:${FIELD}` }), citizen.cookie), params);

/** What each of the citizen's submitted dossiers holds, from the tables themselves. */
async function ownRows(citizen: Citizen) {
  const uploads = await db()
    .select({ id: schema.attachments.id, key: schema.attachments.storageKey })
    .from(schema.attachments)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.attachments.dossierId))
    .where(and(eq(schema.dossiers.applicantId, citizen.id), ne(schema.dossiers.status, STATUS.draft)));
  const results = await db()
    .select({ id: schema.results.id, key: schema.results.storageKey })
    .from(schema.results)
    .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.results.dossierId))
    .where(eq(schema.dossiers.applicantId, citizen.id));
  return { uploads, results };
}
async function draftOf(citizen: Citizen) {
  const [draft] = await db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft), eq(schema.dossiers.procedureId, procedure.id)));
  if (!draft) throw new Error("no draft");
  return draft;
}
const attachedTo = (dossierId: number) =>
  db()
    .select({ id: schema.attachments.id, fieldName: schema.attachments.fieldName, fileName: schema.attachments.fileName, key: schema.attachments.storageKey })
    .from(schema.attachments)
    .where(eq(schema.attachments.dossierId, dossierId))
    .orderBy(schema.attachments.id);
const reuseEvents = () =>
  db()
    .select({ dossierId: schema.dossierEvents.dossierId, data: schema.dossierEvents.data, procedureId: schema.dossierEvents.procedureId })
    .from(schema.dossierEvents)
    .where(eq(schema.dossierEvents.type, "document_reused"))
    .orderBy(schema.dossierEvents.id);

let admin = { id: 0, cookie: "" };
let agencyCode = "";
/** "Data reused" today on the dashboard, for the procedure's agency. */
async function dataReused() {
  const outcome = await run(dashboard.loader, get(`/admin/statistics?${new URLSearchParams({ from: today, to: today, agency: agencyCode })}`, admin.cookie));
  expect(outcome.status).toBe(200);
  return z.object({ report: z.object({ summary: z.object({ metrics: z.object({ data_reused: z.number() }) }) }) }).parse(outcome.data).report.summary.metrics
    .data_reused;
}
const verified = async () => {
  const rollups = await verifyRollups(db());
  return { rollups: rollups.mismatches, derived: rollups.derived.mismatches, metrics: (await verifyMetrics(db())).mismatches };
};

let alice: Citizen;
let bob: Citizen;
let aliceUpload = { id: 0, key: "" };
let aliceResult = { id: 0, key: "", receiptCode: "" };
let bobUpload = { id: 0, key: "" };

beforeAll(async () => {
  admin = await signInAs("quan.tri@example.vn");
  const [agency] = await db().select().from(schema.agencies).where(eq(schema.agencies.id, procedure.agencyId));
  agencyCode = agency?.code ?? "";
  alice = await newCitizen("Phạm Thị Lan");
  bob = await newCitizen("Đỗ Văn Bình");
  // Alice: a dossier with her file, received; a birth registration whose result was issued to her online.
  const first = await submitDossier(alice, CODE, "counter");
  expect((await applyTransition({ dossierId: first.dossierId, action: "receive", actor: await officerFor(first.dossierId) })).ok).toBe(true);
  const birth = await submitDossier(alice, BIRTH, "online");
  const actor = await officerFor(birth.dossierId);
  for (const action of ["receive", "startProcessing"] as const) expect((await applyTransition({ dossierId: birth.dossierId, action, actor })).ok).toBe(true);
  expect((await issueTestResult({ dossierId: birth.dossierId, actor })).ok).toBe(true);
  // Bob: his own dossier of the same procedure, received.
  const his = await submitDossier(bob, CODE, "counter");
  expect((await applyTransition({ dossierId: his.dossierId, action: "receive", actor: await officerFor(his.dossierId) })).ok).toBe(true);
  const [a] = (await attachedTo(first.dossierId)).filter((r) => r.fieldName === FIELD);
  const [b] = (await attachedTo(his.dossierId)).filter((r) => r.fieldName === FIELD);
  const [r] = await db().select().from(schema.results).where(eq(schema.results.dossierId, birth.dossierId));
  if (!a || !b || !r) throw new Error("fixtures");
  aliceUpload = { id: a.id, key: a.key };
  bobUpload = { id: b.id, key: b.key };
  aliceResult = { id: r.id, key: r.storageKey, receiptCode: birth.receiptCode };
  // Alice's new application: a draft with a file of its own not yet sent (a draft's file is not in the store).
  await run(
    apply.action,
    post(`/procedures/${CODE}/apply`, formOf({ intent: "save", [FIELD]: new File([PDF_BYTES], "nhap.pdf", { type: "application/pdf" }) }), alice.cookie),
    params,
  );
});

describe("the data store at /account/documents", () => {
  it("lists exactly the owner's results and the files of their submitted dossiers, not a draft's file nor anyone else's", async () => {
    const own = await ownRows(alice);
    const docs = await listed(alice);
    expect(docs.filter((d) => d.source === "result").map((d) => d.id)).toEqual(own.results.map((r) => r.id));
    expect(
      docs
        .filter((d) => d.source === "upload")
        .map((d) => d.id)
        .sort(),
    ).toEqual(own.uploads.map((u) => u.id).sort());
    expect(docs.map((d) => d.ref)).toContain(`upload:${aliceUpload.id}`);
    expect(docs.find((d) => d.ref === `result:${aliceResult.id}`)).toMatchObject({ href: `/applications/${aliceResult.receiptCode}/result.pdf` });
    expect(docs.some((d) => d.fileName === "nhap.pdf")).toBe(false);
    const bobs = await listed(bob);
    expect(bobs.map((d) => d.ref)).toEqual([`upload:${bobUpload.id}`]);
    expect(bobs.some((d) => d.ref === `upload:${aliceUpload.id}` || d.source === "result")).toBe(false);
  });

  it("asks a visitor to sign in, and gives another citizen a 404 for the owner's downloads", async () => {
    const anonymous = await run(documentsPage.loader, get("/account/documents"));
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login/);
    const own = await run(attachmentRoute.loader, get(`/attachments/${aliceUpload.id}`, alice.cookie), { id: String(aliceUpload.id) });
    expect(own.status).toBe(200);
    expect((await run(attachmentRoute.loader, get(`/attachments/${aliceUpload.id}`, bob.cookie), { id: String(aliceUpload.id) })).status).toBe(404);
    const result = `/applications/${aliceResult.receiptCode}/result.pdf`;
    expect((await run(resultPdf.loader, get(result, bob.cookie), { receiptCode: aliceResult.receiptCode })).status).toBe(404);
  });
});

describe("picking a document on the form instead of uploading it", () => {
  it("offers the owner's documents on the file field, as radios posting a reuse intent", async () => {
    const page = await formPage(alice);
    const radios = [...page.pickers.matchAll(/<input type="radio" id="[^"]+" name="reuse\.([^"]+)" value="([^"]+)"/g)];
    expect(radios.every((r) => r[1] === FIELD)).toBe(true);
    expect(radios.map((r) => r[2]).sort()).toEqual((await listed(alice)).map((d) => d.ref).sort());
    expect(page.pickers).toContain(`<button type="submit" name="intent" value="reuse:${FIELD}"`);
    // Bob's form offers only his own file.
    const his = await formPage(bob);
    expect([...his.pickers.matchAll(/ value="((?:upload|result):\d+)"/g)].map((r) => r[1])).toEqual([`upload:${bobUpload.id}`]);
  });

  it("refuses someone else's document or one that does not exist with a 404, attaching nothing and logging nothing", async () => {
    const draft = await draftOf(alice);
    const before = await attachedTo(draft.id);
    const keys = await storedKeys();
    expect((await pick(alice, `upload:${bobUpload.id}`)).status).toBe(404);
    expect((await pick(alice, "upload:999999")).status).toBe(404);
    expect((await pick(alice, "result:999999")).status).toBe(404);
    // Bob cannot take Alice's result nor her file either.
    const bobDraftOpened = await run(apply.loader, get(`/procedures/${CODE}/apply`, bob.cookie), params);
    expect(bobDraftOpened.status).toBe(200);
    expect((await pick(bob, `result:${aliceResult.id}`)).status).toBe(404);
    expect((await pick(bob, `upload:${aliceUpload.id}`)).status).toBe(404);
    expect(await attachedTo(draft.id)).toEqual(before);
    expect(await reuseEvents()).toEqual([]);
    expect((await storedKeys()).sort()).toEqual(keys.sort());
    // No choice made: said on the field, nothing attached.
    expect(await pick(alice, "")).toMatchObject({ status: 400, data: { errors: { [FIELD]: "form.errors.file_required" } } });
    expect(await attachedTo(draft.id)).toEqual(before);
  });

  it("attaches the same stored file (no bytes copied) with one document_reused event, counted once with 0 mismatches", async () => {
    const draft = await draftOf(alice);
    const keys = await storedKeys();
    expect(await dataReused()).toBe(0);
    expect(await pick(alice, `upload:${aliceUpload.id}`)).toMatchObject({ status: 302, location: `/procedures/${CODE}/apply#f-${FIELD}` });
    // The field takes one file: the draft's own upload was replaced by the picked one.
    const attached = await attachedTo(draft.id);
    expect(attached.map((a) => ({ field: a.fieldName, key: a.key }))).toEqual([{ field: FIELD, key: aliceUpload.key }]);
    // Nothing new in storage; the replaced draft file is gone, the shared one kept.
    const now = await storedKeys();
    expect(now.length).toBe(keys.length - 1);
    expect(now).toContain(aliceUpload.key);
    expect(await reuseEvents()).toEqual([
      {
        dossierId: draft.id,
        procedureId: procedure.id,
        data: { source: "upload", sourceId: aliceUpload.id, dossier: draft.id, fromDossier: expect.any(Number), field: FIELD },
      },
    ]);
    expect(await dataReused()).toBe(1);
    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
    expect((await formPage(alice)).attachments).toMatchObject([{ fieldName: FIELD }]);
  });

  it("replacing a reused file keeps the original's stored file; the result then behaves like an upload up to the officer's download", async () => {
    const draft = await draftOf(alice);
    expect((await pick(alice, `result:${aliceResult.id}`)).status).toBe(302);
    const [attached] = await attachedTo(draft.id);
    expect(attached?.key).toBe(aliceResult.key);
    // The upload it replaced is still Alice's earlier dossier's file.
    expect(await storedKeys()).toContain(aliceUpload.key);
    expect(await readStoredFile(aliceUpload.key)).toBeTruthy();
    expect(await dataReused()).toBe(2);
    // Continue, the check page lists it, submission keeps it.
    const values = { ...validAnswers(form.definition), ...deliveryAnswer(form.definition, "counter"), intent: "continue" };
    const cont = await run(apply.action, post(`/procedures/${CODE}/apply`, formOf(values), alice.cookie), params);
    expect(cont.location).toBe(`/procedures/${CODE}/apply/check`);
    const checkPage = await run(check.loader, get(`/procedures/${CODE}/apply/check`, alice.cookie), params);
    expect(checkPage.data).toMatchObject({ attachments: [{ fieldName: FIELD, fileName: `ket-qua-${aliceResult.receiptCode}.pdf` }] });
    const sent = await run(
      check.action,
      post(`/procedures/${CODE}/apply/check`, formOf({ dossierId: String(draft.id), deliveryMode: "counter" }), alice.cookie),
      params,
    );
    expect(sent.location).toMatch(/^\/applications\//);
    const officer = await newOfficer(agencyCode);
    const download = await officerAttachment.loader({
      request: get(`/officer/attachments/${attached?.id}`, officer.cookie),
      params: { id: String(attached?.id) },
      context: {},
    });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(await readStoredFile(aliceResult.key))).toBe(true);
    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
    // Recounted from the log (npm run stats:rebuild): the same two reuses.
    await rebuildRollups(db());
    expect(await dataReused()).toBe(2);
    expect(await verified()).toEqual({ rollups: [], derived: [], metrics: [] });
  });
});
