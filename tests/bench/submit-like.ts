// The write both SQLite write benchmarks time (bench:sqlite, bench:counters): a submitted dossier row and its
// `submitted` event in one immediate transaction, as submitDraft writes them, with the event recorder to measure.
import { eq } from "drizzle-orm";
import { inTransaction, type Db, type Tx } from "../../app/server/platform/db.server";
import type { NewEvent } from "../../app/server/statistics/events.server";
import { schema } from "../../app/server/platform/schema.server";

const ANSWERS = { applicant_name: "Nguyễn Thị Hoa", applicant_cccd: "001099012345", applicant_phone: "0912345678", note: "x".repeat(600) };

export async function submitLike(
  db: Db,
  input: { receiptCode: string; procedureId: number; agencyId: number; now: Date; feeVnd: number; record: (tx: Tx, event: NewEvent) => Promise<void> },
): Promise<void> {
  await inTransaction(async (tx) => {
    const [dossier] = await tx
      .insert(schema.dossiers)
      .values({
        receiptCode: input.receiptCode,
        procedureId: input.procedureId,
        agencyId: input.agencyId,
        formVersion: 1,
        channel: "online",
        status: 1,
        answers: ANSWERS,
        language: "vi",
        deliveryMode: "counter",
        submittedAt: input.now,
        dueOn: "2026-12-31",
      })
      .returning({ id: schema.dossiers.id });
    if (!dossier) throw new Error("the new dossier's row was not returned");
    await input.record(tx, {
      type: "submitted",
      occurredAt: input.now,
      dossierId: dossier.id,
      procedureId: input.procedureId,
      agencyId: input.agencyId,
      channel: "online",
      fromStatus: 0,
      toStatus: 1,
      data: { formVersion: 1, deliveryMode: "counter", feeVnd: input.feeVnd },
    });
  }, db);
}

/** The one agency, field and level-3 procedure the benchmarks' dossiers point to, in a migrated database. */
export async function benchProcedure(db: Db): Promise<{ procedureId: number; agencyId: number }> {
  return inTransaction(async (tx) => {
    const [agency] = await tx.insert(schema.agencies).values({ code: "bench", kind: "commune", nameVi: "UBND phường Thử", path: "/1/", depth: 0 }).returning();
    const [field] = await tx.insert(schema.fields).values({ code: "bench", nameVi: "Thử" }).returning();
    if (!agency || !field) throw new Error("the new agency's or field's row was not returned");
    // The path names the agency's own id (the first one is not always 1 on PostgreSQL).
    await tx
      .update(schema.agencies)
      .set({ path: `/${agency.id}/` })
      .where(eq(schema.agencies.id, agency.id));
    const [procedure] = await tx
      .insert(schema.procedures)
      .values({
        code: "9.999999",
        nameVi: "Thủ tục thử",
        agencyId: agency.id,
        fieldId: field.id,
        level: 3,
        processingDays: 5,
        details: {},
        deliveryModes: ["counter"],
      })
      .returning();
    if (!procedure) throw new Error("the new procedure's row was not returned");
    return { procedureId: procedure.id, agencyId: agency.id };
  }, db);
}
