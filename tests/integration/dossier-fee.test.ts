// The fee a dossier is charged is computed from its answers by its form's fee rule (issue 16) and
// fixed when it is submitted: the check page shows it, the payment asks it, the submitted event keeps
// it — and a later change of the procedure's fee changes new dossiers only.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { getScopeProcedure, updateProcedureSettings } from "../../app/server/catalog/procedure-admin.server";
import { startOnlinePayment } from "../fixtures/payments";
import * as check from "../../app/routes/procedures.$code_.apply_.check";
import * as apply from "../../app/routes/procedures.$code_.apply";
import { onlineProcedure } from "../../app/server/dossiers/application.server";
import { found } from "../../app/server/platform/http.server";
import { validAnswers, deliveryAnswer } from "../fixtures/answers";
import { newCitizen, newStaff, type Citizen } from "../fixtures/accounts";
import { submitDossier, dossierByCode } from "../fixtures/dossiers";
import { formOf, get, post, run } from "./helpers";

const CODE = "3.000333"; // criminal-record certificate: 200,000 ₫, 5,000 ₫ more for each copy from the third

/** What the gateway is asked to collect for the dossier, in đồng. */
async function amountAsked(dossierId: number, applicantId: number): Promise<number> {
  return Number((await startOnlinePayment(dossierId, applicantId)).url.searchParams.get("vnp_Amount")) / 100;
}

/** The check page's fee for a citizen's draft with `copies` copies. */
async function checkPageFee(citizen: Citizen, copies: string): Promise<number> {
  const { form } = found(await onlineProcedure(CODE));
  const filled = await run(
    apply.action,
    post(
      `/procedures/${CODE}/apply`,
      formOf({ ...validAnswers(form.definition), ...deliveryAnswer(form.definition, "online"), copies, intent: "continue" }),
      citizen.cookie,
    ),
    { code: CODE },
  );
  expect(filled.status).toBe(302);
  const page = await run(check.loader, get(`/procedures/${CODE}/apply/check`, citizen.cookie), { code: CODE });
  return z.object({ fees: z.object({ plan: z.object({ feeVnd: z.number() }) }) }).parse(page.data).fees.plan.feeVnd;
}

describe("the fee a dossier is charged", () => {
  it("follows the number of copies on the check page, in the payment and in the submitted event", async () => {
    expect(await checkPageFee(await newCitizen(), "2")).toBe(200_000);
    expect(await checkPageFee(await newCitizen(), "3")).toBe(205_000);

    const citizen = await newCitizen();
    const { receiptCode } = await submitDossier(citizen, CODE, "online", { copies: "5" });
    const dossier = await dossierByCode(receiptCode);
    expect(dossier?.feeVnd).toBe(215_000);
    const [event] = await db()
      .select({ data: schema.dossierEvents.data })
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, dossier?.id ?? 0), eq(schema.dossierEvents.type, "submitted")));
    expect(event?.data).toMatchObject({ feeVnd: 215_000 });
    expect(await amountAsked(dossier?.id ?? 0, citizen.id)).toBe(215_000);
  });

  it("is fixed at submission: a later change of the procedure's fee reaches new dossiers only", async () => {
    const before = await newCitizen();
    const { receiptCode } = await submitDossier(before, CODE, "online", { copies: "4" });
    const submitted = await dossierByCode(receiptCode);

    const admin = await newStaff("system_admin", null);
    const current = await getScopeProcedure({ agencyPath: "/", code: CODE });
    if (!current) throw new Error("no procedure");
    const saved = await updateProcedureSettings({
      manager: { id: admin.id, role: "system_admin", agencyPath: "/" },
      code: CODE,
      expectedUpdatedAt: current.updatedAt.getTime(),
      settings: { ...current.settings, feeVnd: 250_000 },
    });
    expect(saved.ok).toBe(true);

    expect(await amountAsked(submitted?.id ?? 0, before.id)).toBe(210_000);
    const after = await newCitizen();
    const next = await dossierByCode((await submitDossier(after, CODE, "online", { copies: "4" })).receiptCode);
    expect(next?.feeVnd).toBe(260_000);
    expect(await amountAsked(next?.id ?? 0, after.id)).toBe(260_000);
  });
});
