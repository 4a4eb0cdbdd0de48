import { and, eq, ne } from "drizzle-orm";
import * as schema from "../../../db/schema";
import { selectDossierDetail } from "./dossier-query.server";
import { db } from "../platform/db.server";
import { recordEvent } from "../platform/events.server";
import type { Role } from "../../core/auth/permissions";
import { STATUS } from "../../core/dossiers/status";
import { withinAgency } from "../staff/agency-scope.server";

/** One dossier by receipt code, only within the officer's scope (otherwise undefined → 404). */
export async function getAgencyDossier(input: { receiptCode: string; agencyPath: string }) {
  return selectDossierDetail()
    .where(and(eq(schema.dossiers.receiptCode, input.receiptCode), withinAgency(input.agencyPath)))
    .get();
}

/**
 * An uploaded file of a submitted dossier in the officer's scope, for download. Looking at a
 * citizen's documents is audited: the `attachment_viewed` event is written in the same transaction
 * as the scope check. A draft, another agency's dossier and a missing file all give undefined (404).
 */
export async function viewAgencyAttachment(input: { attachmentId: number; agencyPath: string; actor: { id: number; role: Role } }) {
  return db().transaction(
    (tx) => {
      const row = tx
        .select({
          attachment: schema.attachments,
          dossier: { id: schema.dossiers.id, agencyId: schema.dossiers.agencyId, procedureId: schema.dossiers.procedureId, channel: schema.dossiers.channel },
        })
        .from(schema.attachments)
        .innerJoin(schema.dossiers, eq(schema.dossiers.id, schema.attachments.dossierId))
        .innerJoin(schema.agencies, eq(schema.agencies.id, schema.dossiers.agencyId))
        .where(and(eq(schema.attachments.id, input.attachmentId), ne(schema.dossiers.status, STATUS.draft), withinAgency(input.agencyPath)))
        .get();
      if (!row) return undefined;
      recordEvent(tx, {
        type: "attachment_viewed",
        dossierId: row.dossier.id,
        procedureId: row.dossier.procedureId,
        agencyId: row.dossier.agencyId,
        actorId: input.actor.id,
        actorRole: input.actor.role,
        channel: row.dossier.channel,
        data: { attachmentId: row.attachment.id, field: row.attachment.fieldName },
      });
      return row.attachment;
    },
    { behavior: "immediate" },
  );
}
