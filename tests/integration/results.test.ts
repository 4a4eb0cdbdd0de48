import { and, eq } from "drizzle-orm";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import * as citizenDossier from "../../app/routes/applications.$receiptCode";
import * as resultPdf from "../../app/routes/applications.$receiptCode_.result[.]pdf";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import * as confirmMove from "../../app/routes/officer.dossiers.$receiptCode_.$move";
import { db } from "../../app/server/platform/db.server";
import { verifyResult } from "../../app/server/results/results.server";
import { applyTransition } from "../../app/server/dossiers/workflow.server";
import { FORGED_PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { pdfText } from "../fixtures/pdf-text";
import { newCitizen, newStaff, type Citizen, type Staff } from "../fixtures/accounts";
import { submitDossier, dossierRow } from "../fixtures/dossiers";
import { formOf, get, post, run } from "./helpers";
import { storedKeys } from "./stored-files";
import { STATUS } from "../../app/core/dossiers/status";

/**
 * Officers issue real results (issue 12): the result needs its content — the procedure's result
 * fields, from which the e-result is made, or the signed PDF, which is what the citizen downloads —
 * and every irreversible move is posted from its own confirmation page.
 */
const BIRTH = "1.001193"; // Đăng ký khai sinh: level 4, free, Hoàn Kiếm ward; result fields: certificate number, book, personal ID, notes
const AGENCY = "ha-noi-phuong-hoan-kiem";

const resultOf = async (id: number) => (await db().select().from(schema.results).where(eq(schema.results.dossierId, id)).limit(1))[0];
const eventsOf = (id: number, type: string) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, id), eq(schema.dossierEvents.type, type)))
    .orderBy(schema.dossierEvents.id);
const storedFiles = async () => (await storedKeys()).length;

/** A dossier the officer has received and started: ready for its result. */
async function inProcessing(delivery: "online" | "counter" | "post" = "online") {
  const citizen = await newCitizen("Trần Thị Mai");
  const officer = await newStaff("officer", AGENCY, "Nguyễn Văn Cán");
  const { dossierId, receiptCode } = await submitDossier(citizen, BIRTH, delivery);
  const actor = { id: officer.id, role: "officer" as const, agencyPath: await agencyPath() };
  for (const action of ["receive", "startProcessing"] as const) expect((await applyTransition({ dossierId, action, actor })).ok).toBe(true);
  return { citizen, officer, dossierId, receiptCode };
}

async function agencyPath() {
  const [row] = await db().select({ path: schema.agencies.path }).from(schema.agencies).where(eq(schema.agencies.code, AGENCY)).limit(1);
  return row?.path ?? "";
}

/** A post to an issue/refuse/stop/return page, as its form sends it. */
async function confirmPost(officer: Staff, receiptCode: string, move: string, values: Record<string, string | File>) {
  const [row] = await db().select({ v: schema.dossiers.version }).from(schema.dossiers).where(eq(schema.dossiers.receiptCode, receiptCode)).limit(1);
  const version = String(row?.v);
  return run(confirmMove.action, post(`/officer/dossiers/${receiptCode}/${move}`, formOf({ version, ...values }), officer.cookie), { receiptCode, move });
}

const FILLED = {
  source: "fields",
  confirmed: "yes",
  "values.certificate_number": "125/2026",
  "values.register_book": "02",
  "values.personal_id": "001226000125",
  "values.notes": "Đăng ký đúng hạn.",
};

async function download(citizen: Citizen, receiptCode: string) {
  const res = await resultPdf.loader({ request: get(`/applications/${receiptCode}/result.pdf`, citizen.cookie), params: { receiptCode }, context: {} });
  return { bytes: new Uint8Array(await res.arrayBuffer()), disposition: res.headers.get("Content-Disposition") ?? "", type: res.headers.get("Content-Type") };
}

describe("issuing a result needs the result itself", { timeout: 60_000 }, () => {
  it("refuses the move without a result, with a message that says where to give it, and loses nothing", async () => {
    const { officer, dossierId, receiptCode } = await inProcessing();
    const before = { dossier: await dossierRow(dossierId), files: await storedFiles(), events: (await eventsOf(dossierId, "status_changed")).length };

    // The old one-click post (even claiming confirmation) no longer issues anything.
    const oneClick = await run(
      officerDossier.action,
      post(
        `/officer/dossiers/${receiptCode}`,
        formOf({ intent: "transition", action: "issueResult", version: String(before.dossier?.version), confirmed: "yes" }),
        officer.cookie,
      ),
      { receiptCode },
    );
    expect(oneClick).toMatchObject({ status: 400, data: { error: "officer.errors.result_required" } });
    // The state machine itself refuses it, whoever calls.
    expect(await applyTransition({ dossierId, action: "issueResult", actor: { id: officer.id, role: "officer", agencyPath: await agencyPath() } })).toEqual({
      ok: false,
      error: "result_required",
    });

    // The issue page with the fields half filled: each missing one named, what was typed sent back.
    const half = await confirmPost(officer, receiptCode, "issue-result", {
      ...FILLED,
      "values.certificate_number": "  ",
      "values.personal_id": "0012260001259999",
    });
    expect(half).toMatchObject({
      status: 400,
      data: {
        errors: { "values.certificate_number": "form.errors.required", "values.personal_id": "form.errors.too_long" },
        values: { register_book: "02", notes: "Đăng ký đúng hạn.", personal_id: "0012260001259999" },
        source: "fields",
      },
    });
    // Chose to upload, without a file; with a file that is not a PDF (a PNG, an executable named .pdf).
    expect(await confirmPost(officer, receiptCode, "issue-result", { source: "upload", confirmed: "yes" })).toMatchObject({
      status: 400,
      data: { errors: { result_file: "officer.errors.result_file_required" } },
    });
    for (const [bytes, name] of [
      [PNG_BYTES, "ket-qua.png"],
      [FORGED_PDF_BYTES, "ket-qua.pdf"],
    ] as const) {
      const wrong = await confirmPost(officer, receiptCode, "issue-result", {
        source: "upload",
        confirmed: "yes",
        result_file: new File([new Uint8Array(bytes)], name, { type: "application/pdf" }),
      });
      expect(wrong, name).toMatchObject({ status: 400, data: { errors: { result_file: "form.errors.file_type" } } });
    }

    // Nothing moved, nothing was written, no file left behind.
    expect(await dossierRow(dossierId)).toMatchObject({ status: STATUS.processing, version: before.dossier?.version });
    expect(await resultOf(dossierId)).toBeUndefined();
    expect(await eventsOf(dossierId, "status_changed")).toHaveLength(before.events);
    expect(await eventsOf(dossierId, "result_issued")).toHaveLength(0);
    expect(await storedFiles()).toBe(before.files);
  });

  it("makes the e-result from the filled result fields: the citizen's PDF says them, /verify vouches for it", async () => {
    const { citizen, officer, dossierId, receiptCode } = await inProcessing("online");
    const page = await run(confirmMove.loader, get(`/officer/dossiers/${receiptCode}/issue-result`, officer.cookie), { receiptCode, move: "issue-result" });
    expect(page).toMatchObject({ status: 200, data: { move: "issueResult", possible: true, deliveryMode: "online", applicantName: "Nguyễn Thị Hoa" } });
    expect(JSON.stringify(page.data)).toContain("Số Giấy khai sinh");

    const issued = await confirmPost(officer, receiptCode, "issue-result", FILLED);
    expect(issued).toMatchObject({ status: 302, location: `/officer/dossiers/${receiptCode}?done=issueResult` });
    // One transaction: the status, the result row, its events.
    expect(await dossierRow(dossierId)).toMatchObject({ status: STATUS.resultReady });
    const row = await resultOf(dossierId);
    expect(row).toMatchObject({
      source: "fields",
      fileName: null,
      content: { certificate_number: "125/2026", register_book: "02", personal_id: "001226000125", notes: "Đăng ký đúng hạn." },
    });
    expect((await eventsOf(dossierId, "result_issued"))[0]).toMatchObject({ actorId: officer.id, data: { delivery: "online", source: "fields" } });
    expect((await eventsOf(dossierId, "status_changed")).at(-1)).toMatchObject({ fromStatus: 4, toStatus: 9, actorId: officer.id });

    // The officer's page and the citizen's page show what the result says.
    const officerPage = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, officer.cookie), { receiptCode });
    expect(officerPage.data).toMatchObject({
      result: {
        source: "fields",
        verificationCode: row?.verificationCode,
        rows: [
          { label: "Số Giấy khai sinh", value: "125/2026" },
          { label: "Quyển số (sổ đăng ký)", value: "02" },
          { label: "Số định danh cá nhân của trẻ", value: "001226000125" },
          { label: "Ghi chú", value: "Đăng ký đúng hạn." },
        ],
      },
    });
    const citizenPage = await run(citizenDossier.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode });
    expect(citizenPage.data).toMatchObject({
      resultReady: true,
      result: { rows: [{ value: "125/2026" }, { value: "02" }, { value: "001226000125" }, { value: "Đăng ký đúng hạn." }] },
    });

    const file = await download(citizen, receiptCode);
    expect(file.type).toBe("application/pdf");
    expect(file.disposition).toContain(`ket-qua-${receiptCode}.pdf`);
    const text = await pdfText(file.bytes);
    for (const line of [
      "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
      "Thủ tục: Đăng ký khai sinh (1.001193)",
      `Mã hồ sơ: ${receiptCode}`,
      "Số Giấy khai sinh: 125/2026",
      "Quyển số (sổ đăng ký): 02",
      "Số định danh cá nhân của trẻ: 001226000125",
      "Đăng ký đúng hạn.",
      "Cán bộ giải quyết: Nguyễn Văn Cán",
      `Mã xác thực: ${row?.verificationCode}`,
    ]) {
      expect(text, line).toContain(line);
    }
    expect(await verifyResult({ code: row?.verificationCode })).toMatchObject({ status: "authentic" });
    expect(await verifyResult({ file: file.bytes })).toMatchObject({ status: "authentic", code: row?.verificationCode });
    // The first download completed delivery.
    expect((await dossierRow(dossierId))?.status).toBe(STATUS.returned);
  });

  it("gives the citizen the uploaded signed PDF itself, byte for byte, under its own name, and /verify knows it", async () => {
    const { citizen, officer, dossierId, receiptCode } = await inProcessing("online");
    const signed = await PDFDocument.create();
    const page = signed.addPage();
    page.drawText("QUYET DINH so 99/QD-UBND (signed)", { font: await signed.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
    const bytes = await signed.save();

    const issued = await confirmPost(officer, receiptCode, "issue-result", {
      source: "upload",
      confirmed: "yes",
      "values.certificate_number": "",
      result_file: new File([new Uint8Array(bytes)], "quyet-dinh-99.pdf", { type: "application/pdf" }),
    });
    expect(issued).toMatchObject({ status: 302 });
    expect(await resultOf(dossierId)).toMatchObject({ source: "upload", fileName: "quyet-dinh-99.pdf", content: null });
    expect((await eventsOf(dossierId, "result_issued"))[0]?.data).toEqual({ delivery: "online", source: "upload" });

    const file = await download(citizen, receiptCode);
    expect(Buffer.from(file.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(file.disposition).toContain("quyet-dinh-99.pdf");
    expect(await pdfText(file.bytes)).toContain("QUYET DINH so 99/QD-UBND (signed)");
    expect(await verifyResult({ file: bytes })).toMatchObject({ status: "authentic", code: (await resultOf(dossierId))?.verificationCode });
    const officerPage = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, officer.cookie), { receiptCode });
    expect(officerPage.data).toMatchObject({ result: { source: "upload", fileName: "quyet-dinh-99.pdf", rows: [] } });
  });

  it("keeps the result for a dossier delivered at the counter, without an online download", async () => {
    const { citizen, officer, dossierId, receiptCode } = await inProcessing("counter");
    expect(await confirmPost(officer, receiptCode, "issue-result", FILLED)).toMatchObject({ status: 302 });
    expect(await resultOf(dossierId)).toMatchObject({ source: "fields" });
    const citizenPage = await run(citizenDossier.loader, get(`/applications/${receiptCode}`, citizen.cookie), { receiptCode });
    expect(citizenPage.data).toMatchObject({
      resultReady: false,
      result: { rows: [{ value: "125/2026" }, { value: "02" }, { value: "001226000125" }, { value: "Đăng ký đúng hạn." }] },
    });
    expect((await run(resultPdf.loader, get(`/applications/${receiptCode}/result.pdf`, citizen.cookie), { receiptCode })).status).toBe(404);
  });
});

describe("irreversible moves are confirmed on their own page", { timeout: 60_000 }, () => {
  it("refuses a post that skipped the confirmation, on the dossier page and on the confirmation page, and changes nothing", async () => {
    const citizen = await newCitizen();
    const officer = await newStaff("officer", AGENCY);
    const submitted = await submitDossier(citizen, BIRTH, "counter");
    const processing = await inProcessing("counter");
    const cases: { d: { dossierId: number; receiptCode: string }; action: string; slug: string; extra: Record<string, string> }[] = [
      { d: submitted, action: "refuse", slug: "refuse", extra: { reason: "Không thuộc thẩm quyền" } },
      { d: processing, action: "stop", slug: "stop", extra: { reason: "Người nộp đề nghị dừng" } },
      { d: processing, action: "issueResult", slug: "issue-result", extra: { ...FILLED, confirmed: "" } },
    ];
    for (const c of cases) {
      const version = String((await dossierRow(c.d.dossierId))?.version);
      const direct = await run(
        officerDossier.action,
        post(`/officer/dossiers/${c.d.receiptCode}`, formOf({ intent: "transition", action: c.action, version, ...c.extra }), officer.cookie),
        { receiptCode: c.d.receiptCode },
      );
      expect(direct, c.action).toMatchObject({ status: 400, data: { error: "officer.errors.confirm_required" } });
      const skipped = await confirmPost(officer, c.d.receiptCode, c.slug, c.extra);
      expect(skipped, c.slug).toMatchObject({ status: 400 });
      expect(JSON.stringify(skipped.data), c.slug).toContain("officer.errors.confirm_required");
      expect((await dossierRow(c.d.dossierId))?.version, c.action).toBe(Number(version));
    }
    expect(await resultOf(processing.dossierId)).toBeUndefined();

    // Reversible moves are still one click.
    const received = await run(
      officerDossier.action,
      post(
        `/officer/dossiers/${submitted.receiptCode}`,
        formOf({ intent: "transition", action: "receive", version: String((await dossierRow(submitted.dossierId))?.version) }),
        officer.cookie,
      ),
      { receiptCode: submitted.receiptCode },
    );
    expect(received.status).toBe(302);
  });

  it("shows what will happen, asks for the reason, and moves the dossier from the confirmation page", async () => {
    const citizen = await newCitizen();
    const officer = await newStaff("officer", AGENCY);
    const { dossierId, receiptCode } = await submitDossier(citizen, BIRTH, "counter");
    const dossierPage = await run(officerDossier.loader, get(`/officer/dossiers/${receiptCode}`, officer.cookie), { receiptCode });
    expect(dossierPage.data).toMatchObject({
      actions: [
        { name: "receive", confirmAt: null },
        { name: "refuse", confirmAt: `/officer/dossiers/${receiptCode}/refuse` },
      ],
    });

    const page = await run(confirmMove.loader, get(`/officer/dossiers/${receiptCode}/refuse`, officer.cookie), { receiptCode, move: "refuse" });
    expect(page).toMatchObject({ status: 200, data: { move: "refuse", possible: true, status: STATUS.submitted, procedure: { code: BIRTH } } });
    const noReason = await confirmPost(officer, receiptCode, "refuse", { confirmed: "yes", reason: "  " });
    expect(noReason).toMatchObject({ status: 400, data: { errors: { reason: "officer.errors.reason_required" } } });
    const tooLong = await confirmPost(officer, receiptCode, "refuse", { confirmed: "yes", reason: "x".repeat(1001) });
    expect(tooLong).toMatchObject({ status: 400, data: { errors: { reason: "officer.errors.reason_too_long" }, reason: "x".repeat(1001) } });
    expect((await dossierRow(dossierId))?.status).toBe(STATUS.submitted);

    const refused = await confirmPost(officer, receiptCode, "refuse", { confirmed: "yes", reason: "Hồ sơ không thuộc thẩm quyền của phường." });
    expect(refused).toMatchObject({ status: 302, location: `/officer/dossiers/${receiptCode}?done=refuse` });
    expect((await dossierRow(dossierId))?.status).toBe(STATUS.notReceived);
    expect((await eventsOf(dossierId, "status_changed")).at(-1)).toMatchObject({
      toStatus: 3,
      actorId: officer.id,
      data: { action: "refuse", reason: "Hồ sơ không thuộc thẩm quyền của phường." },
    });

    // Afterwards the page says the move is no longer possible, and a replayed post is refused.
    const stale = await run(confirmMove.loader, get(`/officer/dossiers/${receiptCode}/refuse`, officer.cookie), { receiptCode, move: "refuse" });
    expect(stale.data).toMatchObject({ possible: false });
    expect(await confirmPost(officer, receiptCode, "refuse", { confirmed: "yes", reason: "Lần nữa" })).toMatchObject({
      status: 400,
      data: { error: "officer.errors.not_allowed_from_status" },
    });
  });

  it("hands the result over from its page, and answers 404 for other pages, other agencies and citizens", async () => {
    const { officer, dossierId, receiptCode } = await inProcessing("counter");
    expect(await confirmPost(officer, receiptCode, "issue-result", FILLED)).toMatchObject({ status: 302 });
    expect(await confirmPost(officer, receiptCode, "return-result", {})).toMatchObject({ status: 400, data: { error: "officer.errors.confirm_required" } });
    expect(await confirmPost(officer, receiptCode, "return-result", { confirmed: "yes" })).toMatchObject({
      status: 302,
      location: `/officer/dossiers/${receiptCode}?done=returnResult`,
    });
    expect((await dossierRow(dossierId))?.status).toBe(STATUS.returned);

    const other = await newStaff("officer", "bac-ninh-phuong-kinh-bac");
    const stranger = await newCitizen();
    for (const [cookie, move] of [
      [officer.cookie, "receive"],
      [officer.cookie, "issueResult"],
      [other.cookie, "refuse"],
    ] as const) {
      expect((await run(confirmMove.loader, get(`/officer/dossiers/${receiptCode}/${move}`, cookie), { receiptCode, move })).status, move).toBe(404);
    }
    expect(
      (
        await run(confirmMove.action, post(`/officer/dossiers/${receiptCode}/stop`, formOf({ confirmed: "yes", version: "1", reason: "x" }), other.cookie), {
          receiptCode,
          move: "stop",
        })
      ).status,
    ).toBe(404);
    expect((await run(confirmMove.loader, get(`/officer/dossiers/${receiptCode}/refuse`, stranger.cookie), { receiptCode, move: "refuse" })).status).toBe(403);
  });
});
