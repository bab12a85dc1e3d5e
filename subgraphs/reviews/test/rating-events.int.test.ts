import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, CLOSED_PORT, testStores } from "@fv/platform/testing";
import { STREAMS, createLogger, createRedis, type EventEnvelope } from "@fv/platform";
import { createRatingPublisher, RATING_CHANGED, type RatingChangedData } from "../src/ratings.js";
import { startReviews } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startReviews>>;
beforeAll(async () => {
  ctx = await startReviews();
});
afterAll(() => ctx?.stop());

const CREATE = `mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id } errors { code } } }`;
const UPDATE = `mutation ($input: UpdateMyReviewInput!) { updateMyReview(input: $input) { review { id } errors { code } } }`;
const DELETE = `mutation ($id: ID!) { deleteMyReview(id: $id) { deletedId errors { code } } }`;
const MODERATE = `mutation ($id: ID!, $status: ReviewStatus!, $reason: String) {
  moderateReview(id: $id, status: $status, reason: $reason) { review { id status } errors { code } }
}`;

const stream = () => `${ctx.eventsPrefix}${STREAMS.reviews}`;
const silent = createLogger("reviews-test", "silent");

/** The rating events about `productId` on the reviews stream, oldest first. */
async function ratingEvents(productId: string) {
  const entries = await ctx.redis.xrange(stream(), "-", "+");
  return entries
    .map(([, fields]) => JSON.parse(fields[fields.indexOf("event") + 1]!) as EventEnvelope<RatingChangedData>)
    .filter((event) => event.type === RATING_CHANGED && event.data.productId === productId);
}

const latest = async (productId: string) => (await ratingEvents(productId)).at(-1)?.data;
const outboxOf = (productId: string) => ctx.store.models.RatingOutbox.find({ productId }).lean();

async function run(query: string, variables: Record<string, unknown>, userId: string, role = "customer" as const) {
  const res = await graphql(ctx.url, query, variables, await ctx.signIn(userId, role));
  expect(res.errors).toBeUndefined();
  return res.data!;
}

describe("reviews.rating_changed", () => {
  it("announces the product's published rating after every write that can change it, as a snapshot", async () => {
    const productId = randomUUID();
    const [ana, beto] = [randomUUID(), randomUUID()];
    const review = (rating: number) => ({ productId, authorName: "Cliente", rating });

    const first = await run(CREATE, { input: review(5) }, ana);
    expect(await latest(productId)).toMatchObject({ productId, average: 5, count: 1 });
    const second = await run(CREATE, { input: review(2) }, beto);
    expect(await latest(productId)).toMatchObject({ average: 3.5, count: 2 });

    await run(UPDATE, { input: { id: second.createReview.review.id, rating: 4 } }, beto);
    expect(await latest(productId)).toMatchObject({ average: 4.5, count: 2 });
    // A new title leaves the stars alone: nothing to announce.
    const before = (await ratingEvents(productId)).length;
    await run(UPDATE, { input: { id: second.createReview.review.id, title: "Mejor de lo esperado" } }, beto);
    expect(await ratingEvents(productId)).toHaveLength(before);

    const moderator = randomUUID();
    const hide = { id: first.createReview.review.id, status: "HIDDEN", reason: "Datos personales" };
    await run(MODERATE, hide, moderator, "support" as never);
    expect(await latest(productId)).toMatchObject({ average: 4, count: 1 });
    await run(MODERATE, { id: first.createReview.review.id, status: "PUBLISHED" }, moderator, "support" as never);
    expect(await latest(productId)).toMatchObject({ average: 4.5, count: 2 });

    await run(DELETE, { id: first.createReview.review.id }, ana);
    await run(DELETE, { id: second.createReview.review.id }, beto);
    expect(await latest(productId)).toMatchObject({ average: null, count: 0 });

    const events = await ratingEvents(productId);
    expect(events).toHaveLength(7);
    const times = events.map((e) => Date.parse(e.data.computedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Published, so nothing is left for the relay.
    expect(await outboxOf(productId)).toEqual([]);
  });

  it("a refused second review still leaves the outbox empty and the rating right", async () => {
    const productId = randomUUID();
    const author = randomUUID();
    await run(CREATE, { input: { productId, authorName: "Cliente", rating: 4 } }, author);
    const again = await run(CREATE, { input: { productId, authorName: "Cliente", rating: 1 } }, author);
    expect(again.createReview.errors).toEqual([{ code: "ALREADY_REVIEWED" }]);
    expect(await latest(productId)).toMatchObject({ average: 4, count: 1 });
    expect(await outboxOf(productId)).toEqual([]);
  });
});

describe("the rating outbox", () => {
  const workingRedis = () => createRedis({ url: testStores.redisUrl, logger: silent });
  const publisherWith = (redis: ReturnType<typeof createRedis>, graceMs = 0) =>
    createRatingPublisher({ models: ctx.store.models, redis: redis.redis, stream: stream(), logger: silent, graceMs });

  it("keeps a change whose publish failed (Redis down) until the relay publishes it", async () => {
    const productId = randomUUID();
    const down = createRedis({ url: `redis://127.0.0.1:${CLOSED_PORT}`, logger: silent });
    const up = workingRedis();
    try {
      // The review is written and the mutation's result stands, though nothing reached the stream.
      const review = await publisherWith(down).publishAfter(productId, () =>
        ctx.store.models.Review.create({ productId, authorId: randomUUID(), authorName: "Cliente", rating: 3 }),
      );
      expect(review.rating).toBe(3);
      expect(await ratingEvents(productId)).toEqual([]);
      expect(await outboxOf(productId)).toHaveLength(1);

      expect(await publisherWith(up).relayDue()).toBeGreaterThanOrEqual(1);
      expect(await latest(productId)).toMatchObject({ productId, average: 3, count: 1 });
      expect(await outboxOf(productId)).toEqual([]);
    } finally {
      down.redis.disconnect();
      await up.close();
    }
  });

  it("publishes a change whose process died between the write and the publish, once the grace period is over", async () => {
    const productId = randomUUID();
    const up = workingRedis();
    try {
      // What a crashed request leaves: the entry inserted before the write, the write, no publish.
      await publisherWith(up).markChanged(productId);
      await ctx.store.models.Review.create({ productId, authorId: randomUUID(), authorName: "Cliente", rating: 2 });

      // A request still in flight is left alone while young: its own publish comes after its write.
      await publisherWith(up, 60_000).relayDue();
      expect(await outboxOf(productId)).toHaveLength(1);
      expect(await ratingEvents(productId)).toEqual([]);

      await publisherWith(up, 0).relayDue();
      expect(await latest(productId)).toMatchObject({ average: 2, count: 1 });
      expect(await outboxOf(productId)).toEqual([]);
    } finally {
      await up.close();
    }
  });
});
