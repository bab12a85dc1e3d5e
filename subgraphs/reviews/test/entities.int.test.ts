import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startReviews } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startReviews>>;
beforeAll(async () => {
  ctx = await startReviews();
});
afterAll(() => ctx?.stop());

const CREATE = `mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id } errors { code } } }`;

async function review(productId: string, rating: number) {
  const res = await graphql(
    ctx.url,
    CREATE,
    { input: { productId, authorName: "Ana", rating, title: `${rating} estrellas` } },
    await ctx.signIn(),
  );
  return res.data!.createReview.review.id as string;
}

describe("_entities contract", () => {
  it("resolves Review references in order, null for unknown or malformed ids", async () => {
    const productId = randomUUID();
    const first = await review(productId, 4);
    const second = await review(productId, 2);
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Review", id: second },
        { __typename: "Review", id: "0123456789abcdef01234567" },
        { __typename: "Review", id: first },
        { __typename: "Review", id: "not-an-id" },
      ],
      `... on Review { id rating title status product { id } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: second, rating: 2, title: "2 estrellas", status: "PUBLISHED", product: { id: productId } },
      null,
      { id: first, rating: 4, title: "4 estrellas", status: "PUBLISHED", product: { id: productId } },
      null,
    ]);
  });

  it("contributes reviews and rating to Product references, empty for a product without reviews", async () => {
    const productId = randomUUID();
    const older = await review(productId, 3);
    const newer = await review(productId, 5);
    const unreviewed = randomUUID();
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Product", id: productId },
        { __typename: "Product", id: unreviewed },
      ],
      `... on Product { id rating { average count distribution } reviews(first: 10) { totalCount edges { node { id } } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      {
        id: productId,
        rating: { average: 4, count: 2, distribution: [0, 0, 1, 0, 1] },
        reviews: { totalCount: 2, edges: [{ node: { id: newer } }, { node: { id: older } }] },
      },
      {
        id: unreviewed,
        rating: { average: null, count: 0, distribution: [0, 0, 0, 0, 0] },
        reviews: { totalCount: 0, edges: [] },
      },
    ]);
  });
});
