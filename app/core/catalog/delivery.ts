/** How a citizen can receive the result (chosen at submission among those the procedure allows). */
export const DELIVERY_MODES = ["counter", "online", "post"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
