import { newEvent, publishEvent, type Logger, type RedisStore } from "@fv/platform";
import type { Models } from "./db/review.js";
import type { RatingOutboxEntry } from "./db/rating-outbox.js";
import { summarizeRatings } from "./review-rules.js";

/** Announced after every change that may move a product's published rating; products sorts by it. */
export const RATING_CHANGED = "reviews.rating_changed";

/**
 * A full snapshot, not a delta: whoever holds the one with the latest `computedAt` holds the
 * rating, so a lost, repeated or reordered event is repaired by any later one.
 */
export interface RatingChangedData {
  productId: string;
  /** Mean stars of the published reviews, to one decimal; null without any. */
  average: number | null;
  count: number;
  /** Taken before the reviews were read: a later snapshot has seen every write an earlier one saw. */
  computedAt: string;
}

export interface RatingPublisherOptions {
  models: Pick<Models, "Review" | "RatingOutbox">;
  /** A connection with no key prefix and no blocking reader. */
  redis: RedisStore["redis"];
  /** The full stream key: `${EVENTS_PREFIX}events:reviews`. */
  stream: string;
  logger: Logger;
  /**
   * How old an outbox entry must be before the relay takes it: longer than a request's write and
   * its own publish, so the relay normally finds only what a failure left behind.
   */
  graceMs?: number;
}

/**
 * Publishes `reviews.rating_changed` so that no change is lost, on a store without multi-document
 * transactions (FerretDB, README "Architecture decisions"):
 *
 * 1. before a review write, an outbox entry naming the product is inserted (`markChanged`);
 * 2. the write happens;
 * 3. a snapshot of the product's rating is computed from the published reviews, published to the
 *    stream, and the entry deleted (`publishAfter` does 1–3 around a write).
 *
 * If Redis is down or the process dies anywhere after 1, the entry stays, and the relay
 * (`relayDue`, every few seconds in each replica) publishes a fresh snapshot later. Because the event
 * is a snapshot computed when published, the entry can be written *before* the review (there is no
 * "insert right after the write" window to lose) and carries nothing to keep consistent. Entries are
 * only inserted and deleted, never updated (FerretDB's read-modify-write updates are not atomic):
 * two relays taking the same entry publish the same rating twice, which the consumer ignores.
 */
export function createRatingPublisher(options: RatingPublisherOptions) {
  const { models, redis, stream, logger } = options;
  const graceMs = options.graceMs ?? 10_000;

  async function snapshot(productId: string): Promise<RatingChangedData> {
    const computedAt = new Date().toISOString();
    const groups = await models.Review.aggregate<{ _id: number; count: number }>([
      { $match: { productId, status: "PUBLISHED" } },
      { $group: { _id: "$rating", count: { $sum: 1 } } },
    ]);
    const { average, count } = summarizeRatings(groups.map((g) => ({ rating: g._id, count: g.count })));
    return { productId, average, count, computedAt };
  }

  async function publish(productId: string): Promise<RatingChangedData> {
    const data = await snapshot(productId);
    await publishEvent(redis, stream, newEvent<RatingChangedData>(RATING_CHANGED, data));
    return data;
  }

  async function markChanged(productId: string) {
    const [entry] = await models.RatingOutbox.insertMany([{ productId, createdAt: new Date() }]);
    return entry!._id;
  }

  /**
   * Runs a review write between the outbox entry and the publish. The write's outcome is returned
   * (or thrown) whatever happens to the publish: a failed publish is the relay's to finish.
   */
  async function publishAfter<T>(productId: string, write: () => Promise<T>): Promise<T> {
    const entryId = await markChanged(productId);
    try {
      return await write();
    } finally {
      try {
        await publish(productId);
        await models.RatingOutbox.deleteOne({ _id: entryId });
      } catch (error) {
        logger.warn({ err: error, productId }, "rating not published; the outbox relay will publish it");
      }
    }
  }

  /** Publishes a snapshot for every product with an entry older than the grace period; returns how many. */
  async function relayDue(batch = 100): Promise<number> {
    const due = await models.RatingOutbox.find({ createdAt: { $lte: new Date(Date.now() - graceMs) } })
      .sort({ createdAt: 1 })
      .limit(batch)
      .lean<RatingOutboxEntry[]>();
    const byProduct = new Map<string, RatingOutboxEntry["_id"][]>();
    for (const entry of due) byProduct.set(entry.productId, [...(byProduct.get(entry.productId) ?? []), entry._id]);
    for (const [productId, ids] of byProduct) {
      // Computed now, after every write these entries announce has ended or died.
      await publish(productId);
      await models.RatingOutbox.deleteMany({ _id: { $in: ids } });
    }
    if (byProduct.size) logger.info({ products: byProduct.size }, "relayed rating changes left in the outbox");
    return byProduct.size;
  }

  return { publishAfter, markChanged, publish, relayDue };
}

export type RatingPublisher = ReturnType<typeof createRatingPublisher>;

/** Runs the relay every `intervalMs` until stopped; a failing round (Redis or MongoDB down) is retried. */
export function startRatingRelay(publisher: RatingPublisher, logger: Logger, intervalMs = 5_000) {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        await publisher.relayDue();
      } catch (error) {
        if (running) logger.warn({ err: error }, "rating outbox relay failed; retrying");
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, intervalMs).unref();
      });
    }
  })();
  return {
    stop: async () => {
      running = false;
      wake?.();
      await loop;
    },
  };
}
