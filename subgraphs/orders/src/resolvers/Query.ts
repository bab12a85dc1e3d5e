import { eq } from "drizzle-orm";
import { badUserInput, forbidden, hasPermission, pageSize, requirePermission, requireUser } from "@fv/platform";
import { orders, promotions } from "../db/schema.js";
import { DELIVERY_ZONES, deliveryQuote, deliverySlots, findCommune, parseLocalDate } from "../delivery/index.js";
import { canViewAllOrders } from "../order-access.js";
import { newestFirst, orderFilter } from "../order-lists.js";
import { priceLines } from "../checkout/pricing.js";
import { visibleOrder } from "./Order.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  order: async (_parent, { id }, { loaders, caller }) => visibleOrder(caller, await loaders.order.load(id)),
  orderByNumber: async (_parent, { number }, { db, caller }) => {
    const [row] = await db.select().from(orders).where(eq(orders.number, number.trim().toUpperCase()));
    return visibleOrder(caller, row ?? null);
  },

  myOrders: async (_parent, { first, after }, { db, caller }) => {
    const user = requireUser(caller);
    return newestFirst(db, orders, eq(orders.customerId, user.userId.toLowerCase()), pageSize(first), after);
  },

  orders: async (_parent, { filter, first, after }, { db, caller }) => {
    const user = requireUser(caller);
    const driverOnly = !canViewAllOrders(caller);
    if (driverOnly && !hasPermission(caller, "orders:view_assigned"))
      throw forbidden("Listing orders needs orders:view_all (or orders:view_assigned for a driver's own)");
    if (filter?.deliveryDate && !parseLocalDate(filter.deliveryDate))
      throw badUserInput('Argument "filter.deliveryDate" must be a date YYYY-MM-DD', "filter.deliveryDate");
    const commune = filter?.commune ? (findCommune(filter.commune)?.name ?? filter.commune.trim()) : null;
    const where = orderFilter({
      status: filter?.status,
      createdFrom: filter?.createdFrom,
      createdTo: filter?.createdTo,
      deliveryDate: filter?.deliveryDate,
      commune,
      // A driver's list is their own, whatever the filter asks.
      driverId: driverOnly ? user.userId.toLowerCase() : null,
    });
    return newestFirst(db, orders, where, pageSize(first), after);
  },

  deliveryZones: () =>
    DELIVERY_ZONES.map((zone) => ({
      name: zone.name,
      communes: [...zone.communes],
      baseFee: zone.baseFee,
      freeDeliveryFrom: zone.freeFrom,
      usualMinutesMin: zone.usualMinutes.min,
      usualMinutesMax: zone.usualMinutes.max,
    })),

  deliverySlots: (_parent, { date }) => {
    const result = deliverySlots({ date, now: new Date() });
    if (!result.ok) throw badUserInput(`Argument "date": ${result.reason.message}`, "date");
    return result.day.slots.map((slot) => ({
      slot: slot.slot,
      startsAt: slot.start,
      endsAt: slot.end,
      available: slot.available,
      reason: slot.reason,
    }));
  },

  deliveryQuote: async (_parent, { input }, context) => {
    const priced = await priceLines(context, input.lines, ["input", "lines"]);
    if (!priced.ok) return { quote: null, errors: priced.errors };
    const result = deliveryQuote({
      commune: input.commune ?? null,
      method: input.method,
      date: input.date,
      slot: input.slot ?? null,
      subtotal: priced.subtotal,
      now: new Date(),
    });
    if (!result.ok) {
      const { field, code, message } = result.reason;
      return { quote: null, errors: [{ field: ["input", field], code, message }] };
    }
    const q = result.quote;
    return {
      quote: {
        method: q.method,
        zone: q.zone?.name ?? null,
        commune: q.commune,
        date: q.date,
        slot: q.slot,
        subtotal: priced.subtotal,
        baseFee: q.baseFee,
        methodFee: q.methodFee,
        scheduledDiscount: q.scheduledDiscount,
        surcharge: q.surcharge,
        specialDate: q.specialDate,
        freeDelivery: q.freeDelivery,
        freeDeliveryThreshold: q.freeDeliveryThreshold,
        amountToFreeDelivery: q.amountToFreeDelivery,
        fee: q.fee,
      },
      errors: [],
    };
  },

  promotions: async (_parent, { first, after }, { db, caller }) => {
    requirePermission(caller, "promotions:manage");
    return newestFirst(db, promotions, undefined, pageSize(first), after);
  },
};
