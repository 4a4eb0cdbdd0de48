import { eq } from "drizzle-orm";
import * as schema from "../../../db/schema";
import { db, type Tx } from "../platform/db.server";

/** A dossier with its procedure and agency: the join every detail view starts from (callers add the where). */
export function selectDossierDetail(tx: Tx = db()) {
  return tx
    .select({ dossier: schema.dossiers, procedure: schema.procedures, agency: schema.agencies })
    .from(schema.dossiers)
    .innerJoin(schema.procedures, eq(schema.procedures.id, schema.dossiers.procedureId))
    .innerJoin(schema.agencies, eq(schema.agencies.id, schema.dossiers.agencyId));
}
