import { and, eq, sql } from "drizzle-orm";
import * as schema from "../../db/schema";
import { selectDossierDetail } from "./dossier-query.server";

/** One dossier by receipt code, only within the officer's scope (otherwise undefined → 404). */
export function getAgencyDossier(input: { receiptCode: string; agencyPath: string }) {
  return selectDossierDetail()
    .where(and(eq(schema.dossiers.receiptCode, input.receiptCode), sql`${schema.agencies.path} glob ${`${input.agencyPath}*`}`))
    .get();
}
