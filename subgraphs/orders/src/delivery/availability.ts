import { assertValidNow, formatLocalDate, parseLocalDate } from "./calendar.js";
import { refuse, type DeliveryRefusal } from "./refusals.js";
import { DELIVERY_SLOTS, slotAvailability, type SlotAvailability } from "./slots.js";
import { specialDate, type SpecialDate } from "./special-dates.js";
import { findCommune } from "./zones.js";

export interface DeliverySlotsInput {
  /** The shop's calendar day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Optional: when given it must be served, so the storefront can say so before the customer picks a slot. */
  readonly commune?: string | null;
  readonly now: Date;
}

export interface DeliveryDay {
  readonly date: string;
  /** Whether the shop runs any slot that day (Sundays are closed, except 10 May). */
  readonly open: boolean;
  readonly specialDate: SpecialDate | null;
  /** All four slots in order, each with whether it can still be booked and, if not, why. */
  readonly slots: readonly SlotAvailability[];
}

export type DeliverySlotsResult = { ok: true; day: DeliveryDay } | { ok: false; reason: DeliveryRefusal };

/**
 * The day's slots as the storefront shows them. Slots do not depend on the zone today; the commune is
 * only checked, so an unserved address is reported here rather than at checkout.
 */
export function deliverySlots(input: DeliverySlotsInput): DeliverySlotsResult {
  assertValidNow(input.now);
  const date = typeof input.date === "string" ? parseLocalDate(input.date) : null;
  if (date === null) return { ok: false, reason: refuse.invalidDate(input.date) };
  const commune = input.commune?.trim() ?? "";
  if (commune !== "" && findCommune(commune) === null) return { ok: false, reason: refuse.communeNotServed(commune) };
  const slots = DELIVERY_SLOTS.map((slot) => slotAvailability(date, slot, input.now));
  return {
    ok: true,
    day: {
      date: formatLocalDate(date),
      open: slots.some((s) => s.reason !== "CLOSED_DAY"),
      specialDate: specialDate(date),
      slots,
    },
  };
}
