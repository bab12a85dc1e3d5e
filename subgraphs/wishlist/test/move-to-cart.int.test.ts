import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { startCart } from "../../cart/test/helpers.js";
import { customerCartId } from "../../cart/src/store.js";
import { startWishlist } from "./helpers.js";

// A real cart subgraph behind the wishlist; a second wishlist service whose cart is unreachable.
let cart: Awaited<ReturnType<typeof startCart>>;
let ctx: Awaited<ReturnType<typeof startWishlist>>;
let cartDown: Awaited<ReturnType<typeof startWishlist>>;
beforeAll(async () => {
  cart = await startCart();
  [ctx, cartDown] = await Promise.all([startWishlist({ cartUrl: `${cart.url}/graphql` }), startWishlist()]);
});
afterAll(async () => {
  await Promise.all([ctx?.stop(), cartDown?.stop()]);
  await cart?.stop();
});

type Headers = Record<string, string>;
const ADD = `mutation ($productId: ID!) { addToWishlist(productId: $productId) { errors { code } } }`;
const MOVE = `mutation ($productId: ID!, $quantity: Int) {
  moveWishlistItemToCart(productId: $productId, quantity: $quantity) {
    wishlist { itemCount items { product { id } } }
    cart { id }
    errors { field code message }
  }
}`;
const MOVE_DEFAULT = `mutation ($productId: ID!) {
  moveWishlistItemToCart(productId: $productId) { cart { id } errors { code } }
}`;

/** A new customer of `service` who saved these products. */
async function customerWith(service: typeof ctx, productIds: string[]) {
  const userId = randomUUID();
  const as = await service.signIn(userId);
  for (const productId of productIds)
    expect((await graphql(service.url, ADD, { productId }, as)).data!.addToWishlist.errors).toEqual([]);
  return { userId, as };
}

const move = async (service: typeof ctx, as: Headers, productId: string, quantity?: number) =>
  (await graphql(service.url, MOVE, { productId, quantity }, as)).data!.moveWishlistItemToCart;
const savedProducts = async (service: typeof ctx, ownerId: string) =>
  (await service.store.models.WishlistItem.find({ ownerId }).lean()).map((item) => item.productId).sort();
/** The customer's cart lines as the cart stored them. */
const cartLines = (userId: string) => cart.redis.hgetall(cart.linesKey(customerCartId(userId)));

describe("moveWishlistItemToCart", () => {
  it("adds the units to the customer's cart, then takes the product out of the wishlist", async () => {
    const [roses, lilies] = [randomUUID(), randomUUID()];
    const { userId, as } = await customerWith(ctx, [roses, lilies]);
    const payload = await move(ctx, as, roses, 3);
    expect(payload).toEqual({
      wishlist: { itemCount: 1, items: [{ product: { id: lilies } }] },
      cart: { id: customerCartId(userId) },
      errors: [],
    });
    expect(await savedProducts(ctx, userId)).toEqual([lilies]);
    expect(await cartLines(userId)).toEqual({ [roses]: "3" });
    // The customer finds it in their cart; and the product can be saved again later.
    const mine = await graphql(
      cart.url,
      `
        {
          myCart {
            lines {
              quantity
              product {
                id
              }
            }
          }
        }
      `,
      undefined,
      await cart.signIn(userId),
    );
    expect(mine.data!.myCart.lines).toEqual([{ quantity: 3, product: { id: roses } }]);
    expect((await graphql(ctx.url, ADD, { productId: roses }, as)).data!.addToWishlist.errors).toEqual([]);
  });

  it("moves one unit when no quantity is given, adding to what the cart already holds", async () => {
    const roses = randomUUID();
    const { userId, as } = await customerWith(ctx, [roses]);
    const first = (await graphql(ctx.url, MOVE_DEFAULT, { productId: roses }, as)).data!.moveWishlistItemToCart;
    expect(first).toEqual({ cart: { id: customerCartId(userId) }, errors: [] });
    expect(await cartLines(userId)).toEqual({ [roses]: "1" });
    await graphql(ctx.url, ADD, { productId: roses }, as);
    expect((await move(ctx, as, roses, 4)).errors).toEqual([]);
    expect(await cartLines(userId)).toEqual({ [roses]: "5" });
  });

  it("keeps the product in the wishlist when the cart refuses, with the cart's reason", async () => {
    const roses = randomUUID();
    const { userId, as } = await customerWith(ctx, [roses]);
    for (const [quantity, code] of [
      [100, "QUANTITY_LIMIT"],
      [0, "INVALID_QUANTITY"],
    ] as const) {
      const payload = await move(ctx, as, roses, quantity);
      expect(payload).toMatchObject({
        wishlist: { itemCount: 1, items: [{ product: { id: roses } }] },
        cart: null,
        errors: [{ field: ["quantity"], code }],
      });
    }
    expect(await savedProducts(ctx, userId)).toEqual([roses]);
    expect(await cart.redis.exists(cart.metaKey(customerCartId(userId)))).toBe(0);
  });

  it("keeps the product in the wishlist when the cart cannot be reached: CART_UNAVAILABLE", async () => {
    const roses = randomUUID();
    const { userId, as } = await customerWith(cartDown, [roses]);
    const payload = await move(cartDown, as, roses, 1);
    expect(payload).toEqual({
      wishlist: { itemCount: 1, items: [{ product: { id: roses } }] },
      cart: null,
      errors: [{ field: null, code: "CART_UNAVAILABLE", message: expect.stringContaining("stays in the wishlist") }],
    });
    expect(await savedProducts(cartDown, userId)).toEqual([roses]);
  });

  it("says NOT_IN_WISHLIST for a product the customer did not save, without asking the cart", async () => {
    const saved = randomUUID();
    const { userId, as } = await customerWith(ctx, [saved]);
    const payload = await move(ctx, as, randomUUID(), 1);
    expect(payload).toMatchObject({
      wishlist: { itemCount: 1 },
      cart: null,
      errors: [{ field: ["productId"], code: "NOT_IN_WISHLIST" }],
    });
    const stranger = await customerWith(ctx, []);
    expect((await move(ctx, stranger.as, saved, 1)).errors[0].code).toBe("NOT_IN_WISHLIST");
    expect(await savedProducts(ctx, userId)).toEqual([saved]);
    for (const id of [userId, stranger.userId])
      expect(await cart.redis.exists(cart.metaKey(customerCartId(id)))).toBe(0);
  });

  it("refuses a malformed product id, and anyone not signed in, moving nothing", async () => {
    const roses = randomUUID();
    const { userId, as } = await customerWith(ctx, [roses]);
    expect((await move(ctx, as, "{$ne: null}", 1)).errors).toMatchObject([
      { field: ["productId"], code: "INVALID_ID" },
    ]);
    for (const headers of [{}, { "x-service-name": "orders" }] as Headers[]) {
      const res = await graphql(ctx.url, MOVE, { productId: roses, quantity: 1 }, headers);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(res.data?.moveWishlistItemToCart ?? null).toBeNull();
    }
    expect(await savedProducts(ctx, userId)).toEqual([roses]);
    expect(await cart.redis.exists(cart.metaKey(customerCartId(userId)))).toBe(0);
  });
});
