import { isDuplicateKeyError, isValidEmail, z, type EventEnvelope, type Logger } from "@fv/platform";
import type { Models } from "./db/contact-message.js";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const clp = z.number().int().min(0);
const email = z.string().refine(isValidEmail, "must be an email address");

/**
 * The data contact expects on STREAMS.orders (the orders subgraph must publish these shapes).
 * Money in whole CLP; the delivery date in the shop's calendar.
 */
export const orderPlacedData = z.object({
  orderId: z.string().min(1),
  number: z.string().min(1),
  email,
  customerName: z.string().nullish(),
  lines: z
    .array(z.object({ name: z.string().min(1), quantity: z.number().int().min(1), unitPrice: clp, subtotal: clp }))
    .min(1),
  subtotal: clp,
  deliveryFee: clp,
  discount: clp.default(0),
  total: clp,
  deliveryDate: z.string().regex(DATE),
  deliveryMethod: z.enum(["STANDARD", "EXPRESS", "SAME_DAY", "SCHEDULED", "PICKUP"]).optional(),
  /** Null for EXPRESS, delivered within 2 hours of the order instead of in a slot. */
  deliverySlot: z.enum(["MORNING", "MIDDAY", "AFTERNOON", "EVENING"]).nullable(),
});
export type OrderPlaced = z.infer<typeof orderPlacedData>;

export const ORDER_STATUSES = [
  "PENDING_PAYMENT",
  "PAID",
  "PREPARING",
  "OUT_FOR_DELIVERY",
  "DELIVERED",
  "CANCELLED",
] as const;
export const orderStatusChangedData = z.object({
  orderId: z.string().min(1),
  number: z.string().min(1),
  email,
  customerName: z.string().nullish(),
  status: z.enum(ORDER_STATUSES),
});
export type OrderStatusChanged = z.infer<typeof orderStatusChangedData>;

export const ORDER_EVENTS = {
  "orders.order_placed": { kind: "ORDER_CONFIRMATION", data: orderPlacedData },
  "orders.status_changed": { kind: "ORDER_STATUS_CHANGED", data: orderStatusChangedData },
} as const;

/** Queues the email an order event asks for under the event's id (idempotent), as auth-events.ts does. */
export function createOrderEventHandler(models: Models, logger: Logger) {
  return async (event: EventEnvelope): Promise<void> => {
    const spec = ORDER_EVENTS[event.type as keyof typeof ORDER_EVENTS];
    if (!spec) return;
    const parsed = spec.data.safeParse(event.data);
    if (!parsed.success || typeof event.id !== "string" || event.id === "") {
      logger.error(
        { eventId: event.id, type: event.type, issues: parsed.error?.issues },
        "malformed order event skipped",
      );
      return;
    }
    try {
      await models.TransactionalEmail.create({
        _id: event.id,
        kind: spec.kind,
        eventType: event.type,
        to: parsed.data.email,
        order: parsed.data,
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  };
}
