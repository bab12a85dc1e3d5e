import { and, eq, isNull, lt, or } from "drizzle-orm";
import { z, type EventEnvelope, type Logger } from "@fv/platform";
import { products } from "./db/schema.js";
import type { ProductsDb } from "./context.js";

/** The reviews subgraph's event: a product's rating as its published reviews make it, at `computedAt`. */
export const RATING_CHANGED = "reviews.rating_changed";

export const ratingChanged = z.object({
  productId: z.uuid(),
  /** Mean stars, null without published reviews. */
  average: z.number().min(1).max(5).nullable(),
  count: z.number().int().min(0),
  computedAt: z.iso.datetime({ offset: true }),
});

export type RatingChanged = z.infer<typeof ratingChanged>;

/**
 * Keeps the copy of each product's rating that `products(sort: RATING)` orders by. Every event is
 * a full snapshot, so applying the newest one is enough: a snapshot computed before the one held
 * (or the same one again: at-least-once delivery) changes nothing, whatever order they arrive in.
 * A product this catalogue does not have is skipped (there is nothing to sort).
 */
export function createRatingEventHandler(db: ProductsDb, logger: Logger) {
  return async (event: EventEnvelope): Promise<void> => {
    if (event.type !== RATING_CHANGED) return;
    const parsed = ratingChanged.safeParse(event.data);
    if (!parsed.success) {
      // Retrying cannot fix a malformed event: acknowledge it, loudly.
      logger.error({ eventId: event.id, type: event.type, issues: parsed.error.issues }, "malformed rating skipped");
      return;
    }
    const applied = await applyRating(db, parsed.data);
    logger.debug({ eventId: event.id, productId: parsed.data.productId, applied }, "rating received");
  };
}

/** Stores the snapshot unless a newer (or the same) one is held; true when it was stored. */
export async function applyRating(db: ProductsDb, rating: RatingChanged): Promise<boolean> {
  const computedAt = new Date(rating.computedAt);
  const updated = await db
    .update(products)
    .set({
      ratingAverage: rating.count === 0 || rating.average === null ? "0" : rating.average.toFixed(2),
      ratingCount: rating.count,
      ratingComputedAt: computedAt,
    })
    .where(
      and(
        eq(products.id, rating.productId),
        or(isNull(products.ratingComputedAt), lt(products.ratingComputedAt, computedAt)),
      ),
    )
    .returning({ id: products.id });
  return updated.length > 0;
}
