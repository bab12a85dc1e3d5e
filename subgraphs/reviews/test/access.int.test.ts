import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startReviews } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startReviews>>;
beforeAll(async () => {
  ctx = await startReviews();
});
afterAll(() => ctx?.stop());

const CREATE = `mutation ($input: CreateReviewInput!) {
  createReview(input: $input) { review { id authorName } errors { field code } }
}`;
const review = (productId: string) => ({ productId, authorName: "Ana", rating: 4, title: "Lindo" });

describe("createReview access", () => {
  it("asks an anonymous caller to sign in, storing nothing", async () => {
    const productId = randomUUID();
    const res = await graphql(ctx.url, CREATE, { input: review(productId) });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(res.data?.createReview ?? null).toBeNull();
    expect(await ctx.store.models.Review.countDocuments({ productId })).toBe(0);
  });

  it("takes the author from the sign-in, never from the input", async () => {
    const productId = randomUUID();
    const [ana, benja] = [randomUUID(), randomUUID()];
    const forged = await graphql(
      ctx.url,
      CREATE,
      { input: { ...review(productId), authorId: benja } },
      await ctx.signIn(ana),
    );
    expect(forged.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(await ctx.store.models.Review.countDocuments({ productId })).toBe(0);

    const res = await graphql(ctx.url, CREATE, { input: review(productId) }, await ctx.signIn(ana));
    expect(res.data!.createReview.errors).toEqual([]);
    const rows = await ctx.store.models.Review.find({ productId }).lean();
    expect(rows.map((r) => r.authorId)).toEqual([ana]);

    // One review per signed-in customer: Ana again is refused, Benja is not.
    const again = await graphql(ctx.url, CREATE, { input: review(productId) }, await ctx.signIn(ana));
    expect(again.data!.createReview.errors).toEqual([{ field: ["input", "productId"], code: "ALREADY_REVIEWED" }]);
    const other = await graphql(ctx.url, CREATE, { input: review(productId) }, await ctx.signIn(benja));
    expect(other.data!.createReview.errors).toEqual([]);
    expect((await ctx.store.models.Review.find({ productId }).lean()).map((r) => r.authorId).sort()).toEqual(
      [ana, benja].sort(),
    );
  });

  it("keeps published reviews public: anyone reads them by id and on the product", async () => {
    const productId = randomUUID();
    const res = await graphql(ctx.url, CREATE, { input: review(productId) }, await ctx.signIn());
    const { id } = res.data!.createReview.review;
    const byId = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          review(id: $id) {
            id
            authorName
          }
        }
      `,
      { id },
    );
    expect(byId.data!.review).toEqual({ id, authorName: "Ana" });
    const onProduct = await resolveEntities(
      ctx.url,
      [{ __typename: "Product", id: productId }],
      `... on Product { reviews { totalCount edges { node { id } } } }`,
    );
    expect(onProduct.data!._entities).toEqual([{ reviews: { totalCount: 1, edges: [{ node: { id } }] } }]);
  });
});
