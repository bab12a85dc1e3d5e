import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAMS, newEvent, publishEvent } from "@fv/platform";
import { graphql } from "@fv/platform/testing";
import { startReviews } from "./helpers.js";
import { ORDER_DELIVERED } from "../src/order-events.js";

let ctx: Awaited<ReturnType<typeof startReviews>>;
beforeAll(async () => {
  ctx = await startReviews();
});
afterAll(() => ctx?.stop());

const CREATE = `mutation ($input: CreateReviewInput!) {
  createReview(input: $input) { review { id verifiedPurchase } errors { code } }
}`;

const deliver = (
  userId: string,
  productIds: string[],
  event = newEvent(ORDER_DELIVERED, { orderId: randomUUID(), userId, productIds }),
) => publishEvent(ctx.redis, `${ctx.eventsPrefix}${STREAMS.orders}`, event).then(() => event);

async function review(userId: string, productId: string) {
  const res = await graphql(
    ctx.url,
    CREATE,
    { input: { productId, authorName: "Ana", rating: 5 } },
    await ctx.signIn(userId),
  );
  expect(res.data!.createReview.errors).toEqual([]);
  return res.data!.createReview.review as { id: string; verifiedPurchase: boolean };
}

async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("verified purchases from orders' events", () => {
  it("marks a review verified when the customer received the product, before or after reviewing it", async () => {
    const [userId, delivered, later, notBought] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const earlier = await review(userId, later);
    expect(earlier.verifiedPurchase).toBe(false);

    await deliver(userId, [delivered, later]);
    const purchaseKey = `${userId}:${delivered}`;
    expect(await eventually(() => ctx.store.models.DeliveredPurchase.exists({ _id: purchaseKey }))).toBeTruthy();

    expect((await review(userId, delivered)).verifiedPurchase).toBe(true);
    expect((await review(userId, notBought)).verifiedPurchase).toBe(false);
    // Another customer's review of the same product is not theirs to verify.
    expect((await review(randomUUID(), delivered)).verifiedPurchase).toBe(false);
    const updated = await eventually(
      async () => (await ctx.store.models.Review.findById(earlier.id).lean())?.verifiedPurchase,
    );
    expect(updated).toBe(true);
  });

  it("records a redelivered event's purchases once", async () => {
    const userId = randomUUID();
    const productId = randomUUID();
    const event = await deliver(userId, [productId, productId]);
    await deliver(userId, [productId], event);
    const marker = await deliver(userId, [randomUUID()]);
    await eventually(() => ctx.store.models.DeliveredPurchase.exists({ userId, orderId: marker.data.orderId }));
    expect(await ctx.store.models.DeliveredPurchase.countDocuments({ userId, productId })).toBe(1);
  });
});
