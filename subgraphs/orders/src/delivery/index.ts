/** Delivery rules of the orders subgraph: zones, calendar, slots, methods and the priced quote. Pure, no I/O. */
export { SHOP_TIME_ZONE, type LocalDate, parseLocalDate, formatLocalDate, shopToday } from "./calendar.js";
export {
  DELIVERY_ZONES,
  DELIVERY_ZONE_IDS,
  DELIVERY_COMMUNES,
  type DeliveryZone,
  type DeliveryZoneId,
  type DeliveryCommune,
  findCommune,
  findZone,
  communeKey,
} from "./zones.js";
export { SPECIAL_DATES, type SpecialDate, specialDate } from "./special-dates.js";
export {
  DELIVERY_SLOTS,
  SLOT_HOURS,
  MIN_LEAD_HOURS,
  BOOKING_HORIZON_DAYS,
  type DeliverySlot,
  type SlotAvailability,
  type SlotUnavailableReason,
  isDeliverySlot,
  slotsOffered,
  openingHours,
  slotWindow,
  slotAvailability,
} from "./slots.js";
export {
  DELIVERY_METHODS,
  METHOD_FEE_PERCENT,
  EXPRESS_MIN_SUBTOTAL,
  EXPRESS_WINDOW_HOURS,
  SAME_DAY_CUTOFF_HOUR,
  SCHEDULED_DISCOUNT_PERCENT,
  SCHEDULED_DISCOUNT_LEAD_HOURS,
  type DeliveryMethod,
  isDeliveryMethod,
  percentOfPesos,
} from "./methods.js";
export { type DeliveryRefusal, type DeliveryRefusalCode, type DeliveryField } from "./refusals.js";
export { deliverySlots, type DeliverySlotsInput, type DeliverySlotsResult, type DeliveryDay } from "./availability.js";
export { deliveryQuote, type DeliveryQuote, type DeliveryQuoteInput, type DeliveryQuoteResult } from "./quote.js";
