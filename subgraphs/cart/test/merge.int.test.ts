import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { cartKeys, customerCartId } from "../src/store.js";
import { startCart, TEST_CUSTOMER_TTL_SECONDS, TEST_TTL_SECONDS } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startCart>>;
beforeAll(async () => {
  ctx = await startCart();
});
afterAll(() => ctx?.stop());

type Headers = Record<string, string>;
const CART_FIELDS = `id totalQuantity lines { quantity product { id } }`;
const CREATE = `mutation { createCart { cart { id } errors { code } } }`;
const ADD = `mutation ($cartId: ID!, $productId: ID!, $quantity: Int!) {
  addToCart(cartId: $cartId, productId: $productId, quantity: $quantity) { cart { id } errors { field code message } }
}`;
const MERGE = `mutation ($cartId: ID!) {
  mergeGuestCart(cartId: $cartId) {
    cart { ${CART_FIELDS} }
    warnings { product { id } code message requestedQuantity quantity }
    errors { field code message }
  }
}`;
const CART = `query ($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`;

const ROSES = "p-roses";
const LILIES = "p-lilies";
const TULIPS = "p-tulips";

async function createCart(as: Headers = {}): Promise<string> {
  const res = await graphql(ctx.url, CREATE, undefined, as);
  expect(res.data!.createCart.errors).toEqual([]);
  return res.data!.createCart.cart.id;
}

async function add(cartId: string, productId: string, quantity: number, as: Headers = {}) {
  return (await graphql(ctx.url, ADD, { cartId, productId, quantity }, as)).data!.addToCart;
}

/** A cart holding these lines: a guest cart, or the customer's own when `as` is signed in. */
async function cartWith(lines: [string, number][], as: Headers = {}) {
  const id = await createCart(as);
  for (const [productId, quantity] of lines) expect((await add(id, productId, quantity, as)).errors).toEqual([]);
  return id;
}

const merge = async (cartId: string, as: Headers) =>
  (await graphql(ctx.url, MERGE, { cartId }, as)).data!.mergeGuestCart;
const storedLines = (id: string) => ctx.redis.hgetall(ctx.linesKey(id));
const storedCart = async (id: string) => ({
  meta: await ctx.redis.hgetall(ctx.metaKey(id)),
  lines: await storedLines(id),
});

describe("mergeGuestCart", () => {
  it("sums the guest's lines into the customer's cart, keeps a sum past 99 at 99 with a warning, and deletes the guest cart", async () => {
    const ana = await ctx.signIn();
    const own = await cartWith(
      [
        [ROSES, 60],
        [LILIES, 1],
      ],
      ana,
    );
    const guest = await cartWith([
      [ROSES, 50],
      [TULIPS, 2],
    ]);
    await ctx.redis.expire(ctx.metaKey(own), 100);

    const payload = await merge(guest, ana);
    expect(payload.errors).toEqual([]);
    expect(payload.cart).toEqual({
      id: own,
      totalQuantity: 102,
      lines: [
        { product: { id: LILIES }, quantity: 1 },
        { product: { id: ROSES }, quantity: 99 },
        { product: { id: TULIPS }, quantity: 2 },
      ],
    });
    expect(payload.warnings).toEqual([
      {
        product: { id: ROSES },
        code: "QUANTITY_CAPPED",
        message: expect.stringContaining("110"),
        requestedQuantity: 110,
        quantity: 99,
      },
    ]);
    expect(await storedLines(own)).toEqual({ [ROSES]: "99", [LILIES]: "1", [TULIPS]: "2" });
    for (const key of [ctx.metaKey(own), ctx.linesKey(own)]) {
      const ttl = await ctx.redis.ttl(key);
      expect(ttl).toBeGreaterThan(TEST_TTL_SECONDS);
      expect(ttl).toBeLessThanOrEqual(TEST_CUSTOMER_TTL_SECONDS);
    }

    // The guest cart is gone: unreadable, unwritable, and its keys deleted.
    expect(await ctx.redis.exists(ctx.metaKey(guest), ctx.linesKey(guest))).toBe(0);
    expect((await graphql(ctx.url, CART, { id: guest })).data!.cart).toBeNull();
    expect((await add(guest, ROSES, 1)).errors[0].code).toBe("CART_NOT_FOUND");
  });

  it("is a no-op when repeated by the same customer: nothing is added twice", async () => {
    const ana = await ctx.signIn();
    const own = await cartWith([[ROSES, 1]], ana);
    const guest = await cartWith([[ROSES, 2]]);
    expect((await merge(guest, ana)).cart.lines).toEqual([{ product: { id: ROSES }, quantity: 3 }]);
    const again = await merge(guest, ana);
    expect(again).toEqual({
      cart: { id: own, totalQuantity: 3, lines: [{ product: { id: ROSES }, quantity: 3 }] },
      warnings: [],
      errors: [],
    });
    expect(await storedLines(own)).toEqual({ [ROSES]: "3" });
  });

  it("adds a guest cart merged in parallel several times exactly once", async () => {
    const userId = randomUUID();
    const ana = await ctx.signIn(userId);
    const guest = await cartWith([
      [ROSES, 4],
      [LILIES, 1],
    ]);
    const results = await Promise.all(Array.from({ length: 8 }, () => merge(guest, ana)));
    expect(results.flatMap((r) => r.errors)).toEqual([]);
    expect(await storedLines(customerCartId(userId))).toEqual({ [ROSES]: "4", [LILIES]: "1" });
  });

  it("opens the customer's cart when they have none", async () => {
    const userId = randomUUID();
    const benja = await ctx.signIn(userId);
    const guest = await cartWith([[LILIES, 3]]);
    const payload = await merge(guest, benja);
    expect(payload).toMatchObject({ errors: [], cart: { lines: [{ product: { id: LILIES }, quantity: 3 }] } });
    expect(payload.cart.id).toBe(customerCartId(userId));
    expect(await ctx.redis.hget(ctx.metaKey(payload.cart.id), "userId")).toBe(userId);
  });

  it("finishes a merge interrupted between its two halves, when asked again", async () => {
    // The state a crash right after the guest half leaves (src/store.ts, key layout): the guest cart
    // deleted, its lines kept under merged-lines, merged-into naming the customer.
    const userId = randomUUID();
    const ana = await ctx.signIn(userId);
    const own = await cartWith([[ROSES, 1]], ana);
    const guest = "GuestCartInterrupted_1";
    await ctx.redis.hset(ctx.key(cartKeys.mergedLinesKey(guest)), { [ROSES]: "5", [TULIPS]: "1" });
    await ctx.redis.set(ctx.key(cartKeys.mergedIntoKey(guest)), userId, "EX", 600);
    const payload = await merge(guest, ana);
    expect(payload.errors).toEqual([]);
    expect(payload.cart).toMatchObject({ id: own, totalQuantity: 7 });
    expect(await storedLines(own)).toEqual({ [ROSES]: "6", [TULIPS]: "1" });
    await merge(guest, ana);
    expect(await storedLines(own)).toEqual({ [ROSES]: "6", [TULIPS]: "1" });
  });

  it("answers the customer's own cart unchanged when given its id", async () => {
    const ana = await ctx.signIn();
    const own = await cartWith([[ROSES, 2]], ana);
    const before = await storedCart(own);
    expect(await merge(own, ana)).toEqual({
      cart: { id: own, totalQuantity: 2, lines: [{ product: { id: ROSES }, quantity: 2 }] },
      warnings: [],
      errors: [],
    });
    expect(await storedCart(own)).toEqual(before);
  });
});

describe("mergeGuestCart refuses", () => {
  const notFound = (cartId: string) => ({
    cart: null,
    warnings: [],
    errors: [
      { field: ["cartId"], code: "CART_NOT_FOUND", message: `no cart with id "${cartId}" (it may have expired)` },
    ],
  });

  it("a caller who is not signed in: UNAUTHENTICATED, the guest cart untouched", async () => {
    const guest = await cartWith([[ROSES, 1]]);
    const before = await storedCart(guest);
    for (const as of [{}, { "x-service-name": "orders" }] as Headers[]) {
      const res = await graphql(ctx.url, MERGE, { cartId: guest }, as);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
      expect(res.data?.mergeGuestCart ?? null).toBeNull();
    }
    expect(await storedCart(guest)).toEqual(before);
  });

  it("another customer's cart: CART_NOT_FOUND, both carts untouched", async () => {
    const ana = await ctx.signIn();
    const anas = await cartWith([[ROSES, 2]], ana);
    const benja = await ctx.signIn();
    const benjas = await cartWith([[LILIES, 1]], benja);
    const before = { ana: await storedCart(anas), benja: await storedCart(benjas) };
    expect(await merge(anas, benja)).toEqual(notFound(anas));
    expect({ ana: await storedCart(anas), benja: await storedCart(benjas) }).toEqual(before);
  });

  it("a guest cart another customer merged first, in sequence or in parallel: it went to one customer only", async () => {
    const ana = await ctx.signIn();
    const benjaId = randomUUID();
    const benja = await ctx.signIn(benjaId);
    const guest = await cartWith([[TULIPS, 3]]);
    expect((await merge(guest, ana)).errors).toEqual([]);
    expect(await merge(guest, benja)).toEqual(notFound(guest));
    expect(await ctx.redis.exists(ctx.metaKey(customerCartId(benjaId)))).toBe(0);

    const contested = await cartWith([[LILIES, 2]]);
    const customers = await Promise.all(Array.from({ length: 6 }, () => ctx.signIn()));
    const results = await Promise.all(customers.map((as) => merge(contested, as)));
    expect(results.filter((r) => r.errors.length === 0)).toHaveLength(1);
    expect(results.filter((r) => r.errors[0]?.code === "CART_NOT_FOUND")).toHaveLength(5);
    const winner = results.find((r) => r.errors.length === 0)!;
    expect(winner.cart.lines).toEqual([{ product: { id: LILIES }, quantity: 2 }]);
  });

  it("an unknown, expired or malformed cart id: CART_NOT_FOUND, nothing created", async () => {
    const userId = randomUUID();
    const ana = await ctx.signIn(userId);
    const expired = await cartWith([[ROSES, 1]]);
    await ctx.redis.del(ctx.metaKey(expired), ctx.linesKey(expired));
    for (const cartId of ["AAAAAAAAAAAAAAAAAAAAAA", expired, "x}:meta"])
      expect(await merge(cartId, ana)).toEqual(notFound(cartId));
    expect(await ctx.redis.exists(ctx.metaKey(customerCartId(userId)))).toBe(0);
  });
});

describe("mergeGuestCart under concurrent adds", () => {
  it("loses no unit added to either cart while it runs", async () => {
    const ana = await ctx.signIn();
    const own = await cartWith([[ROSES, 1]], ana);
    const guest = await cartWith([[LILIES, 1]]);
    // The merge starts in the middle of the adds, which keep coming while it runs.
    const ownAdds: ReturnType<typeof add>[] = [];
    const guestAdds: ReturnType<typeof add>[] = [];
    let merged: ReturnType<typeof merge> | undefined;
    for (let i = 0; i < 20; i++) {
      ownAdds.push(add(own, ROSES, 1, ana));
      guestAdds.push(add(guest, TULIPS, 1));
      if (i === 6) merged = merge(guest, ana);
    }
    const [own$, guest$, merge$] = await Promise.all([Promise.all(ownAdds), Promise.all(guestAdds), merged!]);

    expect(merge$.errors).toEqual([]);
    expect(own$.flatMap((r) => r.errors)).toEqual([]);
    // An add to the guest cart either landed before the merge took it (and moved with it), or was told
    // the cart is gone: none reported success and vanished.
    const guestAccepted = guest$.filter((r) => r.errors.length === 0).length;
    expect(guest$.flatMap((r) => r.errors).map((e) => e.code)).toEqual(
      Array.from({ length: 20 - guestAccepted }, () => "CART_NOT_FOUND"),
    );
    expect(await storedLines(own)).toEqual({
      [ROSES]: "21",
      [LILIES]: "1",
      ...(guestAccepted ? { [TULIPS]: String(guestAccepted) } : {}),
    });
    expect(await ctx.redis.exists(ctx.metaKey(guest), ctx.linesKey(guest))).toBe(0);
  });
});
