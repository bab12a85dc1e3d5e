import type { DeliveryMethod } from "./methods.js";

/**
 * Every reason a delivery cannot be quoted, with the input field it concerns so the API can hand it
 * back as a `UserError { field, code, message }`. Messages say what is wrong and what would work.
 */
export type DeliveryRefusalCode =
  | "INVALID_METHOD"
  | "INVALID_SUBTOTAL"
  | "INVALID_DATE"
  | "DATE_IN_PAST"
  | "DATE_TOO_FAR"
  | "COMMUNE_REQUIRED"
  | "COMMUNE_NOT_SERVED"
  | "CLOSED_DAY"
  | "METHOD_NOT_FOR_TODAY"
  | "SAME_DAY_WRONG_DATE"
  | "SAME_DAY_CUTOFF_PASSED"
  | "EXPRESS_WRONG_DATE"
  | "EXPRESS_MINIMUM_NOT_MET"
  | "EXPRESS_NOT_AVAILABLE_NOW"
  | "SLOT_NOT_APPLICABLE"
  | "SLOT_REQUIRED"
  | "INVALID_SLOT"
  | "SLOT_NOT_OFFERED"
  | "SLOT_TOO_SOON";

export type DeliveryField = "method" | "subtotal" | "date" | "commune" | "slot";

export interface DeliveryRefusal {
  readonly code: DeliveryRefusalCode;
  readonly field: DeliveryField;
  readonly message: string;
}

export const clp = (amount: number): string => `CLP ${new Intl.NumberFormat("en-US").format(amount)}`;

const refusal = (code: DeliveryRefusalCode, field: DeliveryField, message: string): DeliveryRefusal => ({
  code,
  field,
  message,
});

export const refuse = {
  invalidMethod: (method: unknown) =>
    refusal("INVALID_METHOD", "method", `"${String(method)}" is not a delivery method.`),
  invalidSubtotal: (subtotal: unknown) =>
    refusal(
      "INVALID_SUBTOTAL",
      "subtotal",
      `The subtotal must be a whole number of pesos, 0 or more (got ${String(subtotal)}).`,
    ),
  invalidDate: (date: unknown) =>
    refusal("INVALID_DATE", "date", `"${String(date)}" is not a calendar date; use YYYY-MM-DD, e.g. 2026-05-10.`),
  dateInPast: (date: string, today: string) =>
    refusal("DATE_IN_PAST", "date", `${date} has already passed; the earliest delivery date is today, ${today}.`),
  dateTooFar: (date: string, horizonDays: number, lastDate: string) =>
    refusal(
      "DATE_TOO_FAR",
      "date",
      `${date} is too far ahead: deliveries can be booked up to ${horizonDays} days ahead (until ${lastDate}).`,
    ),
  communeRequired: () =>
    refusal("COMMUNE_REQUIRED", "commune", "A commune is required for delivery (pickup in store needs none)."),
  communeNotServed: (commune: string) =>
    refusal(
      "COMMUNE_NOT_SERVED",
      "commune",
      `We do not deliver to "${commune.trim()}"; you can still pick the order up in store.`,
    ),
  closedDay: (date: string) =>
    refusal("CLOSED_DAY", "date", `The shop is closed on ${date} (Sundays, except 10 May); choose another date.`),
  methodNotForToday: (method: DeliveryMethod) =>
    refusal(
      "METHOD_NOT_FOR_TODAY",
      "method",
      `${method} delivery starts tomorrow; for today choose SAME_DAY or EXPRESS delivery, or PICKUP.`,
    ),
  sameDayWrongDate: (date: string, today: string) =>
    refusal(
      "SAME_DAY_WRONG_DATE",
      "date",
      `Same-day delivery is for today (${today}), not ${date}; choose STANDARD or SCHEDULED for a later date.`,
    ),
  sameDayCutoffPassed: (cutoffHour: number) =>
    refusal(
      "SAME_DAY_CUTOFF_PASSED",
      "method",
      `Same-day delivery must be ordered before ${cutoffHour}:00 (Santiago time); choose EXPRESS or another date.`,
    ),
  expressWrongDate: (date: string, today: string) =>
    refusal(
      "EXPRESS_WRONG_DATE",
      "date",
      `Express delivery arrives within 2 hours, so its date is today (${today}), not ${date}.`,
    ),
  expressMinimumNotMet: (minimum: number, missing: number) =>
    refusal(
      "EXPRESS_MINIMUM_NOT_MET",
      "method",
      `Express delivery needs a subtotal of at least ${clp(minimum)}; add ${clp(missing)} more or choose another method.`,
    ),
  expressNotAvailableNow: (open: string, lastOrder: string) =>
    refusal(
      "EXPRESS_NOT_AVAILABLE_NOW",
      "method",
      `Express delivery can be ordered today from ${open} until ${lastOrder} (Santiago time), so that it arrives before closing.`,
    ),
  slotNotApplicable: (slot: string) =>
    refusal(
      "SLOT_NOT_APPLICABLE",
      "slot",
      `Express delivery arrives within 2 hours of ordering and takes no slot (got ${slot}); leave the slot empty.`,
    ),
  slotRequired: (method: DeliveryMethod) =>
    refusal("SLOT_REQUIRED", "slot", `${method} needs a time slot: MORNING, MIDDAY, AFTERNOON or EVENING.`),
  invalidSlot: (slot: unknown) =>
    refusal("INVALID_SLOT", "slot", `"${String(slot)}" is not a time slot; use MORNING, MIDDAY, AFTERNOON or EVENING.`),
  slotNotOffered: (slot: string, date: string, offered: readonly string[]) =>
    refusal(
      "SLOT_NOT_OFFERED",
      "slot",
      `The ${slot} slot is not offered on ${date}; that day has ${offered.join(", ")}.`,
    ),
  slotTooSoon: (slot: string, date: string, started: boolean, leadHours: number) =>
    refusal(
      "SLOT_TOO_SOON",
      "slot",
      started
        ? `The ${slot} slot on ${date} has already started; choose a later slot.`
        : `The ${slot} slot on ${date} starts in less than ${leadHours} hours; choose a later slot.`,
    ),
};
