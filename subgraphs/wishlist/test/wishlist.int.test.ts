import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { MAX_WISHLIST_ITEMS } from "../src/wishlist-rules.js";
import { startWishlist } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startWishlist>>;
beforeAll(async () => {
  ctx = await startWishlist();
});
afterAll(() => ctx?.stop());

const WISHLIST_FIELDS = /* GraphQL */ `
  id
  ownerId
  itemCount
  items {
    product {
      id
    }
    addedAt
  }
`;

const WISHLIST = `{ wishlist { ${WISHLIST_FIELDS} } }`;
const ADD = `mutation ($productId: ID!) {
  addToWishlist(productId: $productId) { wishlist { ${WISHLIST_FIELDS} } errors { field code message } }
}`;
const REMOVE = `mutation ($productId: ID!) {
  removeFromWishlist(productId: $productId) { wishlist { ${WISHLIST_FIELDS} } errors { field code message } }
}`;

const signedIn = new Map<string, Promise<Record<string, string>>>();
/** The headers of the customer with that id, signed in once per test file. */
const as = (ownerId: string) => {
  if (!signedIn.has(ownerId)) signedIn.set(ownerId, ctx.signIn(ownerId));
  return signedIn.get(ownerId)!;
};

const add = async (ownerId: string, productId: string) => {
  const res = await graphql(ctx.url, ADD, { productId }, await as(ownerId));
  expect(res.errors).toBeUndefined();
  return res.data!.addToWishlist;
};
const remove = async (ownerId: string, productId: string) => graphql(ctx.url, REMOVE, { productId }, await as(ownerId));

const storedItems = (ownerId: string) => ctx.store.models.WishlistItem.find({ ownerId }).lean();
const storedWishlists = (ownerId: string) => ctx.store.models.Wishlist.countDocuments({ ownerId });

describe("wishlist query and add/remove", () => {
  it("has no wishlist before the first add", async () => {
    const res = await graphql(ctx.url, WISHLIST, {}, await as(randomUUID()));
    expect(res.errors).toBeUndefined();
    expect(res.data!.wishlist).toBeNull();
  });

  it("adds products, newest first, and stores one wishlist for the owner", async () => {
    const ownerId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const added = await add(ownerId, first);
    expect(added.errors).toEqual([]);
    expect(added.wishlist).toMatchObject({ ownerId, itemCount: 1, items: [{ product: { id: first } }] });
    expect((await add(ownerId, second)).errors).toEqual([]);

    const res = await graphql(ctx.url, WISHLIST, {}, await as(ownerId));
    const wishlist = res.data!.wishlist;
    expect(wishlist.id).toBe(added.wishlist.id);
    expect(wishlist.itemCount).toBe(2);
    expect(wishlist.items.map((i: { product: { id: string } }) => i.product.id)).toEqual([second, first]);
    expect(Date.parse(wishlist.items[1].addedAt)).not.toBeNaN();

    expect(await storedWishlists(ownerId)).toBe(1);
    expect((await storedItems(ownerId)).map((i) => i.productId).sort()).toEqual([first, second].sort());
  });

  it("refuses a product already saved, changing nothing", async () => {
    const ownerId = randomUUID();
    const productId = randomUUID();
    await add(ownerId, productId);
    const again = await add(ownerId, productId);
    expect(again.wishlist).toBeNull();
    expect(again.errors).toEqual([{ field: ["productId"], code: "ALREADY_IN_WISHLIST", message: expect.any(String) }]);
    expect(await storedItems(ownerId)).toHaveLength(1);
  });

  it.each([
    ["a new wishlist", false],
    ["an existing wishlist", true],
  ])("keeps a product at most once under concurrent adds to %s", async (_name, exists) => {
    const ownerId = randomUUID();
    const productId = randomUUID();
    if (exists) await add(ownerId, randomUUID());
    const results = await Promise.all(Array.from({ length: 20 }, () => add(ownerId, productId)));
    const codes = results.map((r) => r.errors[0]?.code ?? "ADDED");
    expect(codes.filter((c) => c === "ADDED")).toHaveLength(1);
    expect(codes.filter((c) => c === "ALREADY_IN_WISHLIST")).toHaveLength(19);
    expect(await storedWishlists(ownerId)).toBe(1);
    expect((await storedItems(ownerId)).filter((i) => i.productId === productId)).toHaveLength(1);
  });

  it("loses no product when different ones are added concurrently", async () => {
    const ownerId = randomUUID();
    const productIds = Array.from({ length: 15 }, () => randomUUID());
    const results = await Promise.all(productIds.map((productId) => add(ownerId, productId)));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect((await storedItems(ownerId)).map((i) => i.productId).sort()).toEqual([...productIds].sort());
  });

  it(`holds at most ${MAX_WISHLIST_ITEMS} products, even under concurrent adds`, async () => {
    const ownerId = randomUUID();
    const { Wishlist, WishlistItem } = ctx.store.models;
    const wishlist = await Wishlist.create({ ownerId });
    await WishlistItem.insertMany(
      Array.from({ length: MAX_WISHLIST_ITEMS - 1 }, (_, slot) => ({
        wishlistId: wishlist._id,
        ownerId,
        productId: randomUUID(),
        slot,
      })),
    );
    const results = await Promise.all(Array.from({ length: 5 }, () => add(ownerId, randomUUID())));
    const codes = results.map((r) => r.errors[0]?.code ?? "ADDED").sort();
    expect(codes).toEqual(["ADDED", "WISHLIST_FULL", "WISHLIST_FULL", "WISHLIST_FULL", "WISHLIST_FULL"]);
    expect(results.find((r) => r.errors.length)!.errors[0].field).toEqual(["productId"]);
    expect(await storedItems(ownerId)).toHaveLength(MAX_WISHLIST_ITEMS);
  });

  it("removes a product, and says so when it is not there", async () => {
    const ownerId = randomUUID();
    const [kept, removed] = [randomUUID(), randomUUID()];
    await add(ownerId, kept);
    await add(ownerId, removed);
    const res = await remove(ownerId, removed);
    expect(res.data!.removeFromWishlist.errors).toEqual([]);
    expect(res.data!.removeFromWishlist.wishlist).toMatchObject({ itemCount: 1, items: [{ product: { id: kept } }] });
    expect((await storedItems(ownerId)).map((i) => i.productId)).toEqual([kept]);

    const again = await remove(ownerId, removed);
    expect(again.data!.removeFromWishlist).toEqual({
      wishlist: null,
      errors: [{ field: ["productId"], code: "NOT_IN_WISHLIST", message: expect.any(String) }],
    });
    const nobody = await remove(randomUUID(), kept);
    expect(nobody.data!.removeFromWishlist.errors[0].code).toBe("NOT_IN_WISHLIST");
  });

  it("rejects a malformed product id naming the field, storing nothing", async () => {
    const before = await ctx.store.models.WishlistItem.countDocuments();
    const wishlistsBefore = await ctx.store.models.Wishlist.countDocuments();
    const res = await add(randomUUID(), "{$ne: null}");
    expect(res.wishlist).toBeNull();
    expect(res.errors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`)).toEqual([
      "productId:INVALID_ID",
    ]);
    expect(await ctx.store.models.WishlistItem.countDocuments()).toBe(before);
    expect(await ctx.store.models.Wishlist.countDocuments()).toBe(wishlistsBefore);
  });
});
