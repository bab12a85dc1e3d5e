import {
  addShopDays,
  assertValidNow,
  daysFromToday,
  formatLocalDate,
  formatShopTime,
  type LocalDate,
  parseLocalDate,
  shopInstant,
  shopToday,
} from "./calendar.js";
import {
  type DeliveryMethod,
  EXPRESS_MIN_SUBTOTAL,
  EXPRESS_WINDOW_MS,
  isDeliveryMethod,
  METHOD_FEE_PERCENT,
  percentOfPesos,
  SAME_DAY_CUTOFF_HOUR,
  SCHEDULED_DISCOUNT_LEAD_MS,
  SCHEDULED_DISCOUNT_PERCENT,
} from "./methods.js";
import { type DeliveryRefusal, refuse } from "./refusals.js";
import {
  BOOKING_HORIZON_DAYS,
  type DeliverySlot,
  isDeliverySlot,
  MIN_LEAD_HOURS,
  openingHours,
  slotAvailability,
  slotsOffered,
} from "./slots.js";
import { specialDate } from "./special-dates.js";
import { type DeliveryZone, findCommune } from "./zones.js";

export interface DeliveryQuoteInput {
  /** Required for every method but PICKUP (ignored there). */
  readonly commune?: string | null;
  readonly method: DeliveryMethod;
  /** The shop's calendar day, `YYYY-MM-DD`. */
  readonly date: string;
  /** Required for every method but EXPRESS (which must not carry one). */
  readonly slot?: DeliverySlot | null;
  /**
   * Merchandise subtotal in CLP, the order's `subtotal` (before any promotion discount, without the
   * delivery fee): it decides free delivery and the express minimum.
   */
  readonly subtotal: number;
  readonly now: Date;
}

/**
 * A priced delivery. Always `fee = methodFee − scheduledDiscount + surcharge`, all whole pesos.
 * PICKUP: zone, commune, threshold and usual time are null and every amount is 0.
 */
export interface DeliveryQuote {
  readonly method: DeliveryMethod;
  readonly zone: DeliveryZone | null;
  /** Canonical spelling ("Ñuñoa" for "nunoa"). */
  readonly commune: string | null;
  readonly date: string;
  /** Null for EXPRESS, which arrives within 2 hours of `now` instead. */
  readonly slot: DeliverySlot | null;
  readonly window: { readonly start: Date; readonly end: Date };
  /** The zone's listed fee, shown even when free delivery waives it. */
  readonly baseFee: number;
  /** Base fee × the method's multiplier, rounded; 0 when free delivery applies. */
  readonly methodFee: number;
  readonly scheduledDiscount: number;
  readonly surcharge: number;
  /** Name of the special date (surcharge or not, e.g. for PICKUP), or null. */
  readonly specialDate: string | null;
  readonly freeDeliveryThreshold: number | null;
  /** How much more merchandise would make delivery free; 0 once reached (and for PICKUP). */
  readonly amountToFreeDelivery: number;
  readonly freeDelivery: boolean;
  /** The delivery fee charged. */
  readonly fee: number;
  readonly usualMinutes: { readonly min: number; readonly max: number } | null;
}

export type DeliveryQuoteResult = { ok: true; quote: DeliveryQuote } | { ok: false; reason: DeliveryRefusal };

const no = (reason: DeliveryRefusal): DeliveryQuoteResult => ({ ok: false, reason });

export function deliveryQuote(input: DeliveryQuoteInput): DeliveryQuoteResult {
  const { method, now, subtotal } = input;
  assertValidNow(now);
  if (!isDeliveryMethod(method)) return no(refuse.invalidMethod(method));
  if (!Number.isSafeInteger(subtotal) || subtotal < 0) return no(refuse.invalidSubtotal(subtotal));

  const date = typeof input.date === "string" ? parseLocalDate(input.date) : null;
  if (date === null) return no(refuse.invalidDate(input.date));
  const dateText = formatLocalDate(date);
  const today = shopToday(now);
  const days = daysFromToday(date, now);
  if (days < 0) return no(refuse.dateInPast(dateText, formatLocalDate(today)));
  if (days > BOOKING_HORIZON_DAYS)
    return no(refuse.dateTooFar(dateText, BOOKING_HORIZON_DAYS, lastBookableDate(today)));

  let zone: DeliveryZone | null = null;
  let commune: string | null = null;
  if (method !== "PICKUP") {
    const raw = input.commune?.trim() ?? "";
    if (raw === "") return no(refuse.communeRequired());
    const found = findCommune(raw);
    if (found === null) return no(refuse.communeNotServed(raw));
    zone = found.zone;
    commune = found.name;
  }

  const hours = openingHours(date);
  if (hours === null) return no(refuse.closedDay(dateText));

  if (method === "EXPRESS") {
    if (days !== 0) return no(refuse.expressWrongDate(dateText, formatLocalDate(today)));
    if (input.slot != null) return no(refuse.slotNotApplicable(String(input.slot)));
    if (subtotal < EXPRESS_MIN_SUBTOTAL)
      return no(refuse.expressMinimumNotMet(EXPRESS_MIN_SUBTOTAL, EXPRESS_MIN_SUBTOTAL - subtotal));
    // Express is run by the shop while it is open: ordered no earlier than opening, and the whole
    // 2-hour window must end by closing time, so the last order is 2 hours before the last slot ends.
    const lastOrder = new Date(hours.close.getTime() - EXPRESS_WINDOW_MS);
    if (now < hours.open || now > lastOrder)
      return no(refuse.expressNotAvailableNow(formatShopTime(hours.open), formatShopTime(lastOrder)));
    const window = { start: new Date(now.getTime()), end: new Date(now.getTime() + EXPRESS_WINDOW_MS) };
    return { ok: true, quote: priced({ method, zone, commune, date, slot: null, window, subtotal, now }) };
  }

  if (method === "SAME_DAY") {
    if (days !== 0) return no(refuse.sameDayWrongDate(dateText, formatLocalDate(today)));
    if (now >= shopInstant(today, SAME_DAY_CUTOFF_HOUR)) return no(refuse.sameDayCutoffPassed(SAME_DAY_CUTOFF_HOUR));
  }
  // Standard and scheduled delivery at the base fee start tomorrow: otherwise nobody would pay the
  // same-day premium, and its 14:00 cut-off would be a formality.
  if ((method === "STANDARD" || method === "SCHEDULED") && days === 0) return no(refuse.methodNotForToday(method));

  if (input.slot == null) return no(refuse.slotRequired(method));
  if (!isDeliverySlot(input.slot)) return no(refuse.invalidSlot(input.slot));
  const slot = input.slot;
  const availability = slotAvailability(date, slot, now);
  switch (availability.reason) {
    case null:
      break;
    case "CLOSED_DAY":
      return no(refuse.closedDay(dateText));
    case "NOT_OFFERED":
      return no(refuse.slotNotOffered(slot, dateText, slotsOffered(date)));
    case "PAST":
    case "TOO_SOON":
      return no(refuse.slotTooSoon(slot, dateText, availability.reason === "PAST", MIN_LEAD_HOURS));
    case "TOO_FAR_AHEAD":
      return no(refuse.dateTooFar(dateText, BOOKING_HORIZON_DAYS, lastBookableDate(today)));
  }
  const window = { start: availability.start, end: availability.end };
  return { ok: true, quote: priced({ method, zone, commune, date, slot, window, subtotal, now }) };
}

const lastBookableDate = (today: LocalDate): string => formatLocalDate(addShopDays(today, BOOKING_HORIZON_DAYS));

interface Priced {
  method: DeliveryMethod;
  zone: DeliveryZone | null;
  commune: string | null;
  date: LocalDate;
  slot: DeliverySlot | null;
  window: { start: Date; end: Date };
  subtotal: number;
  now: Date;
}

function priced({ method, zone, commune, date, slot, window, subtotal, now }: Priced): DeliveryQuote {
  const special = specialDate(date);
  const common = { method, commune, date: formatLocalDate(date), slot, window, specialDate: special?.name ?? null };
  if (zone === null) {
    // Pickup: nothing to deliver, so no fee and no special-date surcharge (the surcharge pays for the
    // drivers' peak days, and a customer who collects the flowers does not use one).
    return {
      ...common,
      zone: null,
      baseFee: 0,
      methodFee: 0,
      scheduledDiscount: 0,
      surcharge: 0,
      freeDeliveryThreshold: null,
      amountToFreeDelivery: 0,
      freeDelivery: false,
      fee: 0,
      usualMinutes: null,
    };
  }
  // Free delivery waives the whole method fee (express and same-day premiums included: 0 × 1.5 = 0);
  // the special-date surcharge is still charged.
  const freeDelivery = subtotal >= zone.freeFrom;
  const methodFee = freeDelivery ? 0 : percentOfPesos(zone.baseFee, METHOD_FEE_PERCENT[method]);
  const bookedAhead = window.start.getTime() - now.getTime() >= SCHEDULED_DISCOUNT_LEAD_MS;
  const scheduledDiscount =
    method === "SCHEDULED" && bookedAhead ? percentOfPesos(methodFee, SCHEDULED_DISCOUNT_PERCENT) : 0;
  const surcharge = special?.surcharge ?? 0;
  return {
    ...common,
    zone,
    baseFee: zone.baseFee,
    methodFee,
    scheduledDiscount,
    surcharge,
    freeDeliveryThreshold: zone.freeFrom,
    amountToFreeDelivery: Math.max(0, zone.freeFrom - subtotal),
    freeDelivery,
    fee: methodFee - scheduledDiscount + surcharge,
    usualMinutes: { min: zone.usualMinutes.min, max: zone.usualMinutes.max },
  };
}
