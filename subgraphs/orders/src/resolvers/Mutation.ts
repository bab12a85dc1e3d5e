import { eq, sql } from "drizzle-orm";
import { forbidden, requirePermission, requireUser, userError } from "@fv/platform";
import { orders, promotions } from "../db/schema.js";
import { isUuid } from "../loaders.js";
import { actorOf, changeOrderStatus } from "../orders.js";
import { decideStatusChange } from "../order-access.js";
import { parseCheckoutInput } from "../checkout/checkout-input.js";
import { checkout } from "../checkout/checkout.js";
import { normalizePromotionCode, validatePromotionInput } from "../promotions/rules.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const MAX_NOTE_LENGTH = 1_000;

/** `argument` is the name of the argument that carried the id (`id`, `orderId`). */
const orderNotFound = (id: string, argument = "id") => ({
  order: null,
  errors: [userError([argument], "ORDER_NOT_FOUND", `no order with id "${id}"`)],
});

export const Mutation: MutationResolvers = {
  checkout: async (_parent, { input }, context) => {
    const parsed = parseCheckoutInput(input);
    if ("errors" in parsed) {
      context.metrics.checkoutFailures.inc({ reason: parsed.errors[0]!.code });
      return { order: null, errors: parsed.errors };
    }
    const authorization = context.headers.authorization;
    return checkout(context, { caller: context.caller, requestId: context.requestId, authorization }, parsed.request);
  },

  changeOrderStatus: async (_parent, { id, to, note }, context) => {
    const { db, caller } = context;
    if (caller.kind !== "service") requireUser(caller);
    const trimmedNote = note?.trim() || null;
    if (trimmedNote && trimmedNote.length > MAX_NOTE_LENGTH)
      return {
        order: null,
        errors: [userError(["note"], "NOTE_TOO_LONG", `note must be at most ${MAX_NOTE_LENGTH} characters`)],
      };
    if (!isUuid(id)) return orderNotFound(id);
    const result = await changeOrderStatus(
      db,
      { orderId: id, to, note: trimmedNote, changedBy: actorOf(caller), ordersStream: context.ordersStream },
      (current) => decideStatusChange(caller, current, to),
    );
    if (result.ok) {
      context.kickReservationTasks();
      return { order: result.order, errors: [] };
    }
    switch (result.code) {
      case "ORDER_NOT_FOUND":
        return orderNotFound(id);
      case "FORBIDDEN":
        throw forbidden(`You may not move this order from ${result.from} to ${to}`);
      case "NOT_CANCELLABLE":
        return {
          order: null,
          errors: [
            userError(
              ["to"],
              "NOT_CANCELLABLE",
              `an order can be cancelled by its customer only until it is being prepared; it is ${result.from}`,
            ),
          ],
        };
      case "INVALID_TRANSITION":
        return {
          order: null,
          errors: [userError(["to"], "INVALID_TRANSITION", `an order cannot go from ${result.from} to ${to}`)],
        };
    }
  },

  assignDriver: async (_parent, { orderId, driverId }, { db, caller }) => {
    requirePermission(caller, "orders:assign_driver");
    if (!isUuid(driverId))
      return { order: null, errors: [userError(["driverId"], "INVALID_DRIVER", "driverId must be a user id")] };
    if (!isUuid(orderId)) return orderNotFound(orderId, "orderId");
    const [order] = await db
      .update(orders)
      .set({ driverId: driverId.toLowerCase(), updatedAt: sql`now()` })
      .where(eq(orders.id, orderId))
      .returning();
    return order ? { order, errors: [] } : orderNotFound(orderId, "orderId");
  },

  createPromotion: async (_parent, { input }, { db, caller }) => {
    requirePermission(caller, "promotions:manage");
    const code = normalizePromotionCode(input.code);
    const errors = validatePromotionInput({ ...input, code: code ?? input.code });
    if (errors.length)
      return {
        promotion: null,
        errors: errors.map((e) => userError(["input", e.field], e.code, e.message)),
      };
    const [promotion] = await db
      .insert(promotions)
      .values({
        code: code!,
        kind: input.kind,
        value: input.value,
        minSubtotal: input.minSubtotal ?? null,
        startsAt: input.startsAt ?? null,
        endsAt: input.endsAt ?? null,
        usageLimit: input.usageLimit ?? null,
        onePerCustomer: input.onePerCustomer ?? false,
        createdBy: actorOf(caller),
      })
      .onConflictDoNothing({ target: promotions.code })
      .returning();
    if (!promotion)
      return {
        promotion: null,
        errors: [userError(["input", "code"], "DUPLICATE_CODE", `a promotion "${code}" already exists`)],
      };
    return { promotion, errors: [] };
  },

  setPromotionActive: async (_parent, { code, active }, { db, caller }) => {
    requirePermission(caller, "promotions:manage");
    const normalized = normalizePromotionCode(code) ?? code;
    const [promotion] = await db.update(promotions).set({ active }).where(eq(promotions.code, normalized)).returning();
    return promotion
      ? { promotion, errors: [] }
      : { promotion: null, errors: [userError(["code"], "PROMOTION_NOT_FOUND", `no promotion code "${code}"`)] };
  },
};
