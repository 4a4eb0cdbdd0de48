import { describe, expect, it } from "vitest";
import * as track from "../../app/routes/track";
import { newCitizen } from "../fixtures/accounts";
import { submitDossier } from "../fixtures/dossiers";
import { formOf, post, run } from "./helpers";
import { STATUS } from "../../app/core/dossiers/status";

const CODE = "1.001193";

/** A counter dossier whose applicant gave this phone and CCCD: the factors tracking asks for. */
async function submittedDossier() {
  const { receiptCode } = await submitDossier(await newCitizen(), CODE, "counter", { applicant_phone: "0987 111 222", applicant_cccd: "001099007788" });
  return receiptCode;
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
