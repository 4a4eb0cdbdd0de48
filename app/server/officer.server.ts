import { and, desc, eq, ne, sql } from "drizzle-orm";
import * as schema from "../../db/schema";
import { STATUS } from "../core/dossiers/status";
import { selectDossierDetail } from "./dossier-query.server";
import { db } from "./db.server";

/** Dossiers of the officer's agency and its sub-agencies; never drafts. */
export function listAgencyDossiers(input: { agencyPath: string; limit?: number }) {
  return db()
    .select({
      receiptCode: schema.dossiers.receiptCode,
      status: schema.dossiers.status,
      channel: schema.dossiers.channel,
      submittedAt: schema.dossiers.submittedAt,
      dueOn: schema.dossiers.dueOn,
      applicantName: schema.dossiers.applicantName,
      procedureVi: schema.procedures.nameVi,
      procedureEn: schema.procedures.nameEn,
    })
    .from(schema.dossiers)
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.dossiers.agencyId))
    .where(and(ne(schema.dossiers.status, STATUS.draft), sql`${schema.agencies.path} glob ${`${input.agencyPath}*`}`))
    .orderBy(desc(schema.dossiers.submittedAt))
    .limit(input.limit ?? 100)
    .all();
}

/** One dossier by receipt code, only within the officer's scope (otherwise undefined → 404). */
export function getAgencyDossier(input: { receiptCode: string; agencyPath: string }) {
  return selectDossierDetail()
    .where(and(eq(schema.dossiers.receiptCode, input.receiptCode), sql`${schema.agencies.path} glob ${`${input.agencyPath}*`}`))
    .get();
}
