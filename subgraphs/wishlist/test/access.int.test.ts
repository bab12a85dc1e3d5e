import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { startWishlist } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startWishlist>>;
beforeAll(async () => {
  ctx = await startWishlist();
});
afterAll(() => ctx?.stop());

const WISHLIST = `{ wishlist { id ownerId items { product { id } } } }`;
const ADD = `mutation ($productId: ID!) {
  addToWishlist(productId: $productId) { wishlist { id ownerId itemCount } errors { field code } }
}`;
const REMOVE = `mutation ($productId: ID!) {
  removeFromWishlist(productId: $productId) { wishlist { id itemCount } errors { field code } }
}`;

const storedItems = (ownerId: string) =>
  ctx.store.models.WishlistItem.find({ ownerId }, { _id: 0, productId: 1, slot: 1 }).lean();
const counts = async () => ({
  wishlists: await ctx.store.models.Wishlist.countDocuments(),
  items: await ctx.store.models.WishlistItem.countDocuments(),
});

/** A customer who saved one product. */
async function customerWithProduct() {
  const ownerId = randomUUID();
  const as = await ctx.signIn(ownerId);
  const productId = randomUUID();
  const res = await graphql(ctx.url, ADD, { productId }, as);
  expect(res.data!.addToWishlist.errors).toEqual([]);
  return { ownerId, as, productId };
}

describe("wishlist access", () => {
  it("asks an anonymous caller to sign in for reading, adding and removing, storing nothing", async () => {
    const before = await counts();
    const productId = randomUUID();
    for (const [query, field] of [
      [WISHLIST, "wishlist"],
      [ADD, "addToWishlist"],
      [REMOVE, "removeFromWishlist"],
    ] as const) {
      const res = await graphql(ctx.url, query, { productId });
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(res.data?.[field] ?? null).toBeNull();
    }
    expect(await counts()).toEqual(before);
  });

  it("gives every customer their own wishlist only: another's is neither read nor changed", async () => {
    const ana = await customerWithProduct();
    const anasItems = await storedItems(ana.ownerId);
    const benjaId = randomUUID();
    const benja = await ctx.signIn(benjaId);

    expect((await graphql(ctx.url, WISHLIST, {}, benja)).data!.wishlist).toBeNull();
    const removed = await graphql(ctx.url, REMOVE, { productId: ana.productId }, benja);
    expect(removed.data!.removeFromWishlist).toEqual({
      wishlist: null,
      errors: [{ field: ["productId"], code: "NOT_IN_WISHLIST" }],
    });
    const added = await graphql(ctx.url, ADD, { productId: ana.productId }, benja);
    expect(added.data!.addToWishlist).toMatchObject({ errors: [], wishlist: { ownerId: benjaId, itemCount: 1 } });

    expect(await storedItems(ana.ownerId)).toEqual(anasItems);
    const own = await graphql(ctx.url, WISHLIST, {}, ana.as);
    expect(own.data!.wishlist).toMatchObject({ ownerId: ana.ownerId, items: [{ product: { id: ana.productId } }] });
  });

  it("takes no owner from the arguments: GRAPHQL_VALIDATION_FAILED, nothing stored", async () => {
    const ana = await customerWithProduct();
    const before = await counts();
    const res = await graphql(
      ctx.url,
      `
        mutation ($ownerId: ID!, $productId: ID!) {
          addToWishlist(ownerId: $ownerId, productId: $productId) {
            errors {
              code
            }
          }
        }
      `,
      { ownerId: ana.ownerId, productId: randomUUID() },
      await ctx.signIn(),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(await counts()).toEqual(before);
  });
});
