import { z, type EventEnvelope, type Logger } from "@fv/platform";
import type { Models } from "./db/review.js";
import { isDuplicateKeyError } from "@fv/platform";
import { purchaseKey } from "./db/purchase.js";

/** The orders subgraph's event for a delivered order (the contract reviews expects). */
export const ORDER_DELIVERED = "orders.order_delivered";

const orderDelivered = z.object({
  orderId: z.string().min(1),
  userId: z.string().min(1),
  productIds: z.array(z.string().min(1)).min(1),
});

/**
 * Records delivered purchases, then marks the buyer's reviews of those products verified.
 * createReview checks for a purchase after inserting its review, so whichever comes first, the
 * review ends up marked. Idempotent: a redelivered event inserts and changes nothing new.
 */
export function createOrderEventHandler(models: Models, logger: Logger) {
  return async (event: EventEnvelope): Promise<void> => {
    if (event.type !== ORDER_DELIVERED) return;
    const parsed = orderDelivered.safeParse(event.data);
    if (!parsed.success) {
      logger.error(
        { eventId: event.id, type: event.type, issues: parsed.error.issues },
        "malformed order event skipped",
      );
      return;
    }
    const { orderId, userId, productIds } = parsed.data;
    const time = Date.parse(event.occurredAt);
    const deliveredAt = new Date(Number.isNaN(time) ? Date.now() : time);
    for (const productId of new Set(productIds)) {
      try {
        await models.DeliveredPurchase.create({
          _id: purchaseKey(userId, productId),
          userId,
          productId,
          orderId,
          deliveredAt,
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    }
    await models.Review.updateMany(
      { authorId: userId, productId: { $in: productIds }, verifiedPurchase: false },
      { $set: { verifiedPurchase: true } },
    );
  };
}
