import { z, type EventEnvelope, type Logger } from "@fv/platform";
import { customerCartId, isEventId, type CartStore } from "./store.js";

/**
 * What the cart reads of `orders.order_placed` on STREAMS.orders (the orders subgraph publishes it:
 * subgraphs/orders/src/order-events.ts). Other fields of the event are the other consumers'.
 */
export const orderPlacedData = z.object({
  orderId: z.string().min(1),
  customerId: z.string().min(1).nullish(),
  cartId: z.string().min(1).nullish(),
  lines: z.array(z.object({ productId: z.string().min(1), quantity: z.number().int().min(1) })).min(1),
});
export type OrderPlaced = z.infer<typeof orderPlacedData>;

export const ORDER_PLACED = "orders.order_placed";

/** The cart an order was placed from: the one it names, else the customer's own. */
export const cartOfOrder = (order: OrderPlaced) =>
  order.cartId ?? (order.customerId ? customerCartId(order.customerId) : null);

/**
 * Takes the ordered units out of the cart the order came from: each line loses the units ordered (and
 * goes at 0), so what the customer added after checkout began stays. Idempotent by event id: the store
 * writes the event's marker in the same script as the change. A malformed event is logged and skipped
 * (acknowledged: retrying it cannot help); a Redis failure throws, and the event is delivered again.
 */
export function createOrderEventHandler(carts: CartStore, logger: Logger) {
  return async (event: EventEnvelope): Promise<void> => {
    if (event.type !== ORDER_PLACED) return;
    const parsed = orderPlacedData.safeParse(event.data);
    if (!parsed.success || !isEventId(event.id)) {
      logger.error(
        { eventId: event.id, type: event.type, issues: parsed.error?.issues },
        "malformed order event skipped",
      );
      return;
    }
    const order = parsed.data;
    const cartId = cartOfOrder(order);
    if (!cartId) return;
    // An order may list a product on several lines; the cart has one line per product.
    const ordered = new Map<string, number>();
    for (const line of order.lines) ordered.set(line.productId, (ordered.get(line.productId) ?? 0) + line.quantity);
    const outcome = await carts.takeOrderedUnits(
      cartId,
      event.id,
      order.customerId ?? null,
      [...ordered].map(([productId, quantity]) => ({ productId, quantity })),
    );
    if (outcome === "other_owner")
      logger.warn(
        { eventId: event.id, orderId: order.orderId, cartId },
        "order names another customer's cart: left alone",
      );
  };
}
