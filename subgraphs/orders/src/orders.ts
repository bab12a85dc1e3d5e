import { eq, sql } from "drizzle-orm";
import { orderStatusChanges, orders, type OrderRow } from "./db/schema.js";
import { orderNumber } from "./order-number.js";
import { canTransition, type OrderStatus } from "./order-status.js";
import type { OrdersDb } from "./context.js";

// Who changed an order. Until identity reaches this subgraph (a later issue), every change is the system's.
export const SYSTEM_ACTOR = "system";
const NUMBER_ATTEMPTS = 5;

/**
 * Inserts an order awaiting payment together with the history row of its creation. A number that
 * is already taken (32^5 per day: rare, not impossible) is replaced by a new one; `on conflict do
 * nothing` keeps the transaction usable for the retry, where a unique violation would abort it.
 */
export function insertDraftOrder(
  db: OrdersDb,
  input: { buyerEmail: string; customerId: string | null },
  nextNumber: () => string = () => orderNumber(new Date()),
): Promise<OrderRow> {
  return db.transaction(async (tx) => {
    for (let attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt++) {
      const [order] = await tx
        .insert(orders)
        .values({ number: nextNumber(), status: "PENDING_PAYMENT", ...input })
        .onConflictDoNothing({ target: orders.number })
        .returning();
      if (!order) continue;
      await tx
        .insert(orderStatusChanges)
        .values({ orderId: order.id, fromStatus: null, toStatus: order.status, changedBy: SYSTEM_ACTOR });
      return order;
    }
    throw new Error(`no free order number after ${NUMBER_ATTEMPTS} attempts`);
  });
}

export type StatusChangeResult =
  | { ok: true; order: OrderRow }
  | { ok: false; code: "ORDER_NOT_FOUND" }
  | { ok: false; code: "INVALID_TRANSITION"; from: OrderStatus };

/**
 * Moves an order to `to` if the status table allows it from the order's current status, and
 * records the change, in one transaction. The row lock makes a concurrent change of the same order
 * wait and then check against the status this one left, so two changes can never both apply from
 * the same status.
 */
export function changeOrderStatus(
  db: OrdersDb,
  change: { orderId: string; to: OrderStatus; note: string | null; changedBy: string },
): Promise<StatusChangeResult> {
  return db.transaction(async (tx): Promise<StatusChangeResult> => {
    const [current] = await tx.select().from(orders).where(eq(orders.id, change.orderId)).for("update");
    if (!current) return { ok: false, code: "ORDER_NOT_FOUND" };
    if (!canTransition(current.status, change.to))
      return { ok: false, code: "INVALID_TRANSITION", from: current.status };
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
