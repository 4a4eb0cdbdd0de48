import type { DeliveryMode } from "../catalog/delivery";

/**
 * Postage for returning a result by public post (simulated flat tariff, VND). Real tariffs
 * depend on the province and weight; one flat figure keeps the simulation honest and simple.
 */
export const POSTAGE_VND = 25_000;

export type AmountDue = { feeVnd: number; postageVnd: number; totalVnd: number };

/** What a dossier must pay online: the procedure's fee, plus postage when the result goes by post. */
export function amountDue(input: { feeVnd: number; deliveryMode: DeliveryMode | null }): AmountDue {
  if (!Number.isInteger(input.feeVnd) || input.feeVnd < 0) throw new RangeError("fee must be a non-negative whole number of đồng");
  const postageVnd = input.deliveryMode === "post" ? POSTAGE_VND : 0;
  return { feeVnd: input.feeVnd, postageVnd, totalVnd: input.feeVnd + postageVnd };
}

/**
 * Whether the citizen must pay before processing may start: level 4 with something to pay,
 * or any dossier for which an officer requested payment (status 6).
 */
export function paymentRequired(input: { level: number; status: number; totalVnd: number }): boolean {
  if (input.totalVnd <= 0) return false;
  return input.level >= 4 || input.status === 6;
}
