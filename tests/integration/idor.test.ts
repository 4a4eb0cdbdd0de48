// Insecure direct object references: every route that takes a receipt code or an id answers 404 for
// a dossier, file or payment that is not the caller's (another citizen's, another agency's), changes
// nothing, and records nothing. Routes enumerated from app/routes (see the list at the end of the file).
import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  // Representatives (issue 17): the population and business registry are the simulators' (env() is read once).
  process.env.SIMULATORS = "on";
});
import { schema } from "../../app/server/platform/schema.server";
import { TRANSITIONS, isTransitionName, STATUS } from "../../app/core/dossiers/status";
import { fileFields } from "../../app/core/forms/definition";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { db } from "../../app/server/platform/db.server";
import * as application from "../../app/routes/applications.$receiptCode";
import * as pay from "../../app/routes/applications.$receiptCode_.pay";
import * as paymentReceipt from "../../app/routes/applications.$receiptCode_.payments.$txnRef.receipt[.]pdf";
import * as rate from "../../app/routes/applications.$receiptCode_.rate";
import * as receiptPdf from "../../app/routes/applications.$receiptCode_.receipt[.]pdf";
import * as resultPdf from "../../app/routes/applications.$receiptCode_.result[.]pdf";
import * as citizenAttachment from "../../app/routes/attachments.$id";
import * as officerAttachment from "../../app/routes/officer.attachments.$id";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import * as confirmMove from "../../app/routes/officer.dossiers.$receiptCode_.$move";
import { resultFieldsOf } from "../../app/core/results/result-fields";
import { validResultValues } from "../fixtures/results";
import * as officerQueue from "../../app/routes/officer._index";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as forWhom from "../../app/routes/procedures.$code_.apply_.for";
import * as supplement from "../../app/routes/applications.$receiptCode_.supplement";
import * as myDossiers from "../../app/routes/applications._index";
import * as businesses from "../../app/routes/account.businesses";
import { population, signInCandidates } from "../../app/simulators/vneid/population";
import { registry } from "../../app/simulators/business/registry";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import { PDF_BYTES } from "../fixtures/files";
import { signInAs, type Account, newCitizen, type Citizen } from "../fixtures/accounts";
import { submitDossier, dossierRow } from "../fixtures/dossiers";
import { formOf, get, post, run } from "./helpers";
import { found } from "../../app/server/platform/http.server";

const A_CODE = "1.001193"; // Đăng ký khai sinh, ha-noi-phuong-hoan-kiem, level 4, free
const A_DRAFT_CODE = "2.000720"; // ha-noi-phuong-hoan-kiem, level 3
const B_CODE = "1.001022"; // bac-ninh-phuong-kinh-bac, level 3
const TXN_REF = "IDORTEST0001";

type World = {
  citizenA: Citizen;
  citizenB: Citizen;
  intruder: Citizen;
  officerA: Account;
  officerB: Account;
  aDossier: { receiptCode: string; dossierId: number; attachmentId: number };
  aDraft: { dossierId: number; attachmentId: number };
  bDossier: { receiptCode: string; dossierId: number; attachmentId: number };
};
let w: World;

type RouteFn = Parameters<typeof run>[0];
type Params = Record<string, string>;

const eventCount = async (dossierId: number) =>
  (await db().select({ n: count() }).from(schema.dossierEvents).where(eq(schema.dossierEvents.dossierId, dossierId)))[0]?.n ?? 0;
const firstAttachment = async (dossierId: number) => {
  const [a] = await db().select().from(schema.attachments).where(eq(schema.attachments.dossierId, dossierId)).orderBy(schema.attachments.id).limit(1);
  if (!a) throw new Error(`dossier ${dossierId} has no attachment`);
  return a.id;
};

async function officerActs(officer: Account, dossier: { receiptCode: string; dossierId: number }, action: string) {
  const { receiptCode } = dossier;
  const version = String((await dossierRow(dossier.dossierId))?.version);
  if (action === "issueResult") {
    // The result, with its content, from its own confirmation page.
    const [procedure] = await db().select({ f: schema.procedures.resultFields }).from(schema.procedures).where(eq(schema.procedures.code, A_CODE)).limit(1);
    const fields = resultFieldsOf(procedure?.f);
    const own = Object.fromEntries(Object.entries(validResultValues(fields)).map(([k, v]) => [`values.${k}`, v]));
    return run(
      confirmMove.action,
      post(`/officer/dossiers/${receiptCode}/issue-result`, formOf({ source: "fields", confirmed: "yes", version, ...own }), officer.cookie),
      { receiptCode, move: "issue-result" },
    );
  }
  return run(officerDossier.action, post(`/officer/dossiers/${receiptCode}`, formOf({ intent: "transition", action, version }), officer.cookie), {
    receiptCode,
  });
}

beforeAll(async () => {
  const citizenA = await newCitizen("Nguyễn Thị An");
  const citizenB = await newCitizen("Trần Văn Bình");
  const intruder = await newCitizen("Kẻ Tò Mò");
  const officerA = await signInAs("can.bo.hoankiem@example.vn");
  const officerB = await signInAs("can.bo.kinhbac@example.vn");
  const a = await submitDossier(citizenA, A_CODE, "online");
  const b = await submitDossier(citizenB, B_CODE, "counter");
  // A draft with one uploaded file: nobody but its owner may read it, officers included.
  const { form } = found(await onlineProcedure(A_DRAFT_CODE));
  const field = fileFields(form.definition).find((f) => f.accept.includes("pdf"));
  if (!field) throw new Error("the draft procedure has no PDF field");
  const saved = await run(
    apply.action,
    post(
      `/procedures/${A_DRAFT_CODE}/apply`,
      formOf({ intent: "save", [field.name]: new File([PDF_BYTES], "ban-sao.pdf", { type: "application/pdf" }) }),
      citizenA.cookie,
    ),
    { code: A_DRAFT_CODE },
  );
  expect(saved.status).toBe(302);
  const [draft] = await db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizenA.id), eq(schema.dossiers.status, STATUS.draft)))
    .limit(1);
  if (!draft) throw new Error("no draft");
  w = {
    citizenA,
    citizenB,
    intruder,
    officerA,
    officerB,
    aDossier: { ...a, attachmentId: await firstAttachment(a.dossierId) },
    aDraft: { dossierId: draft.id, attachmentId: await firstAttachment(draft.id) },
    bDossier: { ...b, attachmentId: await firstAttachment(b.dossierId) },
  };
  // A's dossier is carried to "result ready" by A's officer through the real route, and has a paid
  // payment, so the result and payment-receipt routes have something real to refuse.
  for (const step of ["receive", "startProcessing", "issueResult"]) expect((await officerActs(officerA, a, step)).status).toBe(302);
  expect((await dossierRow(a.dossierId))?.status).toBe(STATUS.resultReady);
  await db()
    .insert(schema.payments)
    .values({
      dossierId: a.dossierId,
      txnRef: TXN_REF,
      feeVnd: 0,
      amountVnd: 10_000,
      postageVnd: 10_000,
      status: "paid",
      paidAt: new Date(),
      expiresAt: new Date(Date.now() + 900_000),
      settledAt: new Date(),
      settledBy: "ipn",
      bankCode: "NCB",
      gatewayTransactionNo: "14000009",
    });
});

describe("an officer of another agency", () => {
  it("gets 404 for the dossier page and 200 for a dossier of their own agency", async () => {
    const { bDossier, aDossier, officerA, officerB } = w;
    const foreign = await run(officerDossier.loader, get(`/officer/dossiers/${bDossier.receiptCode}`, officerA.cookie), { receiptCode: bDossier.receiptCode });
    expect(foreign.status).toBe(404);
    const own = await run(officerDossier.loader, get(`/officer/dossiers/${aDossier.receiptCode}`, officerA.cookie), { receiptCode: aDossier.receiptCode });
    expect(own).toMatchObject({ status: 200, data: { receiptCode: aDossier.receiptCode, status: STATUS.resultReady } });
    const theirs = await run(officerDossier.loader, get(`/officer/dossiers/${bDossier.receiptCode}`, officerB.cookie), { receiptCode: bDossier.receiptCode });
    expect(theirs).toMatchObject({ status: 200, data: { receiptCode: bDossier.receiptCode, status: STATUS.submitted } });
    // The queue lists only the agency's own dossiers.
    const queue = await run(officerQueue.loader, get("/officer", officerA.cookie));
    const codes = JSON.stringify(queue.data);
    expect(codes).toContain(aDossier.receiptCode);
    expect(codes).not.toContain(bDossier.receiptCode);
  });

  it("gets 404 for every action posted against the dossier, which stays unchanged with no new event", async () => {
    const { bDossier, officerA } = w;
    const before = await dossierRow(bDossier.dossierId);
    const eventsBefore = await eventCount(bDossier.dossierId);
    const names = Object.keys(TRANSITIONS).filter(isTransitionName);
    expect(names.length).toBeGreaterThanOrEqual(12);
    for (const action of names) {
      const res = await run(
        officerDossier.action,
        post(
          `/officer/dossiers/${bDossier.receiptCode}`,
          formOf({ intent: "transition", action, version: String(before?.version), reason: "Thiếu giấy tờ" }),
          officerA.cookie,
        ),
        { receiptCode: bDossier.receiptCode },
      );
      expect({ action, status: res.status }).toEqual({ action, status: 404 });
    }
    // The confirmation pages of the irreversible moves: neither shown nor acted on.
    for (const move of ["refuse", "stop", "issue-result", "return-result"]) {
      const params = { receiptCode: bDossier.receiptCode, move };
      const path = `/officer/dossiers/${bDossier.receiptCode}/${move}`;
      expect({ move, status: (await run(confirmMove.loader, get(path, officerA.cookie), params)).status }).toEqual({ move, status: 404 });
      const acted = await run(
        confirmMove.action,
        post(path, formOf({ version: String(before?.version), confirmed: "yes", reason: "Thiếu giấy tờ", source: "fields" }), officerA.cookie),
        params,
      );
      expect({ move, status: acted.status }).toEqual({ move, status: 404 });
    }
    const after = await dossierRow(bDossier.dossierId);
    expect(after).toEqual(before);
    expect(after?.status).toBe(STATUS.submitted);
    expect(await eventCount(bDossier.dossierId)).toBe(eventsBefore);
  });

  it("gets 404 for the dossier's attachment; the agency's own officer downloads it, audited", async () => {
    const { bDossier, officerA, officerB } = w;
    const viewed = () =>
      db()
        .select()
        .from(schema.dossierEvents)
        .where(and(eq(schema.dossierEvents.dossierId, bDossier.dossierId), eq(schema.dossierEvents.type, "attachment_viewed")))
        .orderBy(schema.dossierEvents.id);
    const path = `/officer/attachments/${bDossier.attachmentId}`;
    expect((await run(officerAttachment.loader, get(path, officerA.cookie), { id: String(bDossier.attachmentId) })).status).toBe(404);
    expect(await viewed()).toHaveLength(0);

    const res = await officerAttachment.loader({ request: get(path, officerB.cookie), params: { id: String(bDossier.attachmentId) }, context: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename\*=UTF-8''/);
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Cache-Control")).toBe("private, no-store");
    const [stored] = await db().select().from(schema.attachments).where(eq(schema.attachments.id, bDossier.attachmentId)).limit(1);
    expect(res.headers.get("Content-Type")).toBe(stored?.mimeType);
    expect((await res.arrayBuffer()).byteLength).toBe(stored?.sizeBytes);
    const events = await viewed();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: officerB.id,
      actorRole: "officer",
      agencyId: (await dossierRow(bDossier.dossierId))?.agencyId,
      data: { attachmentId: bDossier.attachmentId, field: stored?.fieldName },
    });
  });

  it("gets 404 for a draft's file even in their own agency, and for ids that are not ids", async () => {
    const { aDraft, officerA } = w;
    const eventsBefore = await eventCount(aDraft.dossierId);
    expect(
      (await run(officerAttachment.loader, get(`/officer/attachments/${aDraft.attachmentId}`, officerA.cookie), { id: String(aDraft.attachmentId) })).status,
    ).toBe(404);
    for (const id of ["0", "-1", "1e3", "abc", "99999999"]) {
      expect((await run(officerAttachment.loader, get(`/officer/attachments/${id}`, officerA.cookie), { id })).status).toBe(404);
    }
    expect(await eventCount(aDraft.dossierId)).toBe(eventsBefore);
  });

  it("sees a sub-agency's dossiers from a parent agency, but not a sibling's", async () => {
    const { aDossier, bDossier } = w;
    const parentAdmin = await signInAs("quan.tri.hanoi@example.vn"); // agency administrator of ha-noi
    const sibling = await signInAs("can.bo.congan.hanoi@example.vn"); // ha-noi-cong-an, beside Hoàn Kiếm
    const open = (who: Account, receiptCode: string) => run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, who.cookie), { receiptCode });
    expect((await open(parentAdmin, aDossier.receiptCode)).status).toBe(200);
    expect((await open(parentAdmin, bDossier.receiptCode)).status).toBe(404);
    expect((await open(sibling, aDossier.receiptCode)).status).toBe(404);
    expect(
      (await run(officerAttachment.loader, get(`/officer/attachments/${aDossier.attachmentId}`, sibling.cookie), { id: String(aDossier.attachmentId) })).status,
    ).toBe(404);
  });
});

describe("a citizen", () => {
  it("gets 404 for every page and file of another citizen's dossier; the owner gets 200", async () => {
    const { aDossier, aDraft, intruder, citizenA } = w;
    const receiptCode = aDossier.receiptCode;
    const routes: { name: string; fn: RouteFn; path: string; params: Params }[] = [
      { name: "applications.$receiptCode", fn: application.loader, path: `/applications/${receiptCode}`, params: { receiptCode } },
      { name: "receipt.pdf", fn: receiptPdf.loader, path: `/applications/${receiptCode}/receipt.pdf`, params: { receiptCode } },
      {
        name: "payments.$txnRef.receipt.pdf",
        fn: paymentReceipt.loader,
        path: `/applications/${receiptCode}/payments/${TXN_REF}/receipt.pdf`,
        params: { receiptCode, txnRef: TXN_REF },
      },
      {
        name: "attachments.$id (submitted)",
        fn: citizenAttachment.loader,
        path: `/attachments/${aDossier.attachmentId}`,
        params: { id: String(aDossier.attachmentId) },
      },
      {
        name: "attachments.$id (draft)",
        fn: citizenAttachment.loader,
        path: `/attachments/${aDraft.attachmentId}`,
        params: { id: String(aDraft.attachmentId) },
      },
      // Last: the owner's first download of the result completes delivery.
      { name: "result.pdf", fn: resultPdf.loader, path: `/applications/${receiptCode}/result.pdf`, params: { receiptCode } },
    ];
    const eventsBefore = await eventCount(aDossier.dossierId);
    for (const r of routes) {
      const res = await run(r.fn, get(r.path, intruder.cookie), r.params);
      expect({ route: r.name, status: res.status }).toEqual({ route: r.name, status: 404 });
    }
    expect(await eventCount(aDossier.dossierId)).toBe(eventsBefore); // no result_downloaded, no completion
    expect((await dossierRow(aDossier.dossierId))?.status).toBe(STATUS.resultReady);
    for (const r of routes) {
      const res = await run(r.fn, get(r.path, citizenA.cookie), r.params);
      expect({ route: r.name, status: res.status }).toEqual({ route: r.name, status: 200 });
    }
  });

  it("gets 404 posting to pay or rate another citizen's dossier, and nothing is written", async () => {
    const { bDossier, intruder } = w;
    const receiptCode = bDossier.receiptCode;
    const payments = async () => (await db().select({ n: count() }).from(schema.payments).where(eq(schema.payments.dossierId, bDossier.dossierId)))[0]?.n;
    const ratings = async () => (await db().select({ n: count() }).from(schema.ratings).where(eq(schema.ratings.dossierId, bDossier.dossierId)))[0]?.n;
    const eventsBefore = await eventCount(bDossier.dossierId);
    const paid = await run(pay.action, post(`/applications/${receiptCode}/pay`, new FormData(), intruder.cookie), { receiptCode });
    expect(paid.status).toBe(404);
    const rated = await run(rate.action, post(`/applications/${receiptCode}/rate`, formOf({ rating: "not_satisfied", comment: "x" }), intruder.cookie), {
      receiptCode,
    });
    expect(rated.status).toBe(404);
    expect(await payments()).toBe(0);
    expect(await ratings()).toBe(0);
    expect(await eventCount(bDossier.dossierId)).toBe(eventsBefore);
  });

  it("cannot submit or strip another citizen's draft by posting its ids", async () => {
    const { aDraft, intruder } = w;
    const submitted = await run(
      check.action,
      post(`/procedures/${A_DRAFT_CODE}/apply/check`, formOf({ dossierId: String(aDraft.dossierId), deliveryMode: "counter" }), intruder.cookie),
      { code: A_DRAFT_CODE },
    );
    expect(submitted.status).toBe(404);
    // The remove button names an attachment id; the intruder's post only ever touches the intruder's own draft.
    const removed = await run(
      apply.action,
      post(`/procedures/${A_DRAFT_CODE}/apply`, formOf({ intent: "save", removeAttachment: String(aDraft.attachmentId) }), intruder.cookie),
      { code: A_DRAFT_CODE },
    );
    expect(removed.status).toBe(302);
    expect((await db().select().from(schema.attachments).where(eq(schema.attachments.id, aDraft.attachmentId)))[0]).toBeDefined();
    expect(await dossierRow(aDraft.dossierId)).toMatchObject({ status: STATUS.draft, receiptCode: null, applicantId: w.citizenA.id });
  });

  it("gets 403 from the officer workspace: queue, dossier page, action and attachment", async () => {
    const { bDossier, citizenB } = w;
    const before = await dossierRow(bDossier.dossierId);
    const receiptCode = bDossier.receiptCode;
    expect((await run(officerQueue.loader, get("/officer", citizenB.cookie))).status).toBe(403);
    expect((await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, citizenB.cookie), { receiptCode })).status).toBe(403);
    const acted = await run(
      officerDossier.action,
      post(`/officer/dossiers/${receiptCode}`, formOf({ intent: "transition", action: "receive", version: String(before?.version) }), citizenB.cookie),
      { receiptCode },
    );
    expect(acted.status).toBe(403);
    expect(
      (await run(officerAttachment.loader, get(`/officer/attachments/${bDossier.attachmentId}`, citizenB.cookie), { id: String(bDossier.attachmentId) }))
        .status,
    ).toBe(403);
    expect((await run(confirmMove.loader, get(`/officer/dossiers/${receiptCode}/refuse`, citizenB.cookie), { receiptCode, move: "refuse" })).status).toBe(403);
    expect(await dossierRow(bDossier.dossierId)).toEqual(before);
  });

  it("a system administrator (no dossier permission) gets 403 from the officer workspace too", async () => {
    const admin = await signInAs("quan.tri@example.vn");
    const { bDossier } = w;
    expect(
      (await run(officerDossier.loader, get(`/officer/dossiers/${bDossier.receiptCode}`, admin.cookie), { receiptCode: bDossier.receiptCode })).status,
    ).toBe(403);
    expect(
      (await run(officerAttachment.loader, get(`/officer/attachments/${bDossier.attachmentId}`, admin.cookie), { id: String(bDossier.attachmentId) })).status,
    ).toBe(403);
  });
});

describe("representatives (issue 17)", () => {
  const linkVneid = async (userId: number, cccd: string) => {
    await db().insert(schema.userIdentities).values({ userId, provider: "vneid", subject: cccd, level: 2, fullName: "X", lastSignInAt: new Date() });
  };
  const fileFor = async (citizen: Citizen, values: Record<string, string>) => {
    const chosen = await run(forWhom.action, post(`/procedures/${A_CODE}/apply/for`, formOf(values), citizen.cookie), { code: A_CODE });
    expect(chosen.location).toBe(`/procedures/${A_CODE}/apply`);
    const filed = await submitDossier(citizen, A_CODE, "online");
    return { ...filed, attachmentId: await firstAttachment(filed.dossierId) };
  };
  /** Every citizen route of one dossier, GET and POST, as this citizen: the statuses, and whether My dossiers lists it. */
  const sweep = async (citizen: Citizen, d: { receiptCode: string; dossierId: number; attachmentId: number }) => {
    const receiptCode = d.receiptCode;
    const id = String(d.attachmentId);
    const eventsBefore = await eventCount(d.dossierId);
    const statuses = {
      page: (await run(application.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode })).status,
      receipt: (await run(receiptPdf.loader, get(`/applications/${receiptCode}/receipt.pdf`, citizen.cookie), { receiptCode })).status,
      attachment: (await run(citizenAttachment.loader, get(`/attachments/${id}`, citizen.cookie), { id })).status,
      supplement: (await run(supplement.loader, get(`/applications/${receiptCode}/supplement`, citizen.cookie), { receiptCode })).status,
      pay: (await run(pay.action, post(`/applications/${receiptCode}/pay`, new FormData(), citizen.cookie), { receiptCode })).status,
      rate: (await run(rate.action, post(`/applications/${receiptCode}/rate`, formOf({ rating: "satisfied" }), citizen.cookie), { receiptCode })).status,
      result: (await run(resultPdf.loader, get(`/applications/${receiptCode}/result.pdf`, citizen.cookie), { receiptCode })).status,
    };
    const rows = (await run(myDossiers.loader, get("/applications", citizen.cookie))).data as { rows: { receiptCode: string | null }[] };
    return { statuses, listed: rows.rows.some((r) => r.receiptCode === receiptCode), newEvents: (await eventCount(d.dossierId)) - eventsBefore };
  };
  const ALL_404 = { page: 404, receipt: 404, attachment: 404, supplement: 404, pay: 404, rate: 404, result: 404 };

  it("a parent gets 404 on every route of another family's dossier filed for their child, and nothing is written", async () => {
    const pop = population();
    const parents = signInCandidates(pop).filter((r) => pop.residents.some((c) => c.fatherCccd === r.cccd || c.motherCccd === r.cccd));
    const [p1, p2] = parents.filter((p, i, all) => all.findIndex((q) => q.householdId === p.householdId) === i);
    const child2 = pop.residents.find((c) => c.fatherCccd === p2?.cccd || c.motherCccd === p2?.cccd);
    if (!p1 || !p2 || !child2) throw new Error("two families with children expected");
    const parent1 = await newCitizen("Phụ Huynh Một");
    const parent2 = await newCitizen("Phụ Huynh Hai");
    await linkVneid(parent1.id, p1.cccd);
    await linkVneid(parent2.id, p2.cccd);
    const theirs = await fileFor(parent2, { onBehalf: "child", childCccd: child2.cccd });
    expect(await sweep(parent1, theirs)).toEqual({ statuses: ALL_404, listed: false, newEvents: 0 });
    // The owner of the dossier reads it (the sweep's 404s are not a broken route).
    expect((await sweep(parent2, theirs)).statuses).toMatchObject({ page: 200, receipt: 200, attachment: 200 });
  });

  it("a business member removed by the owner loses every route of the business's dossiers at once", async () => {
    const business = registry().businesses.at(-1);
    if (!business) throw new Error("a business expected");
    const owner = await newCitizen("Chủ Cơ Sở");
    const member = await newCitizen("Nhân Viên");
    await linkVneid(owner.id, business.ownerCccd);
    const add = formOf({ intent: "add", taxCode: business.taxCode, email: member.email });
    expect((await run(businesses.action, post("/account/businesses", add, owner.cookie))).status).toBe(302);
    const filed = await fileFor(owner, { onBehalf: "business", taxCode: business.taxCode });
    const before = await sweep(member, filed);
    expect(before.statuses).toMatchObject({ page: 200, receipt: 200, attachment: 200 });
    expect(before.listed).toBe(true);
    const remove = formOf({ intent: "remove", taxCode: business.taxCode, userId: String(member.id) });
    expect((await run(businesses.action, post("/account/businesses", remove, owner.cookie))).status).toBe(302);
    expect(await sweep(member, filed)).toEqual({ statuses: ALL_404, listed: false, newEvents: 0 });
  });
});

describe("nobody signed in", () => {
  it("is sent to /login from every guarded route, with the way back", async () => {
    const { aDossier } = w;
    const receiptCode = aDossier.receiptCode;
    const id = String(aDossier.attachmentId);
    const cases: { fn: RouteFn; req: Request; params: Params }[] = [
      { fn: officerQueue.loader, req: get("/officer"), params: {} },
      { fn: officerDossier.loader, req: get(`/officer/dossiers/${receiptCode}`), params: { receiptCode } },
      { fn: officerDossier.action, req: post(`/officer/dossiers/${receiptCode}`, formOf({ action: "receive", version: "1" })), params: { receiptCode } },
      { fn: officerAttachment.loader, req: get(`/officer/attachments/${id}`), params: { id } },
      { fn: confirmMove.loader, req: get(`/officer/dossiers/${receiptCode}/refuse`), params: { receiptCode, move: "refuse" } },
      {
        fn: confirmMove.action,
        req: post(`/officer/dossiers/${receiptCode}/issue-result`, formOf({ confirmed: "yes", version: "1" })),
        params: { receiptCode, move: "issue-result" },
      },
      { fn: application.loader, req: get(`/applications/${receiptCode}`), params: { receiptCode } },
      { fn: receiptPdf.loader, req: get(`/applications/${receiptCode}/receipt.pdf`), params: { receiptCode } },
      { fn: resultPdf.loader, req: get(`/applications/${receiptCode}/result.pdf`), params: { receiptCode } },
      { fn: paymentReceipt.loader, req: get(`/applications/${receiptCode}/payments/${TXN_REF}/receipt.pdf`), params: { receiptCode, txnRef: TXN_REF } },
      { fn: pay.action, req: post(`/applications/${receiptCode}/pay`, new FormData()), params: { receiptCode } },
      { fn: rate.action, req: post(`/applications/${receiptCode}/rate`, formOf({ rating: "satisfied" })), params: { receiptCode } },
      { fn: citizenAttachment.loader, req: get(`/attachments/${id}`), params: { id } },
      {
        fn: check.action,
        req: post(`/procedures/${A_DRAFT_CODE}/apply/check`, formOf({ dossierId: "1", deliveryMode: "counter" })),
        params: { code: A_DRAFT_CODE },
      },
    ];
    for (const c of cases) {
      const res = await run(c.fn, c.req, c.params);
      const back = new URL(c.req.url).pathname;
      expect({ url: c.req.url, status: res.status, location: res.location }).toEqual({
        url: c.req.url,
        status: 302,
        location: `/login?${new URLSearchParams({ redirectTo: back })}`,
      });
    }
  });
});

/*
 * Routes in app/routes that take a receipt code or an id, and what guards them:
 *   officer.dossiers.$receiptCode and its confirmation pages officer.dossiers.$receiptCode_.$move (loader, action) — agency
 *   subtree; officer.attachments.$id — agency subtree, no drafts
 *   applications.$receiptCode, _.receipt[.]pdf, _.result[.]pdf, _.payments.$txnRef.receipt[.]pdf, _.pay, _.rate,
 *   attachments.$id — owner only; procedures.$code_.apply (removeAttachment id), _.apply_.check (dossierId) — owner's draft only.
 * Public by design, with a second factor or a signature instead of a session: track (receipt code + phone/CCCD),
 * verify (verification code), payments.return and api.v1.payments.ipn (signed), post-sim.$trackingNumber and
 * gateway.vnpay.* (simulators).
 */
