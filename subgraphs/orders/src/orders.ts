import { eq, sql } from "drizzle-orm";
import type { Caller } from "@fv/platform";
import { orderStatusChanges, orders, type OrderRow } from "./db/schema.js";
import { orderNumber } from "./order-number.js";
import type { OrderStatus } from "./order-status.js";
import type { StatusChangeDecision } from "./order-access.js";
import type { OrdersDb } from "./context.js";

/** Who changed an order when no person did: another service, or a guest's checkout. */
export const SYSTEM_ACTOR = "system";

/** A history row names the person who made the change by their user id, or the system. */
export const actorOf = (caller: Caller) => (caller.kind === "user" ? caller.userId.toLowerCase() : SYSTEM_ACTOR);

const NUMBER_ATTEMPTS = 5;

/**
 * Inserts an order awaiting payment together with the history row of its creation. A number that
 * is already taken (32^5 per day: rare, not impossible) is replaced by a new one; `on conflict do
 * nothing` keeps the transaction usable for the retry, where a unique violation would abort it.
 */
export function insertDraftOrder(
  db: OrdersDb,
  input: { buyerEmail: string; customerId: string | null; createdBy: string },
  nextNumber: () => string = () => orderNumber(new Date()),
): Promise<OrderRow> {
  return db.transaction(async (tx) => {
    const { createdBy, ...values } = input;
    for (let attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt++) {
      const [order] = await tx
        .insert(orders)
        .values({ number: nextNumber(), status: "PENDING_PAYMENT", ...values })
        .onConflictDoNothing({ target: orders.number })
        .returning();
      if (!order) continue;
      await tx
        .insert(orderStatusChanges)
        .values({ orderId: order.id, fromStatus: null, toStatus: order.status, changedBy: createdBy });
      return order;
    }
    throw new Error(`no free order number after ${NUMBER_ATTEMPTS} attempts`);
  });
}

export type StatusChangeResult =
  { ok: true; order: OrderRow } | { ok: false; code: Exclude<StatusChangeDecision, "OK">; from: OrderStatus | null };

/**
 * Moves an order to `to` if `decide` allows it for the order as it is now, and records the
 * change, in one transaction. The row lock makes a concurrent change of the same order wait and
 * then be decided against the status this one left, so two changes can never both apply from the
 * same status, and a customer's cancellation can never slip in after the florist started.
 */
export function changeOrderStatus(
  db: OrdersDb,
  change: { orderId: string; to: OrderStatus; note: string | null; changedBy: string },
  decide: (current: OrderRow) => StatusChangeDecision,
): Promise<StatusChangeResult> {
  return db.transaction(async (tx): Promise<StatusChangeResult> => {
    const [current] = await tx.select().from(orders).where(eq(orders.id, change.orderId)).for("update");
    if (!current) return { ok: false, code: "ORDER_NOT_FOUND", from: null };
    const decision = decide(current);
    if (decision !== "OK") return { ok: false, code: decision, from: current.status };
    const [order] = await tx
      .update(orders)
      .set({ status: change.to, updatedAt: sql`now()` })
      .where(eq(orders.id, change.orderId))
      .returning();
    await tx.insert(orderStatusChanges).values({
      orderId: change.orderId,
      fromStatus: current.status,
      toStatus: change.to,
      changedBy: change.changedBy,
      note: change.note,
    });
    return { ok: true, order: order! };
  });
}
