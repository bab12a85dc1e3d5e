import { STREAMS, enqueueEvent, newEvent, type EventEnvelope } from "@fv/platform";
import type { OrderLineRow, OrderRow } from "./db/schema.js";
import type { OrdersTx } from "./context.js";

/*
 * The events orders publishes on `${EVENTS_PREFIX}events:orders`, always through the outbox in the
 * transaction that changed the order. Their shapes are the contract of the consumers: contact
 * (subgraphs/contact/src/order-events.ts: confirmation and status emails), reviews
 * (subgraphs/reviews/src/order-events.ts: verified purchases) and cart (takes the ordered units out).
 */
export const ORDER_EVENT_TYPES = {
  placed: "orders.order_placed",
  paid: "orders.order_paid",
  statusChanged: "orders.status_changed",
  cancelled: "orders.order_cancelled",
  delivered: "orders.order_delivered",
} as const;

export const ordersStream = (eventsPrefix: string) => `${eventsPrefix}${STREAMS.orders}`;

const who = (order: OrderRow) => ({
  orderId: order.id,
  number: order.number,
  email: order.buyerEmail,
  customerName: order.buyerName || null,
  customerId: order.customerId,
});

export function orderPlacedEvent(order: OrderRow, lines: OrderLineRow[]) {
  return newEvent(ORDER_EVENT_TYPES.placed, {
    ...who(order),
    cartId: order.cartId,
    lines: lines.map((line) => ({
      productId: line.productId,
      name: line.name,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      subtotal: line.lineTotal,
    })),
    subtotal: order.subtotal,
    discount: order.discount,
    deliveryFee: order.deliveryFee,
    total: order.total,
    deliveryMethod: order.deliveryMethod,
    deliveryDate: order.deliveryDate,
    deliverySlot: order.deliverySlot,
  });
}

/** The events one status change publishes: always `status_changed`, and the milestone it reached. */
export function statusChangeEvents(order: OrderRow, from: OrderRow["status"], productIds: string[]) {
  const events: EventEnvelope<unknown>[] = [
    newEvent(ORDER_EVENT_TYPES.statusChanged, { ...who(order), from, status: order.status }),
  ];
  if (order.status === "PAID") events.push(newEvent(ORDER_EVENT_TYPES.paid, { ...who(order), total: order.total }));
  if (order.status === "CANCELLED")
    events.push(newEvent(ORDER_EVENT_TYPES.cancelled, { ...who(order), from, refundDue: order.refundDue }));
  // Reviews marks verified purchases from this; a guest order has no user to mark.
  if (order.status === "DELIVERED" && order.customerId)
    events.push(newEvent(ORDER_EVENT_TYPES.delivered, { ...who(order), userId: order.customerId, productIds }));
  return events;
}

export async function publishAll(tx: OrdersTx, stream: string, events: EventEnvelope<unknown>[]) {
  for (const event of events) await enqueueEvent(tx, stream, event);
}
