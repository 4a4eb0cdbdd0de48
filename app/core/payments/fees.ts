import type { DeliveryMode } from "../catalog/delivery";
import { STATUS } from "../dossiers/status";
import { evaluateRule, type Rule } from "../forms/rules";

/**
 * Postage for returning a result by public post (simulated flat tariff, VND). Real tariffs
 * depend on the province and weight; one flat figure keeps the simulation honest and simple.
 */
export const POSTAGE_VND = 25_000;

export type AmountDue = { feeVnd: number; postageVnd: number; totalVnd: number };

/** What a fee rule reads besides the answers: the procedure's fee as its administrator set it. */
export const PROCEDURE_FEE_VAR = "procedure_fee";
/** A fee above this is a rule gone wrong, not a fee: no procedure charges a billion đồng. */
export const MAX_FEE_VND = 1_000_000_000;

/**
 * The fee a dossier is charged, fixed when it is submitted: the form's fee rule over the answers
 * (with the procedure's fee as `procedure_fee`: "200,000 ₫ and 5,000 ₫ for each copy from the
 * third" follows a change of the procedure's fee), rounded to whole đồng; without a rule, the
 * procedure's fee. A rule that gives no amount — not a number, negative, above MAX_FEE_VND — is
 * refused: the citizen is told the fee cannot be computed, never charged a guess.
 */
export function dossierFee(input: {
  procedureFeeVnd: number;
  rule: Rule | undefined;
  answers: Readonly<Record<string, unknown>>;
}): { ok: true; feeVnd: number } | { ok: false } {
  if (input.rule === undefined) return { ok: true, feeVnd: input.procedureFeeVnd };
  const value = evaluateRule(input.rule, { ...input.answers, [PROCEDURE_FEE_VAR]: input.procedureFeeVnd });
  if (typeof value !== "number" || !Number.isFinite(value)) return { ok: false };
  const feeVnd = Math.round(value);
  return feeVnd >= 0 && feeVnd <= MAX_FEE_VND ? { ok: true, feeVnd } : { ok: false };
}

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
