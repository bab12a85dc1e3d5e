import { daysFromToday, type LocalDate, shopInstant, weekday } from "./calendar.js";
import { isMothersDay } from "./special-dates.js";

/** Delivery slots, in the shop's wall-clock hours (America/Santiago). */
export const DELIVERY_SLOTS = ["MORNING", "MIDDAY", "AFTERNOON", "EVENING"] as const;

export type DeliverySlot = (typeof DELIVERY_SLOTS)[number];

export const SLOT_HOURS: Readonly<Record<DeliverySlot, { readonly start: number; readonly end: number }>> = {
  MORNING: { start: 9, end: 12 },
  MIDDAY: { start: 12, end: 15 },
  AFTERNOON: { start: 15, end: 18 },
  EVENING: { start: 18, end: 21 },
};

/** A slot may be booked only if it starts at least this long after the order (DOMAIN.md). */
export const MIN_LEAD_HOURS = 3;
export const MIN_LEAD_MS = MIN_LEAD_HOURS * 60 * 60 * 1000;

/**
 * How far ahead one may book, in calendar days from the shop's today. Sixty days covers the next
 * special date from anywhere in the year's busy season while keeping the florists' planning horizon
 * (and the fees and surcharges quoted) within reach of a change of rules.
 */
export const BOOKING_HORIZON_DAYS = 60;

const WEEKDAY_SLOTS: readonly DeliverySlot[] = DELIVERY_SLOTS;
const SATURDAY_SLOTS: readonly DeliverySlot[] = ["MORNING", "MIDDAY", "AFTERNOON"];

/**
 * The slots the shop offers on a day: Monday–Friday all four, Saturday the first three, Sunday none —
 * except 10 May (Día de la Madre), which opens even on a Sunday with the Saturday set (09–18): the
 * same short-day staffing the shop already knows how to run.
 */
export function slotsOffered(date: LocalDate): readonly DeliverySlot[] {
  const day = weekday(date);
  if (day === 0) return isMothersDay(date) ? SATURDAY_SLOTS : [];
  if (day === 6) return SATURDAY_SLOTS;
  return WEEKDAY_SLOTS;
}

/** The instants the shop opens and closes on `date` (first slot's start, last slot's end), or null if closed. */
export function openingHours(date: LocalDate): { open: Date; close: Date } | null {
  const offered = slotsOffered(date);
  const first = offered[0];
  const last = offered[offered.length - 1];
  if (first === undefined || last === undefined) return null;
  return { open: shopInstant(date, SLOT_HOURS[first].start), close: shopInstant(date, SLOT_HOURS[last].end) };
}

export function slotWindow(date: LocalDate, slot: DeliverySlot): { start: Date; end: Date } {
  return { start: shopInstant(date, SLOT_HOURS[slot].start), end: shopInstant(date, SLOT_HOURS[slot].end) };
}

export function isDeliverySlot(value: unknown): value is DeliverySlot {
  return typeof value === "string" && (DELIVERY_SLOTS as readonly string[]).includes(value);
}

/**
 * Why a slot cannot be booked: the shop is closed that day, the slot is not run that day, it has
 * already started, it starts within the 3-hour lead, or the day lies beyond the booking horizon.
 */
export type SlotUnavailableReason = "CLOSED_DAY" | "NOT_OFFERED" | "PAST" | "TOO_SOON" | "TOO_FAR_AHEAD";

export interface SlotAvailability {
  readonly slot: DeliverySlot;
  readonly start: Date;
  readonly end: Date;
  readonly available: boolean;
  readonly reason: SlotUnavailableReason | null;
}

export function slotAvailability(date: LocalDate, slot: DeliverySlot, now: Date): SlotAvailability {
  const { start, end } = slotWindow(date, slot);
  const unavailable = (reason: SlotUnavailableReason) => ({ slot, start, end, available: false, reason });
  const offered = slotsOffered(date);
  if (offered.length === 0) return unavailable("CLOSED_DAY");
  if (!offered.includes(slot)) return unavailable("NOT_OFFERED");
  // Lead time is measured between instants, so a clock change in between counts as the real hours it is.
  const lead = start.getTime() - now.getTime();
  if (lead <= 0) return unavailable("PAST");
  if (lead < MIN_LEAD_MS) return unavailable("TOO_SOON");
  if (daysFromToday(date, now) > BOOKING_HORIZON_DAYS) return unavailable("TOO_FAR_AHEAD");
  return { slot, start, end, available: true, reason: null };
}
