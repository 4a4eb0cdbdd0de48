import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as schema from "../../db/schema";
import { fileFields } from "../../app/core/forms/definition";
import { db } from "../../app/server/platform/db.server";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import * as apply from "../../app/routes/procedures.$code_.apply";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as track from "../../app/routes/track";
import { validAnswers } from "../fixtures/answers";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { formOf, newCitizen, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";
import { found } from "../../app/server/platform/http.server";

const CODE = "1.001193";

async function submittedDossier() {
  const citizen = await newCitizen();
  const { form } = found(await onlineProcedure(CODE));
  const files = Object.fromEntries(
    fileFields(form.definition).map((f) => [f.name, f.accept.includes("pdf") ? new File([PDF_BYTES], "a.pdf") : new File([PNG_BYTES], "a.png")]),
  );
  const answers = { ...validAnswers(form.definition), applicant_phone: "0987 111 222", applicant_cccd: "001099007788" };
  await run(apply.action, post(`/procedures/${CODE}/apply`, formOf({ ...answers, ...files, intent: "continue" }), citizen.cookie), { code: CODE });
  const draft = db()
    .select()
    .from(schema.dossiers)
    .where(and(eq(schema.dossiers.applicantId, citizen.id), eq(schema.dossiers.status, STATUS.draft)))
    .get();
  const res = await run(
    check.action,
    post(`/procedures/${CODE}/apply/check`, formOf({ dossierId: String(draft?.id), deliveryMode: "counter" }), citizen.cookie),
    { code: CODE },
  );
  const code = res.location?.match(/^\/applications\/([^?]+)/)?.[1];
  if (!code) throw new Error(`no receipt: ${JSON.stringify(res)}`);
  return code;
}

const lookup = (code: string, factor: string) => run(track.action, post("/track", formOf({ code, factor })));

describe("public tracking", () => {
  it("shows the status and timeline for the code with the phone or the last 4 CCCD digits", async () => {
    const code = await submittedDossier();
    for (const factor of ["0987111222", "+84 987 111 222", "7788"]) {
      const res = await lookup(code, factor);
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ found: { receiptCode: code, status: STATUS.submitted, timeline: [{ status: STATUS.submitted }] } });
    }
    // People type codes in lower case and with spaces.
    expect((await lookup(code.toLowerCase().replaceAll("-", " "), "7788")).status).toBe(200);
  });

  it("reveals nothing for a wrong pair: the same answer as for a code that does not exist", async () => {
    const code = await submittedDossier();
    const wrong = await lookup(code, "0900000000");
    const wrongDigits = await lookup(code, "1234");
    const unknown = await lookup("261122-ABCDEF-" + "0", "0987111222");
    expect(wrong).toEqual({ status: 404, location: null, data: { errors: { code: "track.errors.no_match" }, code: expect.any(String), found: null } });
    expect(wrongDigits.data).toEqual(wrong.data);
    expect([400, 404]).toContain(unknown.status);
    expect(unknown.data).toMatchObject({ found: null });
  });

  it("stops guessing after ten wrong attempts on one code", async () => {
    const code = await submittedDossier();
    for (let i = 0; i < 10; i++) expect((await lookup(code, String(1000 + i))).status).toBe(404);
    expect((await lookup(code, "7788")).status).toBe(429);
  });
});
