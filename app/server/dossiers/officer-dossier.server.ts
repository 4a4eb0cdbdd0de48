import { and, asc, eq, isNotNull, or } from "drizzle-orm";
import * as schema from "../../../db/schema";
import { maskTail } from "../../core/validation/vn";
import { db } from "../platform/db.server";
import { recordEvent } from "../platform/events.server";
import type { ScopedUser } from "../auth/guards.server";

type DossierRow = typeof schema.dossiers.$inferSelect;

/** Personal data as the queue and the dossier page show it until the officer asks for more. */
export function maskedContact(dossier: Pick<DossierRow, "applicantCccd" | "applicantPhone" | "applicantEmail">) {
  return {
    cccd: dossier.applicantCccd ? maskTail(dossier.applicantCccd) : null,
    phone: dossier.applicantPhone ? maskTail(dossier.applicantPhone) : null,
    email: dossier.applicantEmail ? maskEmail(dossier.applicantEmail) : null,
  };
}

export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  return at <= 0 ? "•••" : `${email[0]}•••${email.slice(at)}`;
}

/**
 * Opening a dossier's full personal data (answers, documents, full CCCD and phone) is recorded
 * in the log — who, when, which dossier — and the audit trail shows it.
 */
export async function recordPersonalDataView(officer: ScopedUser, dossier: DossierRow): Promise<void> {
  recordEvent(db(), {
    type: "personal_data_viewed",
    dossierId: dossier.id,
    procedureId: dossier.procedureId,
    agencyId: dossier.agencyId,
    actorId: officer.id,
    actorRole: officer.role,
    channel: dossier.channel,
  });
}

/** The dossier's history for the officer: status changes and apologies, with who did them. */
export async function dossierHistory(dossierId: number) {
  return db()
    .select({
      type: schema.dossierEvents.type,
      at: schema.dossierEvents.occurredAt,
      fromStatus: schema.dossierEvents.fromStatus,
      toStatus: schema.dossierEvents.toStatus,
      actorRole: schema.dossierEvents.actorRole,
      actorName: schema.users.fullName,
      data: schema.dossierEvents.data,
    })
    .from(schema.dossierEvents)
    .leftJoin(schema.users, eq(schema.users.id, schema.dossierEvents.actorId))
    .where(and(eq(schema.dossierEvents.dossierId, dossierId), or(isNotNull(schema.dossierEvents.toStatus), eq(schema.dossierEvents.type, "apology_issued"))))
    .orderBy(asc(schema.dossierEvents.id))
    .all();
}
