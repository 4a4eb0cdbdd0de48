// Builds a benchmark database through the portal's own code, then writes the manifest the load
// generator needs. Run as a child process by tests/bench/load/run.ts: its environment (DATABASE_PATH,
// secrets) names the database, which bootstrap() migrates and (SEED_ON_START) seeds first.
//   --citizens N   N citizens, each with a session and the open draft of SUBMIT_CODE that the apply
//                  page's loader starts when a citizen opens the form (one submission each)
//   --payments P   P submitted IPN_CODE dossiers, each with a pending online payment
import argon2 from "argon2";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { count, sql } from "drizzle-orm";
import * as z from "zod";
import { schema } from "../../../app/server/platform/schema.server";
import { signParams, type VnpParams } from "../../../app/core/payments/vnpay";
import { fileFields } from "../../../app/core/forms/definition";
import { draftAnswers } from "../../../app/core/forms/answers-schema";
import { onlineProcedure, validateDraft } from "../../../app/server/dossiers/application.server";
import { bootstrap } from "../../../app/server/platform/bootstrap.server";
import { db, inTransaction } from "../../../app/server/platform/db.server";
import { getOrStartDraft, submitDraft } from "../../../app/server/dossiers/dossiers.server";
import { env } from "../../../app/server/platform/env.server";
import { startPayment } from "../../../app/server/payments/payments.server";
import { signIn } from "../../../app/server/auth/session.server";
import { validAnswers } from "../../fixtures/answers";
import { IPN_CODE, SUBMIT_CODE, SUBMIT_DELIVERY, type Manifest } from "./shared";
import { found } from "../../../app/server/platform/http.server";

const ArgsSchema = z.object({
  manifest: z.string().min(1),
  citizens: z.coerce.number().int().min(0).default(0),
  payments: z.coerce.number().int().min(0).default(0),
});
const args = ArgsSchema.parse(parseArgs({ options: { manifest: { type: "string" }, citizens: { type: "string" }, payments: { type: "string" } } }).values);

const FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"];
const GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Huy", "Ngọc Lan", "Thanh Tùng", "Hải Yến", "Gia Bảo"];
const nameOf = (i: number) => `${FAMILY[i % FAMILY.length]} ${GIVEN[Math.floor(i / FAMILY.length) % GIVEN.length]}`;

/** Accounts written straight to the table (setting up a benchmark is not a registration), one shared hash. */
async function createAccounts(count: number, prefix: string): Promise<number[]> {
  const passwordHash = await argon2.hash("bench-only-password-2026", { type: argon2.argon2id });
  const stamp = Date.now();
  return inTransaction(async (tx) => {
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const [user] = await tx
        .insert(schema.users)
        .values({
          email: `${prefix}${i}-${stamp}@example.vn`,
          fullName: nameOf(i),
          phone: "0903123456",
          phoneConfirmedAt: new Date(stamp),
          passwordHash,
          role: "citizen",
        })
        .returning({ id: schema.users.id });
      if (!user) throw new Error("the new account's row was not returned");
      ids.push(user.id);
    }
    return ids;
  });
}

/** A session cookie through the same signIn the login action uses. */
async function sessionCookie(userId: number): Promise<string> {
  const response = await signIn(new Request("http://bench.local/login"), userId, "/");
  return (response.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

/** The apply form as the browser encodes it: every answer, the empty file input, and the Continue button. */
async function applyForm(): Promise<{ body: string; contentType: string }> {
  const { form } = found(await onlineProcedure(SUBMIT_CODE));
  const data = new FormData();
  for (const [name, value] of Object.entries(validAnswers(form.definition))) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(name, v);
  }
  for (const field of fileFields(form.definition)) data.append(field.name, new File([], "", { type: "application/octet-stream" }));
  data.append("intent", "continue");
  const request = new Request("http://bench.local/", { method: "POST", body: data });
  return { body: await request.text(), contentType: request.headers.get("content-type") ?? "" };
}

/**
 * Runs the steps in one outer transaction per 500 (the data functions' own transactions become
 * savepoints in it): only this process uses the file, and one commit per step would make setting up
 * tens of thousands of citizens take minutes.
 */
async function inBatches<T>(count: number, step: (i: number) => T | Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += 500) {
    await inTransaction(async () => {
      for (let i = start; i < Math.min(count, start + 500); i++) out.push(await step(i));
    });
  }
  return out;
}

async function prepareCitizens(count: number): Promise<Manifest["submit"]["citizens"]> {
  if (count === 0) return [];
  const { procedure, form } = found(await onlineProcedure(SUBMIT_CODE));
  const ids = await createAccounts(count, "bench.citizen.");
  return inBatches(ids.length, async (i) => {
    const applicantId = ids[i] ?? 0;
    const cookie = await sessionCookie(applicantId);
    const draft = await getOrStartDraft({ procedureId: procedure.id, agencyId: procedure.agencyId, formVersion: form.version, applicantId, language: "vi" });
    return { cookie, dossierId: draft.id };
  });
}

/** Submitted dossiers with a pending payment each, and the IPN the gateway would send for it (success). */
async function preparePayments(count: number, payerIds: number[]): Promise<string[]> {
  const { procedure, form } = found(await onlineProcedure(IPN_CODE));
  const config = env();
  return inBatches(count, async (i) => {
    const applicantId = payerIds[i % payerIds.length] ?? 0;
    const draft = await getOrStartDraft({ procedureId: procedure.id, agencyId: procedure.agencyId, formVersion: form.version, applicantId, language: "vi" });
    const verdict = await validateDraft(form.definition, draftAnswers(form.definition, validAnswers(form.definition)), draft.id, procedure.feeVnd);
    if (!verdict.ok) throw new Error(`the ${IPN_CODE} fixture answers are refused: ${JSON.stringify(verdict.errors)}`);
    const submitted = await submitDraft({
      id: draft.id,
      applicantId,
      answers: verdict.answers,
      feeVnd: verdict.feeVnd,
      processingDays: procedure.processingDays,
      language: "vi",
      deliveryMode: "online",
      fallbackName: nameOf(i),
      fallbackPhone: null,
    });
    if (!submitted.ok) throw new Error(`could not submit a ${IPN_CODE} dossier: ${submitted.error}`);
    const started = await startPayment({
      dossierId: draft.id,
      applicantId,
      ipAddr: "127.0.0.1",
      locale: "vi",
      returnUrl: "http://bench.local/payments/return",
    });
    if (started.kind !== "redirect") throw new Error(`dossier ${draft.id} is not payable: ${started.kind}`);
    const amount = new URL(started.url, "http://bench.local").searchParams.get("vnp_Amount") ?? "";
    const params: VnpParams = {
      vnp_Amount: amount,
      vnp_BankCode: "NCB",
      vnp_CardType: "ATM",
      vnp_OrderInfo: "Thanh toan le phi",
      vnp_PayDate: "20261122103000",
      vnp_ResponseCode: "00",
      vnp_TmnCode: config.PAYMENT_TMN_CODE,
      vnp_TransactionNo: String(14_000_000 + i),
      vnp_TransactionStatus: "00",
      vnp_TxnRef: started.txnRef,
    };
    return `/api/v1/payments/ipn?${new URLSearchParams({ ...params, vnp_SecureHash: signParams(params, config.PAYMENT_HASH_SECRET) })}`;
  });
}

await bootstrap();
const started = Date.now();
// A random sample of the catalog for the procedure-page scenario (all of it when small).
const sample = await db()
  .select({ code: schema.procedures.code })
  .from(schema.procedures)
  .orderBy(sql`random()`)
  .limit(2000);
const procedureCodes = sample.map((r) => r.code);
const [catalog] = await db().select({ n: count() }).from(schema.procedures);
const catalogSize = catalog?.n ?? 0;
const citizens = await prepareCitizens(args.citizens);
const payers = args.payments > 0 ? await createAccounts(Math.ceil(args.payments / 20), "bench.payer.") : [];
const ipnPaths = await preparePayments(args.payments, payers);
const apply = await applyForm();
const manifest: Manifest = {
  catalogSize,
  procedureCodes,
  submit: { code: SUBMIT_CODE, deliveryMode: SUBMIT_DELIVERY, applyBody: apply.body, applyContentType: apply.contentType, citizens },
  ipnPaths,
};
writeFileSync(args.manifest, JSON.stringify(manifest));
db().$client.close();
console.log(
  `prepared: catalog of ${catalogSize} procedures, ${citizens.length} citizens with drafts, ${ipnPaths.length} pending payments in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
