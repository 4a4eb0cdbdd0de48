import type { DeliveryMode } from "../catalog/delivery";
import { STATUS } from "../dossiers/status";

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

/**
 * How a dossier's money is paid: online after submission (level 4: processing waits for it), at the
 * agency's one-stop counter (levels 1–3, unless an officer later asks for an online payment), or
 * not at all.
 */
export type PaymentMethod = "online" | "counter" | "free";

export type FeePlan = AmountDue & { method: PaymentMethod };

/**
 * What the citizen will pay and how, known before submitting (the check-answers page): the same
 * amount and rule the dossier gets once submitted (amountDue, paymentRequired with a fresh status).
 */
export function feePlan(input: { feeVnd: number; level: number; deliveryMode: DeliveryMode | null }): FeePlan {
  const due = amountDue(input);
  if (due.totalVnd === 0) return { ...due, method: "free" };
  return { ...due, method: paymentRequired({ level: input.level, status: STATUS.submitted, totalVnd: due.totalVnd }) ? "online" : "counter" };
}

/** Where a submitted dossier's payment stands, as its receipt states it. */
export type PaymentStanding = "paid" | PaymentMethod;

export function paymentStanding(input: { totalVnd: number; required: boolean; paid: boolean }): PaymentStanding {
  if (input.paid) return "paid";
  if (input.totalVnd === 0) return "free";
  return input.required ? "online" : "counter";
}
