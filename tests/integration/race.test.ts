// Two officers of one agency act on the same dossier at the same moment, both from the page they
// loaded (the same version): one wins, the other is told someone else has just changed it (409),
// and the log holds exactly one status change. Run in one process and across processes.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { and, asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { STATUS } from "../../app/core/dossiers/status";
import { db } from "../../app/server/platform/db.server";
import * as officerDossier from "../../app/routes/officer.dossiers.$receiptCode";
import { newOfficer, signInAs, type Account, newCitizen, type Citizen } from "../fixtures/accounts";
import { submitDossier, dossierRow } from "../fixtures/dossiers";
import { formOf, post, run, type Outcome } from "./helpers";

const exec = promisify(execFile);
const CODE = "1.001193"; // ha-noi-phuong-hoan-kiem, free: receive and refuse are both open from "submitted"
const ROUNDS = 4;
const REASON = "Hồ sơ thiếu bản sao giấy chứng sinh";

let officerOne: Account;
let officerTwo: Account;
let citizen: Citizen;

beforeAll(async () => {
  officerOne = await signInAs("can.bo.hoankiem@example.vn");
  officerTwo = await newOfficer("ha-noi-phuong-hoan-kiem");
  citizen = await newCitizen();
});

async function freshDossier() {
  const d = await submitDossier(citizen, CODE, "counter");
  const row = await dossierRow(d.dossierId);
  expect(row?.status).toBe(STATUS.submitted);
  return { ...d, version: row?.version ?? 0 };
}

const OutcomeSchema = z.object({ status: z.number(), location: z.string().nullable(), data: z.unknown() });

/** One winner (302 back to the page), one 409 with the conflict message, one status change in the log. */
async function expectOneWinner(d: { receiptCode: string; dossierId: number; version: number }, receive: Outcome, refuse: Outcome) {
  const outcomes = [receive, refuse];
  expect(outcomes.map((o) => o.status).sort()).toEqual([302, 409]);
  const winner = outcomes.find((o) => o.status === 302);
  expect(outcomes.find((o) => o.status === 409)?.data).toEqual({ error: "officer.errors.conflict" });
  const won = winner === receive ? { action: "receive", to: STATUS.received } : { action: "refuse", to: STATUS.notReceived };
  expect(winner?.location).toBe(`/officer/dossiers/${d.receiptCode}?done=${won.action}`);
  const row = await dossierRow(d.dossierId);
  expect(row).toMatchObject({ version: d.version + 1, status: won.to });
  const changes = await db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.dossierId, d.dossierId), eq(schema.dossierEvents.type, "status_changed")))
    .orderBy(asc(schema.dossierEvents.id));
  expect(changes).toHaveLength(1);
  expect(changes[0]).toMatchObject({ fromStatus: STATUS.submitted, toStatus: won.to, actorRole: "officer", data: { action: won.action } });
  return won.action;
}

function act(officer: Account, d: { receiptCode: string; version: number }, action: "receive" | "refuse") {
  const body = formOf({ intent: "transition", action, version: String(d.version), ...(action === "refuse" ? { reason: REASON, confirmed: "yes" } : {}) });
  return run(officerDossier.action, post(`/officer/dossiers/${d.receiptCode}`, body, officer.cookie), { receiptCode: d.receiptCode });
}

describe("two officers acting on one dossier at once", () => {
  it("in one process: exactly one wins in every round", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const d = await freshDossier();
      // Alternate who is scheduled first (which one wins is up to the event loop, not asserted).
      const [receive, refuse] =
        round % 2 === 0
          ? await Promise.all([act(officerOne, d, "receive"), act(officerTwo, d, "refuse")])
          : await Promise.all([act(officerTwo, d, "refuse"), act(officerOne, d, "receive")]).then(([r, c]) => [c, r] as const);
      await expectOneWinner(d, receive, refuse);
    }
  });

  it("in two processes on the same database file: exactly one wins in every round", async () => {
    const dossiers = [];
    for (let round = 0; round < ROUNDS; round++) dossiers.push(await freshDossier());
    // Room for both workers to load the app before the first round; rounds follow each other closely.
    const base = Date.now() + 5_000;
    const rounds = dossiers.map((d, i) => ({ receiptCode: d.receiptCode, version: d.version, startAt: base + i * 300 }));
    const worker = (officer: Account, action: string, reason?: string) =>
      exec(process.execPath, ["--import", "tsx", "tests/fixtures/transition-worker.ts"], {
        env: {
          ...process.env,
          RACE_ROUNDS: JSON.stringify(rounds),
          RACE_COOKIE: officer.cookie,
          RACE_ACTION: action,
          ...(reason ? { RACE_REASON: reason } : {}),
        },
        timeout: 60_000,
      });
    const [receiving, refusing] = await Promise.all([worker(officerOne, "receive"), worker(officerTwo, "refuse", REASON)]);
    const receives = z.array(OutcomeSchema).parse(JSON.parse(receiving.stdout));
    const refuses = z.array(OutcomeSchema).parse(JSON.parse(refusing.stdout));
    expect(receives).toHaveLength(ROUNDS);
    expect(refuses).toHaveLength(ROUNDS);
    for (const [i, d] of dossiers.entries()) {
      const receive = receives[i];
      const refuse = refuses[i];
      if (!receive || !refuse) throw new Error(`round ${i} missing`);
      await expectOneWinner(d, receive, refuse);
    }
  }, 90_000);
});
