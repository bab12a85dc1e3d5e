import { asc, eq, sql } from "drizzle-orm";
import type { Caller } from "@fv/platform";
import {
  orderLines,
  orderStatusChanges,
  orders,
  promotionRedemptions,
  promotions,
  type OrderLineRow,
  type OrderRow,
} from "./db/schema.js";
import { orderNumber } from "./order-number.js";
import type { OrderStatus } from "./order-status.js";
import type { StatusChangeDecision } from "./order-access.js";
import { orderPlacedEvent, publishAll, statusChangeEvents } from "./order-events.js";
import { enqueueReservationTask } from "./reservation-tasks.js";
import type { OrdersDb, OrdersTx } from "./context.js";

/** Who changed an order when no person did: another service, or a guest's checkout. */
export const SYSTEM_ACTOR = "system";

/** A history row names the person who made the change by their user id, or the system. */
export const actorOf = (caller: Caller) => (caller.kind === "user" ? caller.userId.toLowerCase() : SYSTEM_ACTOR);

const NUMBER_ATTEMPTS = 5;

export type NewOrder = Omit<typeof orders.$inferInsert, "id" | "number" | "status" | "createdAt" | "updatedAt">;
export type NewOrderLine = Omit<typeof orderLines.$inferInsert, "orderId" | "position">;

/**
 * Inserts an order awaiting payment, its lines, the history row of its creation and its
 * `order_placed` event, in the caller's transaction. A number that is already taken (32^5 per day:
 * rare, not impossible) is replaced by a new one; `on conflict do nothing` keeps the transaction
 * usable for the retry. Returns null when another order already holds the same idempotency key
 * (a concurrent retry of the same checkout won the race).
 */
export async function insertOrder(
  tx: OrdersTx,
  input: { order: NewOrder; lines: NewOrderLine[]; createdBy: string; ordersStream: string },
  nextNumber: () => string = () => orderNumber(new Date()),
): Promise<{ order: OrderRow; lines: OrderLineRow[] } | null> {
  for (let attempt = 1; attempt <= NUMBER_ATTEMPTS; attempt++) {
    const [order] = await tx
      .insert(orders)
      .values({ ...input.order, number: nextNumber(), status: "PENDING_PAYMENT" })
      .onConflictDoNothing()
      .returning();
    if (!order) {
      if (input.order.idempotencyKey) {
        const [taken] = await tx
          .select({ id: orders.id })
          .from(orders)
          .where(
            sql`${orders.idempotencyScope} = ${input.order.idempotencyScope} and ${orders.idempotencyKey} = ${input.order.idempotencyKey}`,
          );
        if (taken) return null;
      }
      continue;
    }
    const lines = input.lines.length
      ? await tx
          .insert(orderLines)
          .values(input.lines.map((line, position) => ({ ...line, orderId: order.id, position })))
          .returning()
      : [];
    await tx
      .insert(orderStatusChanges)
      .values({ orderId: order.id, fromStatus: null, toStatus: order.status, changedBy: input.createdBy });
    await publishAll(tx, input.ordersStream, [orderPlacedEvent(order, lines)]);
    return { order, lines };
  }
  throw new Error(`no free order number after ${NUMBER_ATTEMPTS} attempts`);
}

export type StatusChangeResult =
  { ok: true; order: OrderRow } | { ok: false; code: Exclude<StatusChangeDecision, "OK">; from: OrderStatus | null };

export interface StatusChange {
  orderId: string;
  to: OrderStatus;
  note: string | null;
  changedBy: string;
  ordersStream: string;
  /** Columns that change with the status (the payment's status, a refund due…). */
  set?: Partial<Pick<OrderRow, "paymentStatus" | "refundDue" | "paymentRedirectUrl">>;
}

/**
 * Moves an order to `to` if `decide` allows it for the order as it is now, and records the
 * change, its events and the stock call it implies, in one transaction. The row lock makes a
 * concurrent change of the same order wait and then be decided against the status this one left,
 * so two changes can never both apply from the same status, and a customer's cancellation can
 * never slip in after the florist started.
 */
export function changeOrderStatus(
  db: OrdersDb,
  change: StatusChange,
  decide: (current: OrderRow) => StatusChangeDecision,
): Promise<StatusChangeResult> {
  return db.transaction(async (tx): Promise<StatusChangeResult> => {
    const [current] = await tx.select().from(orders).where(eq(orders.id, change.orderId)).for("update");
    if (!current) return { ok: false, code: "ORDER_NOT_FOUND", from: null };
    const decision = decide(current);
    if (decision !== "OK") return { ok: false, code: decision, from: current.status };
    const order = await applyStatusChange(tx, current, change);
    return { ok: true, order };
  });
}

/** The update, history row, events and reservation task of one allowed change, inside `tx`. */
export async function applyStatusChange(tx: OrdersTx, current: OrderRow, change: StatusChange): Promise<OrderRow> {
  const wasPaid = current.paymentStatus === "APPROVED" || change.set?.paymentStatus === "APPROVED";
  const [order] = await tx
    .update(orders)
    .set({
      status: change.to,
      updatedAt: sql`now()`,
      ...(change.to === "PAID" && current.paymentStatus === "PENDING" ? { paymentStatus: "APPROVED" as const } : {}),
      // Stock that was paid for and is not delivered goes back; the money too (marked for refund).
      ...(change.to === "CANCELLED" && wasPaid ? { refundDue: true } : {}),
      ...(change.to !== "PENDING_PAYMENT" ? { paymentRedirectUrl: null } : {}),
      ...change.set,
    })
    .where(eq(orders.id, current.id))
    .returning();
  await tx.insert(orderStatusChanges).values({
    orderId: current.id,
    fromStatus: current.status,
    toStatus: change.to,
    changedBy: change.changedBy,
    note: change.note,
  });
  if (current.reservationRef) {
    if (change.to === "PAID") await enqueueReservationTask(tx, current.reservationRef, "CONFIRM");
    if (change.to === "CANCELLED") await enqueueReservationTask(tx, current.reservationRef, "RELEASE");
  }
  // An order cancelled before it was paid did not use its promotion code: a limited code gets the use back.
  if (change.to === "CANCELLED" && !wasPaid) await giveBackPromotionUse(tx, current.id);
  // Only a delivery's event names the products (reviews marks them as bought).
  const lines =
    change.to === "DELIVERED"
      ? await tx
          .select({ productId: orderLines.productId })
          .from(orderLines)
          .where(eq(orderLines.orderId, current.id))
          .orderBy(asc(orderLines.position))
      : [];
  await publishAll(
    tx,
    change.ordersStream,
    statusChangeEvents(
      order!,
      current.status,
      lines.map((line) => line.productId),
    ),
  );
  return order!;
}

async function giveBackPromotionUse(tx: OrdersTx, orderId: string) {
  const returned = await tx
    .delete(promotionRedemptions)
    .where(eq(promotionRedemptions.orderId, orderId))
    .returning({ promotionId: promotionRedemptions.promotionId });
  for (const { promotionId } of returned)
    await tx
      .update(promotions)
      .set({ timesUsed: sql`${promotions.timesUsed} - 1` })
      .where(eq(promotions.id, promotionId));
}
