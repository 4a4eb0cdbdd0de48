// Uploads on the application form (issue 11, problem 7): file names as browsers send them, one file per
// field (a new upload replaces the old one, on disk too), caps per draft, and stored files that no row
// refers to are swept away.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../app/server/platform/schema.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import { db } from "../../app/server/platform/db.server";
import { addAttachment, listAttachments } from "../../app/server/dossiers/dossiers.server";
import { MAX_DRAFT_BYTES, MAX_DRAFT_FILES } from "../../app/core/forms/attachments";
import { sweepStorage } from "../../app/server/platform/storage-sweep.server";
import { storeFile } from "../../app/server/platform/storage.server";
import { ageStoredFile, storedKeys } from "./stored-files";
import { newCitizen } from "../fixtures/accounts";
import { startedDraft } from "../fixtures/dossiers";
import { formOf, get, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";

const CODE = "3.000333"; // one file field, giay_to_mien_giam (PDF, JPEG or PNG, 5 MB)
const FIELD = "giay_to_mien_giam";
const PDF = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`);

async function draftOf(citizenId: number) {
  const [draft] = await db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizenId), eq(schema.dossiers.status, STATUS.draft)))
    .limit(1);
  return draft;
}

async function keysOf(dossierId: number): Promise<string[]> {
  const rows = await db()
    .select({ key: schema.attachments.storageKey })
    .from(schema.attachments)
    .where(eq(schema.attachments.dossierId, dossierId))
    .orderBy(schema.attachments.id);
  return rows.map((r) => r.key);
}

/**
 * A multipart body with one file part, byte for byte as Chromium sends it: the file name inside
 * quotes, `"` as %22, CR and LF as %0D and %0A, everything else (`=`, `;`, Vietnamese letters) raw UTF-8.
 */
function chromiumPost(cookie: string, fileName: string | null, bytes: Uint8Array): Request {
  const boundary = "----WebKitFormBoundaryq1w2e3r4t5y6u7i8";
  // null: no filename parameter at all, as no browser sends but a hand-made client may.
  const disposition = fileName === null ? "" : `; filename="${fileName.replace(/"/g, "%22").replace(/\r/g, "%0D").replace(/\n/g, "%0A")}"`;
  const head = new TextEncoder().encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nsave\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="${FIELD}"${disposition}\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + bytes.length + tail.length);
  body.set(head, 0);
  body.set(bytes, head.length);
  body.set(tail, head.length + bytes.length);
  return new Request(`http://localhost/procedures/${CODE}/apply`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": `multipart/form-data; boundary=${boundary}` },
    body,
  });
}

describe("uploads on the application form", () => {
  it("accepts file names with =, ;, quotes and Vietnamese letters, as Chromium encodes them", async () => {
    const citizen = await newCitizen();
    const cases: [sent: string, shown: string][] = [
      ["a=b.pdf", "a=b.pdf"],
      ["a;b.pdf", "a;b.pdf"],
      ['Giấy "khai" sinh.pdf', "Giấy khai sinh.pdf"], // quotes are left out of the stored display name
      ["Đơn đề nghị; bản 2=cuối.pdf", "Đơn đề nghị; bản 2=cuối.pdf"],
    ];
    for (const [sent, shown] of cases) {
      const res = await run(apply.action, chromiumPost(citizen.cookie, sent, PDF(sent)), { code: CODE });
      expect({ sent, status: res.status, location: res.location }).toEqual({ sent, status: 302, location: `/procedures/${CODE}/apply?saved=1` });
      const page = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), { code: CODE });
      expect(page.data).toMatchObject({ attachments: [{ fieldName: FIELD, fileName: shown }] });
    }
  });

  it("answers a file part sent without any filename (as undici's FormData sends an empty file) instead of crashing the server", async () => {
    // Such a part reached the file handler with an undefined name and threw in a stream callback: the process died.
    const undiciEmpty = (cookie: string) =>
      post(`/procedures/${CODE}/apply`, formOf({ intent: "save", [FIELD]: new File([], "", { type: "application/octet-stream" }) }), cookie);
    for (const request of [undiciEmpty, (cookie: string) => chromiumPost(cookie, null, PDF("khong ten"))]) {
      const citizen = await newCitizen();
      expect(await run(apply.action, request(citizen.cookie), { code: CODE })).toMatchObject({
        status: 302,
        location: `/procedures/${CODE}/apply?saved=1`,
      });
      const page = await run(apply.loader, get(`/procedures/${CODE}/apply`, citizen.cookie), { code: CODE });
      expect(page.status).toBe(200);
      // Nothing named by the sender is stored under a name it did not send.
      for (const a of (page.data as { attachments: { fileName: string }[] }).attachments) expect(a.fileName).toBe("tep-dinh-kem.pdf");
    }
  });

  it("replaces the field's file on every save instead of adding another copy, and removes the old one from disk", async () => {
    const citizen = await newCitizen();
    const earlier: string[] = [];
    for (let i = 1; i <= 7; i++) {
      const res = await run(
        apply.action,
        post(
          `/procedures/${CODE}/apply`,
          formOf({ intent: "save", [FIELD]: new File([PDF(`ban ${i}`)], `ban-${i}.pdf`, { type: "application/pdf" }) }),
          citizen.cookie,
        ),
        { code: CODE },
      );
      expect(res.status).toBe(302);
      earlier.push(...(await keysOf((await draftOf(citizen.id))?.id ?? 0)));
    }
    const draft = await draftOf(citizen.id);
    if (!draft) throw new Error("no draft");
    // The six replaced files are gone from storage, not just from the table.
    const replaced = earlier.slice(0, -1);
    expect(replaced).toHaveLength(6);
    const stored = await storedKeys();
    expect(replaced.filter((key) => stored.includes(key))).toEqual([]);
    expect((await listAttachments(draft.id)).map((a) => [a.fieldName, a.fileName])).toEqual([[FIELD, "ban-7.pdf"]]);
    const keys = await keysOf(draft.id);
    expect(keys).toHaveLength(1);
    expect(stored).toContain(keys[0]);
    // Each save is still recorded.
    const events = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, draft.id), eq(schema.dossierEvents.type, "attachment_added")));
    expect(events).toHaveLength(7);
    // Each replaced file is a removal in the log, so added − removed = the files the draft holds.
    const removed = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, draft.id), eq(schema.dossierEvents.type, "attachment_removed")));
    expect(removed).toHaveLength(6);
    // A save without a new file keeps the one there.
    await run(apply.action, post(`/procedures/${CODE}/apply`, formOf({ intent: "save", applicant_name: "Vũ Thị Lan" }), citizen.cookie), { code: CODE });
    expect(await keysOf(draft.id)).toEqual(keys);
  });

  it("caps the files and bytes one draft may hold", async () => {
    const citizen = await newCitizen();
    const draft = await startedDraft(citizen, CODE);
    const file = async (field: string, bytes: Uint8Array) =>
      await addAttachment({
        dossierId: draft.id,
        applicantId: citizen.id,
        fieldName: field,
        maxFiles: 1,
        fileName: "x.pdf",
        mimeType: "application/pdf",
        bytes,
        sha256: "0".repeat(64),
      });
    for (let i = 0; i < MAX_DRAFT_FILES; i++) expect(await file(`field_${i}`, PDF(String(i)))).toBe("added");
    expect(await file("one_too_many", PDF("x"))).toBe("draft_full");
    expect(await listAttachments(draft.id)).toHaveLength(MAX_DRAFT_FILES);

    const other = await newCitizen();
    const second = await startedDraft(other, CODE);
    const big = new Uint8Array(Math.floor(MAX_DRAFT_BYTES / 2) + 1);
    const add = async (field: string) =>
      await addAttachment({
        dossierId: second.id,
        applicantId: other.id,
        fieldName: field,
        maxFiles: 1,
        fileName: "x.pdf",
        mimeType: "application/pdf",
        bytes: big,
        sha256: "0".repeat(64),
      });
    expect(await add("a")).toBe("added");
    expect(await add("b")).toBe("draft_full");
    // Replacing the same field counts the new file instead of the old one.
    expect(await add("a")).toBe("added");
    const files = await storedKeys();
    expect((await keysOf(second.id)).every((k) => files.includes(k))).toBe(true);
  });

  it("sweeps stored files that no row refers to, once they are old enough not to be an upload in progress", async () => {
    const citizen = await newCitizen();
    await run(
      apply.action,
      post(`/procedures/${CODE}/apply`, formOf({ intent: "save", [FIELD]: new File([PDF("kept")], "kept.pdf", { type: "application/pdf" }) }), citizen.cookie),
      { code: CODE },
    );
    const kept = await keysOf((await draftOf(citizen.id))?.id ?? 0);
    expect(kept).toHaveLength(1);
    const orphanOld = await storeFile(new TextEncoder().encode("left behind"));
    const orphanNew = await storeFile(new TextEncoder().encode("being written"));
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await ageStoredFile(orphanOld, twoHoursAgo);
    await ageStoredFile(kept[0] ?? "", twoHoursAgo);

    const summary = await sweepStorage();
    expect(summary.removed).toBeGreaterThanOrEqual(1);
    const stored = await storedKeys();
    expect(stored).not.toContain(orphanOld);
    expect(stored).toContain(orphanNew);
    expect(stored).toContain(kept[0]);
  });

  it("refuses a post with too many parts or an oversized text part (413), and ignores file parts the form does not have", async () => {
    const citizen = await newCitizen();
    const many = formOf({ intent: "save" });
    for (let i = 0; i < 250; i++) many.append(`x${i}`, "1");
    expect((await run(apply.action, post(`/procedures/${CODE}/apply`, many, citizen.cookie), { code: CODE })).status).toBe(413);
    const stranger = formOf({ intent: "save", not_a_field: new File([PDF("junk")], "junk.pdf", { type: "application/pdf" }) });
    expect((await run(apply.action, post(`/procedures/${CODE}/apply`, stranger, citizen.cookie), { code: CODE })).status).toBe(302);
    expect(await listAttachments((await draftOf(citizen.id))?.id ?? 0)).toEqual([]);
  });
});
