/**
 * Delivery methods and the arithmetic of their fees. Multipliers and discounts are kept as whole
 * percentages so the fee is computed in integers and rounded once, half up (Math.round): 3,490 × 130 %
 * = 4,537 exactly, and a fee that lands on .5 goes up to the next peso.
 */
export const DELIVERY_METHODS = ["STANDARD", "EXPRESS", "SAME_DAY", "SCHEDULED", "PICKUP"] as const;

export type DeliveryMethod = (typeof DELIVERY_METHODS)[number];

export const METHOD_FEE_PERCENT: Readonly<Record<DeliveryMethod, number>> = {
  STANDARD: 100,
  EXPRESS: 150,
  SAME_DAY: 130,
  SCHEDULED: 100,
  PICKUP: 0,
};

/** Express: merchandise subtotal from which it may be chosen, and how soon it arrives. */
export const EXPRESS_MIN_SUBTOTAL = 25_000;
export const EXPRESS_WINDOW_HOURS = 2;
export const EXPRESS_WINDOW_MS = EXPRESS_WINDOW_HOURS * 60 * 60 * 1000;

/** Same-day: it must be ordered before this hour of the shop's clock. */
export const SAME_DAY_CUTOFF_HOUR = 14;

/** Scheduled: 10 % off the fee when the slot starts this long (or longer) after the order. */
export const SCHEDULED_DISCOUNT_PERCENT = 10;
export const SCHEDULED_DISCOUNT_LEAD_HOURS = 24;
export const SCHEDULED_DISCOUNT_LEAD_MS = SCHEDULED_DISCOUNT_LEAD_HOURS * 60 * 60 * 1000;

export function isDeliveryMethod(value: unknown): value is DeliveryMethod {
  return typeof value === "string" && (DELIVERY_METHODS as readonly string[]).includes(value);
}

/** `percent` % of a whole-peso `amount`, rounded half up to whole pesos (both operands integers). */
export function percentOfPesos(amount: number, percent: number): number {
  return Math.round((amount * percent) / 100);
}
