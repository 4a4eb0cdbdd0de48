import { eq } from "drizzle-orm";
import { randomInt } from "node:crypto";
import { schema } from "../server/platform/schema.server";
import { isFinalShipmentState, makeTrackingNumber, nextShipmentState, type ShipmentState } from "../core/delivery/postal";
import { db, inTransaction, type Tx } from "../server/platform/db.server";

/**
 * The public-post simulator: stands for Vietnam Post's parcel API. It keeps its own ledger
 * (sim_post_parcels); the portal knows a parcel only through these calls, as it would through
 * the real API. Parcels advance when someone presses "advance" on the simulator's page.
 */
export type Parcel = { trackingNumber: string; status: ShipmentState; history: { status: string; at: string }[] };

export async function createParcel(input: { address: string; now?: Date }): Promise<Parcel> {
  return createParcelIn(db(), input);
}

/**
 * createParcel inside a caller's transaction: the simulated post office shares the portal's file, so the
 * parcel and the shipment row that names it are written together (a real carrier's API would be called after).
 */
export async function createParcelIn(tx: Tx, input: { address: string; now?: Date }): Promise<Parcel> {
  const now = (input.now ?? new Date()).toISOString();
  for (;;) {
    const trackingNumber = makeTrackingNumber(String(randomInt(0, 100_000_000)).padStart(8, "0"));
    const [created] = await tx
      .insert(schema.simPostParcels)
      .values({ trackingNumber, address: input.address, status: "created", history: [{ status: "created", at: now }] })
      .onConflictDoNothing()
      .returning();
    if (created) return { trackingNumber, status: created.status, history: created.history };
  }
}

export async function getParcel(trackingNumber: string): Promise<Parcel | null> {
  const [row] = await db().select().from(schema.simPostParcels).where(eq(schema.simPostParcels.trackingNumber, trackingNumber)).limit(1);
  return row ? { trackingNumber: row.trackingNumber, status: row.status, history: row.history } : null;
}

/** Moves a parcel one step (or back to the sender when `failed`); null when it is unknown or already final. */
export async function advanceParcel(input: { trackingNumber: string; failed?: boolean; now?: Date }): Promise<Parcel | null> {
  return inTransaction(async (tx) => {
    const [row] = await tx.select().from(schema.simPostParcels).where(eq(schema.simPostParcels.trackingNumber, input.trackingNumber)).limit(1);
    if (!row || isFinalShipmentState(row.status)) return null;
    const next = nextShipmentState(row.status, input.failed);
    if (!next) return null;
    const history = [...row.history, { status: next, at: (input.now ?? new Date()).toISOString() }];
    await tx.update(schema.simPostParcels).set({ status: next, history }).where(eq(schema.simPostParcels.id, row.id));
    return { trackingNumber: row.trackingNumber, status: next, history };
  });
}
