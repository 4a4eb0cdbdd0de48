// Two portal processes on two ports against one PostgreSQL database (issue 15, docs/operations.md):
// citizens submit and pay through one while an officer receives their dossiers through the other,
// the gateway's IPNs reach either; each process is killed with SIGKILL under load and restarted.
// Afterwards every acknowledged submission, payment and officer move is in the database exactly
// once, each notification was sent once by one of the two (their background deliverers compete for
// the same outbox), 1,000 duplicate IPNs split across both made one change, a change of the catalog
// made through one process reached the other's cached pages, and `stats:verify` finds nothing.
// PostgreSQL only: on SQLite the portal is one process per database file (README).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { signParams } from "../../app/core/payments/vnpay";
import { fileFields, FormDefinitionSchema } from "../../app/core/forms/definition";
import proceduresJson from "../../db/seed-data/procedures.json";
import { validAnswers } from "../fixtures/answers";
import { PDF_BYTES, PNG_BYTES } from "../fixtures/files";
import { buildProblem, connectionErrorCode, freePort, multipart, PortalProcess, productionEnv, send, type HttpAnswer } from "./portal-process";
import { passSecondStep } from "./second-step";

const exec = promisify(execFile);
const DATABASE_URL = process.env.DATABASE_URL;
const problem = DATABASE_URL ? buildProblem() : "PostgreSQL only (the postgres project of npm test)";
const title = problem ? `two processes on one PostgreSQL — SKIPPED: ${problem}` : "two processes on one PostgreSQL";

const CODE = "3.000333"; // criminal-record certificate, level 4, 200,000 ₫, Công an thành phố Hà Nội
const OFFICER = { email: "can.bo.congan.hanoi@example.vn", password: "CanBo@2026" };
const CITIZENS = 4;
const OFFICER_LOOPS = 2; // two loops race for the same dossier: one wins, the other is told of the conflict
const PHASE_MS = 5_000;

const entry = proceduresJson.find((p) => p.code === CODE);
const definition = FormDefinitionSchema.parse(entry?.form);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const encode = (params: Record<string, string>) => new TextEncoder().encode(new URLSearchParams(params).toString());
const FORM = { "Content-Type": "application/x-www-form-urlencoded" };

function applicationForm(): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(validAnswers(definition))) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  for (const field of fileFields(definition))
    form.append(
      field.name,
      field.accept.includes("pdf")
        ? new File([PDF_BYTES], "to-khai.pdf", { type: "application/pdf" })
        : new File([PNG_BYTES], "anh.png", { type: "image/png" }),
    );
  form.append("intent", "continue");
  return form;
}

/** An answer the flow did not expect: a failure of the test, unlike a connection cut by a kill. */
class UnexpectedAnswer extends Error {}

const pool = DATABASE_URL ? new pg.Pool({ connectionString: DATABASE_URL, max: 2 }) : null;
afterAll(async () => {
  await pool?.end();
});

async function rows<T>(schema: z.ZodType<T>, text: string, values: unknown[] = []): Promise<T[]> {
  if (!pool) throw new Error("no database");
  return z.array(schema).parse((await pool.query(text, values)).rows);
}
const CountSchema = z.object({ n: z.coerce.number() });
async function count(text: string, values: unknown[] = []): Promise<number> {
  const [row] = await rows(CountSchema, text, values);
  return row?.n ?? 0;
}

describe.skipIf(problem !== null)(title, () => {
  it("keeps every acknowledged write exactly once through a SIGKILL of each process", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "portal-two-processes-"));
    const notifyFile = path.join(dir, "notifications.jsonl");
    const [portA, portB] = [await freePort(), await freePort()];
    const shared = {
      DATABASE_URL: DATABASE_URL ?? "",
      // Uploads in the database (decision 028): each process has its own folder, so a file uploaded
      // through one and downloaded through the other can only have come through the database.
      STORAGE_BACKEND: "database",
      SUBMISSIONS_PER_DAY: "1000000",
      NOTIFY_ADAPTER: "file",
      NOTIFY_FILE: notifyFile,
      DATABASE_POOL_SIZE: "4",
    };
    const citizensPortal = new PortalProcess(productionEnv({ ...shared, PORT: String(portA), STORAGE_DIR: path.join(dir, "storage-a") }));
    const officersPortal = new PortalProcess(productionEnv({ ...shared, PORT: String(portB), STORAGE_DIR: path.join(dir, "storage-b") }));
    const A = `http://127.0.0.1:${portA}`;
    const B = `http://127.0.0.1:${portB}`;
    const secret = String(productionEnv({}).PAYMENT_HASH_SECRET);
    const tmnCode = String(productionEnv({}).PAYMENT_TMN_CODE);

    await Promise.all([citizensPortal.start(), officersPortal.start()]);

    const submitted: { receiptCode: string; email: string }[] = [];
    const paid: { receiptCode: string; txnRef: string; via: string }[] = [];
    const received: string[] = [];
    /** Attachments uploaded through the citizens' process and downloaded by the officer through the other, byte for byte. */
    let downloads = 0;
    let conflicts = 0;
    const cut: Record<string, number> = {};
    const unexpected: string[] = [];
    let stopping = false;

    /** Runs one step; a cut connection (a kill) is counted and retried later, anything else unexpected is recorded. */
    async function step<T>(name: string, run: () => Promise<T>): Promise<T | null> {
      try {
        return await run();
      } catch (error) {
        const code = connectionErrorCode(error);
        if (code) cut[name] = (cut[name] ?? 0) + 1;
        else unexpected.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    }

    async function register(n: number): Promise<{ email: string; cookie: string }> {
      const email = `hai.tien.trinh.${n}@example.vn`;
      const password = "mat-khau-rat-dai-123";
      const registered = await send(`${A}/register`, {
        method: "POST",
        headers: { Origin: A, ...FORM },
        body: encode({ fullName: `Người Nộp ${n}`, email, phone: "0903123456", password, confirm: password, redirectTo: "/" }),
      });
      if (registered.status !== 200) throw new Error(`registration refused: ${registered.status}`);
      const [mail] = await rows(
        z.object({ body: z.string() }),
        "select body from notifications where recipient = $1 and template = 'account_confirm' order by id desc limit 1",
        [email],
      );
      const token = mail?.body.match(/\/account\/confirm\?token=([A-Za-z0-9_-]+)/)?.[1] ?? "";
      const confirmed = await send(`${A}/account/confirm`, { method: "POST", headers: { Origin: A, ...FORM }, body: encode({ token }) });
      const cookie = confirmed.setCookie[0]?.split(";")[0];
      if (confirmed.status !== 302 || !cookie) throw new Error(`confirmation refused: ${confirmed.status}`);
      return { email, cookie };
    }

    // One sign-in at a time per account and process: the officer loops share it (a second factor's code is accepted once).
    const signingIn = new Map<string, Promise<string>>();
    function signIn(base: string, account: { email: string; password: string }, redirectTo = "/officer"): Promise<string> {
      const key = `${base} ${account.email}`;
      const running = signingIn.get(key) ?? signInNow(base, account, redirectTo).finally(() => signingIn.delete(key));
      signingIn.set(key, running);
      return running;
    }
    async function signInNow(base: string, account: { email: string; password: string }, redirectTo: string): Promise<string> {
      const answer = await send(`${base}/login`, { method: "POST", headers: { Origin: base, ...FORM }, body: encode({ ...account, redirectTo }) });
      const cookie = answer.setCookie[0]?.split(";")[0];
      if (answer.status !== 302 || !cookie) throw new Error(`sign-in refused: ${answer.status}`);
      // Staff pass the second step (decision 033).
      return (await passSecondStep({ base, email: account.email, answer: { status: answer.status, location: answer.location, cookie } })).cookie;
    }

    const form = await multipart(applicationForm());

    /** Apply → check page → submit through the citizens' process; the acknowledged receipt code. */
    async function submit(cookie: string): Promise<string> {
      const applied = await send(`${A}/procedures/${CODE}/apply`, {
        method: "POST",
        headers: { Origin: A, Cookie: cookie, "Content-Type": form.contentType },
        body: form.body,
      });
      if (applied.status !== 302) throw new UnexpectedAnswer(`apply: ${applied.status} ${applied.body.slice(0, 200)}`);
      const page = await send(`${A}/procedures/${CODE}/apply/check`, { headers: { Cookie: cookie } });
      const dossierId = page.body.match(/name="dossierId" value="(\d+)"/)?.[1];
      if (!dossierId) throw new UnexpectedAnswer(`check page: ${page.status}`);
      const done = await send(`${A}/procedures/${CODE}/apply/check`, {
        method: "POST",
        headers: { Origin: A, Cookie: cookie, ...FORM },
        body: encode({ dossierId, deliveryMode: "online" }),
      });
      const receiptCode = done.location?.match(/^\/applications\/([^?/]+)\?submitted=1$/)?.[1];
      if (done.status !== 302 || !receiptCode) throw new UnexpectedAnswer(`submit: ${done.status} ${done.location ?? done.body.slice(0, 200)}`);
      return receiptCode;
    }

    /** "Pay online" through the citizens' process: the signed IPN the gateway would send for the attempt it was sent to. */
    async function startPaying(cookie: string, receiptCode: string): Promise<{ txnRef: string; ipn: string }> {
      // As the reverse proxy in front of the processes says who the citizen is (TRUST_PROXY, by default one on this machine).
      const citizenAddress = `203.0.113.${1 + Math.floor(Math.random() * 250)}`;
      const answer = await send(`${A}/applications/${receiptCode}/pay`, {
        method: "POST",
        headers: { Origin: A, Cookie: cookie, "X-Forwarded-For": citizenAddress, ...FORM },
        body: encode({}),
      });
      const location = answer.location ? new URL(answer.location, A) : null;
      if (location && location.searchParams.get("vnp_IpAddr") !== citizenAddress)
        throw new UnexpectedAnswer(`pay: the gateway was told ${location.searchParams.get("vnp_IpAddr")}, not the citizen's ${citizenAddress}`);
      const txnRef = location?.searchParams.get("vnp_TxnRef");
      const amount = location?.searchParams.get("vnp_Amount");
      if (answer.status !== 302 || !txnRef || !amount) throw new UnexpectedAnswer(`pay: ${answer.status} ${answer.location ?? ""}`);
      const params = {
        vnp_Amount: amount,
        vnp_BankCode: "NCB",
        vnp_PayDate: "20261207103000",
        vnp_ResponseCode: "00",
        vnp_TmnCode: tmnCode,
        vnp_TransactionNo: String(14_000_000 + Math.floor(Math.random() * 900_000)),
        vnp_TransactionStatus: "00",
        vnp_TxnRef: txnRef,
      };
      return { txnRef, ipn: new URLSearchParams({ ...params, vnp_SecureHash: signParams(params, secret) }).toString() };
    }

    const IpnAnswerSchema = z.object({ RspCode: z.string() });
    async function ipn(base: string, query: string): Promise<string> {
      const answer = await send(`${base}/api/v1/payments/ipn?${query}`);
      if (answer.status !== 200) throw new UnexpectedAnswer(`ipn: ${answer.status}`);
      return IpnAnswerSchema.parse(JSON.parse(answer.body)).RspCode;
    }

    async function citizen(account: { email: string; cookie: string }) {
      let turn = 0;
      while (!stopping && unexpected.length < 10) {
        await citizensPortal.whenUp();
        const receiptCode = await step("submit", () => submit(account.cookie));
        if (!receiptCode) continue;
        submitted.push({ receiptCode, email: account.email });
        // The gateway's IPN reaches whichever process the load balancer picks.
        for (let tries = 0; tries < 20 && !stopping; tries++) {
          await citizensPortal.whenUp();
          const attempt = await step("pay", () => startPaying(account.cookie, receiptCode));
          if (!attempt) continue;
          const via = turn++ % 2 === 0 ? "citizens" : "officers";
          const portal = via === "citizens" ? citizensPortal : officersPortal;
          await portal.whenUp();
          const code = await step("ipn", () => ipn(via === "citizens" ? A : B, attempt.ipn));
          if (code === "00") paid.push({ receiptCode, txnRef: attempt.txnRef, via });
          else if (code !== null) unexpected.push(`ipn ${receiptCode}: ${code}`);
          // A cut IPN is sent again by the gateway, as VNPay retries; a new attempt otherwise.
          if (code === null) {
            await portal.whenUp();
            const again = await step("ipn", () => ipn(via === "citizens" ? A : B, attempt.ipn));
            if (again === "00") paid.push({ receiptCode, txnRef: attempt.txnRef, via });
            if (again === "00" || again === "02") break;
            continue;
          }
          break;
        }
      }
    }

    async function officer(loop: number) {
      let cookie = await signIn(B, OFFICER);
      while (!stopping && unexpected.length < 10) {
        await officersPortal.whenUp();
        const [next] = await rows(
          z.object({ receipt_code: z.string() }),
          `select d.receipt_code from dossiers d join procedures p on p.id = d.procedure_id
            where p.code = $1 and d.status = 1 order by d.id limit 1`,
          [CODE],
        );
        if (!next) {
          await sleep(50 + loop * 20);
          continue;
        }
        // The full view: the answers and the attachments' links (the short one leaves them out).
        const page = await step("officer page", () => send(`${B}/officer/dossiers/${next.receipt_code}?view=full`, { headers: { Cookie: cookie } }));
        if (!page) continue;
        if (page.status === 302 && page.location?.startsWith("/login")) {
          cookie = await signIn(B, OFFICER);
          continue;
        }
        const version = page.body.match(/name="version" value="(\d+)"/)?.[1];
        if (page.status !== 200 || !version) {
          unexpected.push(`officer page ${next.receipt_code}: ${page.status}`);
          continue;
        }
        const attachment = page.body.match(/href="(\/officer\/attachments\/\d+)"/)?.[1];
        if (!attachment) {
          unexpected.push(`officer page ${next.receipt_code}: no attachment link`);
          continue;
        }
        const file = await step("download", () => send(`${B}${attachment}`, { headers: { Cookie: cookie } }));
        if (!file) continue;
        if (file.status === 200 && Buffer.from(file.bytes).equals(Buffer.from(PDF_BYTES))) downloads += 1;
        else unexpected.push(`download ${attachment} of ${next.receipt_code}: ${file.status}, ${file.bytes.byteLength} bytes`);
        const moved: HttpAnswer | null = await step("receive", () =>
          send(`${B}/officer/dossiers/${next.receipt_code}`, {
            method: "POST",
            headers: { Origin: B, Cookie: cookie, ...FORM },
            body: encode({ intent: "transition", action: "receive", version }),
          }),
        );
        if (!moved) continue;
        if (moved.status === 302) received.push(next.receipt_code);
        else if (moved.status === 409) conflicts += 1;
        // The other loop received it between this one's read and its page: the move is no longer offered.
        else if (moved.status === 400 && (await count("select count(*) as n from dossiers where receipt_code = $1 and status = 1", [next.receipt_code])) === 0)
          conflicts += 1;
        else unexpected.push(`receive ${next.receipt_code}: ${moved.status} ${moved.body.slice(0, 200)}`);
      }
    }

    const accounts = await Promise.all(Array.from({ length: CITIZENS }, (_, i) => register(i + 1)));
    const loops = [...accounts.map(citizen), ...Array.from({ length: OFFICER_LOOPS }, (_, i) => officer(i))];

    const restarts: string[] = [];
    try {
      await sleep(PHASE_MS);
      await citizensPortal.stop("SIGKILL");
      let t0 = Date.now();
      await citizensPortal.start();
      restarts.push(`citizens' process ${Date.now() - t0} ms`);
      await sleep(PHASE_MS);
      await officersPortal.stop("SIGKILL");
      t0 = Date.now();
      await officersPortal.start();
      restarts.push(`officers' process ${Date.now() - t0} ms`);
      await sleep(PHASE_MS);
    } finally {
      stopping = true;
      await Promise.all(loops);
    }

    // 1,000 duplicate IPNs for one payment, half to each process, 20 at a time.
    const flooder = await register(99);
    const floodReceipt = await submit(flooder.cookie);
    const flood = await startPaying(flooder.cookie, floodReceipt);
    const floodAnswers: Record<string, number> = {};
    let next = 0;
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        while (next < 1000) {
          const i = next++;
          const code = await ipn(i % 2 === 0 ? A : B, flood.ipn);
          floodAnswers[code] = (floodAnswers[code] ?? 0) + 1;
        }
      }),
    );

    // A procedure's fee changed by an administrator through A while B keeps the procedure's page.
    await send(`${B}/procedures/${CODE}`);
    const kept = await send(`${B}/procedures/${CODE}`);
    expect(kept.headers["x-page-cache"]).toBe("hit");
    expect(kept.body).not.toContain("250.000");
    const admin = await signIn(A, { email: "quan.tri@example.vn", password: "QuanTri@2026" }, "/admin");
    const edit = await send(`${A}/admin/procedures/${CODE}`, { headers: { Cookie: admin } });
    const updatedAt = edit.body.match(/name="updatedAt" value="([^"]*)"/)?.[1] ?? "";
    const settings = new URLSearchParams([
      ["updatedAt", updatedAt],
      ["level", String(entry?.level)],
      ["processingDays", String(entry?.processingDays)],
      ["feeVnd", "250000"],
      ...(entry?.deliveryModes ?? []).map((mode) => ["deliveryModes", mode]),
    ]);
    const saved = await send(`${A}/admin/procedures/${CODE}`, {
      method: "POST",
      headers: { Origin: A, Cookie: admin, ...FORM },
      body: new TextEncoder().encode(settings.toString()),
    });
    expect(saved.status, saved.body.slice(0, 300)).toBe(302);
    expect(saved.location).toContain("notice=saved");
    await sleep(1_500); // B reads the caches' generations once a second
    const changed = await send(`${B}/procedures/${CODE}`);
    expect(changed.body).toContain("250.000");

    // The outbox drained by the two deliverers (a message claimed by a killed process is due again after 30 s).
    const deadline = Date.now() + 90_000;
    while ((await count("select count(*) as n from notifications where status = 'pending'")) > 0 && Date.now() < deadline) await sleep(1_000);

    await Promise.all([citizensPortal.stop("SIGTERM"), officersPortal.stop("SIGTERM")]);

    // Every acknowledged submission once, with one submitted event, owned by whom it was acknowledged to.
    const submissionProblems: string[] = [];
    for (const ack of submitted) {
      const found = await rows(
        z.object({ id: z.number(), email: z.string(), events: z.coerce.number() }),
        `select d.id, u.email, (select count(*) from dossier_events e where e.dossier_id = d.id and e.type = 'submitted') as events
           from dossiers d join users u on u.id = d.applicant_id where d.receipt_code = $1`,
        [ack.receiptCode],
      );
      if (found.length !== 1 || found[0]?.email !== ack.email || found[0]?.events !== 1)
        submissionProblems.push(`${ack.receiptCode}: ${JSON.stringify(found)}`);
    }
    // Every acknowledged payment paid, once, with one confirmation on its dossier.
    const paymentProblems: string[] = [];
    for (const ack of [...paid, { receiptCode: floodReceipt, txnRef: flood.txnRef, via: "flood" }]) {
      const [state] = await rows(
        z.object({ status: z.string(), paid_attempts: z.coerce.number(), confirmations: z.coerce.number() }),
        `select p.status,
                (select count(*) from payments q where q.dossier_id = p.dossier_id and q.status = 'paid') as paid_attempts,
                (select count(*) from dossier_events e where e.dossier_id = p.dossier_id and e.type = 'payment_confirmed') as confirmations
           from payments p where p.txn_ref = $1`,
        [ack.txnRef],
      );
      if (state?.status !== "paid" || state.paid_attempts !== 1 || state.confirmations !== 1)
        paymentProblems.push(`${ack.receiptCode}: ${JSON.stringify(state)}`);
    }
    // Every acknowledged receipt by the officer: one status change to received.
    const receiveProblems: string[] = [];
    for (const receiptCode of received) {
      const n = await count(
        `select count(*) as n from dossier_events e join dossiers d on d.id = e.dossier_id
          where d.receipt_code = $1 and e.type = 'status_changed' and e.to_status = 2`,
        [receiptCode],
      );
      if (n !== 1) receiveProblems.push(`${receiptCode}: ${n} received events`);
    }
    const receivedTwice = await count(
      "select count(*) as n from (select dossier_id from dossier_events where type = 'status_changed' and to_status = 2 group by dossier_id having count(*) > 1) t",
    );

    // Each message sent by one process once: one sent event per row; a second send only of a message
    // whose first claim was lost to a kill (attempts > 1: at least once, never twice at the same time).
    const sentLines = existsSync(notifyFile)
      ? readFileSync(notifyFile, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((line) => z.object({ notificationId: z.number(), pid: z.number() }).parse(JSON.parse(line)))
      : [];
    const sendsOf = new Map<number, number>();
    for (const line of sentLines) sendsOf.set(line.notificationId, (sendsOf.get(line.notificationId) ?? 0) + 1);
    const outbox = await rows(
      z.object({ id: z.number(), status: z.string(), attempts: z.number(), sent_events: z.coerce.number() }),
      `select n.id, n.status, n.attempts,
              (select count(*) from dossier_events e where e.type = 'notification_sent' and (e.data->>'notificationId')::int = n.id) as sent_events
         from notifications n`,
    );
    const notificationProblems = outbox.flatMap((n) => {
      const sends = sendsOf.get(n.id) ?? 0;
      if (n.status !== "sent") return [`notification ${n.id}: ${n.status}`];
      if (n.sent_events !== 1) return [`notification ${n.id}: ${n.sent_events} sent events`];
      if (sends === 0) return [`notification ${n.id}: marked sent, never sent`];
      if (sends > 1 && n.attempts === 1) return [`notification ${n.id}: sent ${sends} times on one claim`];
      return [];
    });
    const resent = outbox.filter((n) => (sendsOf.get(n.id) ?? 0) > 1).length;
    const senders = new Set(sentLines.map((l) => l.pid)).size;

    const verify = await exec(process.execPath, ["--import", "tsx", "db/stats-verify.ts"], { env: { ...process.env, DATABASE_URL }, timeout: 120_000 }).then(
      (done) => ({ code: 0, output: done.stdout }),
      (failed: { code?: number; stdout?: string }) => ({ code: failed.code ?? 1, output: failed.stdout ?? "" }),
    );

    console.log(
      [
        `two processes on one PostgreSQL: restarts ${restarts.join(", ")}`,
        `  acknowledged: ${submitted.length} submissions, ${paid.length} payments (${paid.filter((p) => p.via === "officers").length} IPNs through the officers' process), ${received.length} receipts by the officer (${conflicts} lost races answered 409 or 400), ${downloads} uploads downloaded through the other process`,
        `  connections cut by the kills: ${JSON.stringify(cut)}; IPN flood: ${JSON.stringify(floodAnswers)}`,
        `  notifications: ${outbox.length} sent by ${senders} processes, ${resent} sent again after a kill cut their first claim`,
      ].join("\n"),
    );

    expect(unexpected).toEqual([]);
    expect(submitted.length).toBeGreaterThan(10);
    expect(paid.length).toBeGreaterThan(5);
    expect(received.length).toBeGreaterThan(5);
    expect(downloads).toBeGreaterThan(5);
    expect(new Set(submitted.map((s) => s.receiptCode)).size).toBe(submitted.length);
    expect(submissionProblems).toEqual([]);
    expect(paymentProblems).toEqual([]);
    expect(receiveProblems).toEqual([]);
    expect(receivedTwice).toBe(0);
    expect(floodAnswers).toEqual({ "00": 1, "02": 999 });
    expect(notificationProblems).toEqual([]);
    expect(senders).toBeGreaterThanOrEqual(2); // both processes delivered
    expect(Object.values(cut).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(verify.output).toMatch(/0 mismatches/);
    expect(verify.code, verify.output).toBe(0);
  }, 300_000);
});
