import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { signParams, toVnpAmount } from "../../app/core/payments/vnpay";
import { db } from "../../app/server/platform/db.server";
import { env } from "../../app/server/platform/env.server";
import { startPayment } from "../../app/server/payments/payments.server";
import { newCitizen } from "../fixtures/accounts";
import { submitDossier } from "../fixtures/dossiers";

const exec = promisify(execFile);

describe("IPN across processes", () => {
  it("four processes sending 250 duplicate IPNs each at once change the payment exactly once", async () => {
    const citizen = await newCitizen();
    const { dossierId } = await submitDossier(citizen, "3.000333", "online");
    const started = await startPayment({
      dossierId,
      applicantId: citizen.id,
      ipAddr: "127.0.0.1",
      locale: "vi",
      returnUrl: "http://localhost/payments/return",
    });
    if (started.kind !== "redirect") throw new Error("not payable");
    const params = {
      vnp_Amount: toVnpAmount(200_000),
      vnp_BankCode: "NCB",
      vnp_PayDate: "20261122103000",
      vnp_ResponseCode: "00",
      vnp_TmnCode: env().PAYMENT_TMN_CODE,
      vnp_TransactionNo: "14000002",
      vnp_TransactionStatus: "00",
      vnp_TxnRef: started.txnRef,
    };
    const query = new URLSearchParams({ ...params, vnp_SecureHash: signParams(params, env().PAYMENT_HASH_SECRET) }).toString();
    const startAt = Date.now() + 2500;
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        exec(process.execPath, ["--import", "tsx", "tests/fixtures/ipn-worker.ts"], {
          env: { ...process.env, IPN_QUERY: query, IPN_COUNT: "250", START_AT: String(startAt), SEED_ON_START: "false" },
          timeout: 60_000,
        }),
      ),
    );
    const totals: Record<string, number> = {};
    for (const r of runs)
      for (const [code, n] of Object.entries(z.record(z.string(), z.number()).parse(JSON.parse(r.stdout)))) totals[code] = (totals[code] ?? 0) + n;
    expect(totals).toEqual({ "00": 1, "02": 999 });
    const confirmed = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.dossierId, dossierId), eq(schema.dossierEvents.type, "payment_confirmed")));
    expect(confirmed).toHaveLength(1);
  }, 90_000);
});
