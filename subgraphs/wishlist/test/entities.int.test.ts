import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startWishlist } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startWishlist>>;
beforeAll(async () => {
  ctx = await startWishlist();
});
afterAll(() => ctx?.stop());

const ADD = `mutation ($ownerId: ID!, $productId: ID!) {
  addToWishlist(ownerId: $ownerId, productId: $productId) { wishlist { id } errors { code } }
}`;

async function wishlistWith(productId: string) {
  const ownerId = randomUUID();
  const res = await graphql(ctx.url, ADD, { ownerId, productId });
  return { ownerId, id: res.data!.addToWishlist.wishlist.id as string };
}

describe("_entities contract", () => {
  it("resolves Wishlist references in order, null for unknown or malformed ids", async () => {
    const [p1, p2] = [randomUUID(), randomUUID()];
    const a = await wishlistWith(p1);
    const b = await wishlistWith(p2);
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Wishlist", id: b.id },
        { __typename: "Wishlist", id: "0123456789abcdef01234567" },
        { __typename: "Wishlist", id: a.id },
        { __typename: "Wishlist", id: "not-an-object-id" },
      ],
      `... on Wishlist { id ownerId itemCount items { product { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: b.id, ownerId: b.ownerId, itemCount: 1, items: [{ product: { id: p2 } }] },
      null,
      { id: a.id, ownerId: a.ownerId, itemCount: 1, items: [{ product: { id: p1 } }] },
      null,
    ]);
  });
});
