/**
 * Postal delivery of results. Tracking numbers follow the UPU S10 standard used by
 * Vietnam Post: two letters, eight digits, a check digit, and the country code "VN".
 */
const S10_WEIGHTS = [8, 6, 4, 2, 3, 5, 9, 7];

export function s10CheckDigit(serial: string): number {
  if (!/^\d{8}$/.test(serial)) throw new RangeError("an S10 serial is 8 digits");
  const sum = [...serial].reduce((acc, d, i) => acc + Number(d) * (S10_WEIGHTS[i] ?? 0), 0);
  const check = 11 - (sum % 11);
  return check === 10 ? 0 : check === 11 ? 5 : check;
}

export function makeTrackingNumber(serial: string, service = "EB"): string {
  if (!/^[A-Z]{2}$/.test(service)) throw new RangeError("service indicator is two capital letters");
  return `${service}${serial}${s10CheckDigit(serial)}VN`;
}

export function isTrackingNumber(value: string): boolean {
  const m = /^([A-Z]{2})(\d{8})(\d)VN$/.exec(value);
  return m !== null && s10CheckDigit(m[2] ?? "") === Number(m[3]);
}

export const SHIPMENT_STATES = ["created", "picked_up", "in_transit", "delivered", "returned_to_sender"] as const;
export type ShipmentState = (typeof SHIPMENT_STATES)[number];

/** The parcel's next state on its normal route; a failed delivery goes back to the sender instead. */
export function nextShipmentState(current: ShipmentState, failed = false): ShipmentState | null {
  switch (current) {
    case "created":
      return "picked_up";
    case "picked_up":
      return "in_transit";
    case "in_transit":
      return failed ? "returned_to_sender" : "delivered";
    default:
      return null;
  }
}

export function isFinalShipmentState(state: ShipmentState): boolean {
  return state === "delivered" || state === "returned_to_sender";
}
