import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startWishlist } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startWishlist>>;
beforeAll(async () => {
  ctx = await startWishlist();
});
afterAll(() => ctx?.stop());

const ADD = `mutation ($productId: ID!) {
  addToWishlist(productId: $productId) { wishlist { id } errors { code } }
}`;
const SELECTION = `... on Wishlist { id ownerId itemCount items { product { id } } }`;

/** A new customer's wishlist holding one product, and that customer's headers. */
async function wishlistWith(productId: string) {
  const ownerId = randomUUID();
  const as = await ctx.signIn(ownerId);
  const res = await graphql(ctx.url, ADD, { productId }, as);
  expect(res.data!.addToWishlist.errors).toEqual([]);
  return { ownerId, as, id: res.data!.addToWishlist.wishlist.id as string };
}

describe("_entities contract", () => {
  it("resolves the caller's own Wishlist references in order, null for unknown or malformed ids", async () => {
    const productId = randomUUID();
    const own = await wishlistWith(productId);
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Wishlist", id: "0123456789abcdef01234567" },
        { __typename: "Wishlist", id: own.id },
        { __typename: "Wishlist", id: "not-an-object-id" },
        { __typename: "Wishlist", id: own.id.toUpperCase() },
      ],
      SELECTION,
      own.as,
    );
    expect(res.errors).toBeUndefined();
    const expected = { id: own.id, ownerId: own.ownerId, itemCount: 1, items: [{ product: { id: productId } }] };
    expect(res.data!._entities).toEqual([null, expected, null, expected]);
  });

  it("resolves to null a wishlist the caller does not own: another customer, an admin, a service, anonymous", async () => {
    const a = await wishlistWith(randomUUID());
    const b = await wishlistWith(randomUUID());
    const representations = [a, b].map(({ id }) => ({ __typename: "Wishlist", id }));

    const asB = await resolveEntities(ctx.url, representations, `... on Wishlist { id }`, b.as);
    expect(asB.data!._entities).toEqual([null, { id: b.id }]);
    const strangers: Record<string, string>[] = [
      await ctx.signIn(undefined, "admin"),
      { "x-service-name": "orders" },
      {},
    ];
    for (const stranger of strangers) {
      const res = await resolveEntities(ctx.url, representations, SELECTION, stranger);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual([null, null]);
    }
  });
});
