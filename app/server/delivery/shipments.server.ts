import { and, eq } from "drizzle-orm";
import { schema } from "../platform/schema.server";
import { isFinalShipmentState } from "../../core/delivery/postal";
import { POSTAGE_VND } from "../../core/payments/fees";
import { createParcelIn, getParcel } from "../../simulators/post.server";
import type { Dossier } from "../dossiers/dossiers.server";
import { applyTransition, type Actor } from "../dossiers/workflow.server";
import { db, inTransaction, type Tx } from "../platform/db.server";
import { recordEvent, ofDossier } from "../statistics/events.server";

/**
 * Posts a dossier's result: a parcel at the post office (simulator), the shipment row that follows it and
 * its `shipment_created` event, inside the caller's transaction (the move that issued the result).
 */
export async function createShipmentIn(tx: Tx, input: { dossier: Dossier; actor: Actor; now: Date }): Promise<void> {
  const address = typeof input.dossier.answers.applicant_address === "string" ? input.dossier.answers.applicant_address : "";
  const parcel = await createParcelIn(tx, { address, now: input.now });
  await tx.insert(schema.shipments).values({
    dossierId: input.dossier.id,
    trackingNumber: parcel.trackingNumber,
    status: parcel.status,
    address,
    postageVnd: POSTAGE_VND,
    createdAt: input.now,
    updatedAt: input.now,
  });
  await recordEvent(tx, {
    type: "shipment_created",
    occurredAt: input.now,
    ...ofDossier(input.dossier),
    actorId: input.actor.id,
    actorRole: input.actor.role,
    data: { trackingNumber: parcel.trackingNumber },
  });
}

/**
 * Brings the portal's record of a parcel up to date from the post (simulator) API, recording
 * each change; delivery completes the dossier (result ready → returned).
 */
export async function syncShipment(dossierId: number, now = new Date()) {
  const [shipment] = await db().select().from(schema.shipments).where(eq(schema.shipments.dossierId, dossierId)).limit(1);
  if (!shipment) return null;
  const parcel = await getParcel(shipment.trackingNumber);
  if (!parcel || parcel.status === shipment.status) return { ...shipment, history: parcel?.history ?? [] };
  await inTransaction(async (tx) => {
    const changed = await tx
      .update(schema.shipments)
      .set({ status: parcel.status, updatedAt: now })
      .where(and(eq(schema.shipments.id, shipment.id), eq(schema.shipments.status, shipment.status)))
      .returning({ id: schema.shipments.id });
    if (changed.length !== 1) return;
    const [d] = await tx.select().from(schema.dossiers).where(eq(schema.dossiers.id, dossierId)).limit(1);
    await recordEvent(tx, {
      type: "shipment_updated",
      occurredAt: now,
      dossierId,
      procedureId: d?.procedureId,
      agencyId: d?.agencyId,
      channel: d?.channel,
      actorRole: "system",
      data: { trackingNumber: shipment.trackingNumber, from: shipment.status, to: parcel.status },
    });
  });
  if (parcel.status === "delivered" && isFinalShipmentState(parcel.status)) {
    await applyTransition({ dossierId, action: "returnResult", actor: { id: null, role: "system" }, now });
  }
  return { ...shipment, status: parcel.status, history: parcel.history };
}
