/**
 * Why a payment did not go through, in words a citizen can act on, from the gateway's
 * vnp_ResponseCode (VNPay 2.1.0's table). Each reason is a translation key under
 * `pay_reason.*`; a code not listed here is "generic" and the page shows the code itself.
 */
const REASONS = {
  "24": "cancelled",
  "51": "insufficient_balance",
  "11": "expired",
  "12": "account_locked",
  "13": "wrong_otp",
  "65": "daily_limit",
  "75": "bank_maintenance",
  "79": "wrong_password",
  "09": "not_registered",
  "10": "authentication_failed",
  "07": "suspected_fraud",
} as const;

export type FailureReason = (typeof REASONS)[keyof typeof REASONS] | "generic";

export type PaymentFailure = {
  reason: FailureReason;
  /**
   * Whether to offer "try again" at once. Not after 07: the bank may already have taken the money
   * while it holds the transaction as suspicious, so a second payment could charge twice.
   */
  retry: boolean;
};

const listed = (code: string | null): code is keyof typeof REASONS => code !== null && Object.hasOwn(REASONS, code);

export function paymentFailure(responseCode: string | null): PaymentFailure {
  const reason: FailureReason = listed(responseCode) ? REASONS[responseCode] : "generic";
  return { reason, retry: reason !== "suspected_fraud" };
}
