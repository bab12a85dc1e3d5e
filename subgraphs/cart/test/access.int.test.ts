import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startCart, TEST_CUSTOMER_TTL_SECONDS, TEST_TTL_SECONDS } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startCart>>;
type Headers = Record<string, string>;
const ANA = randomUUID();
let ana: Headers;
let benja: Headers;
beforeAll(async () => {
  ctx = await startCart();
  [ana, benja] = await Promise.all([ctx.signIn(ANA), ctx.signIn()]);
});
afterAll(() => ctx?.stop());

const CART_FIELDS = `id totalQuantity lines { quantity product { id } }`;
const CREATE = `mutation { createCart { cart { ${CART_FIELDS} } errors { code } } }`;
const ADD = `mutation ($cartId: ID!, $productId: ID!, $quantity: Int!) {
  addToCart(cartId: $cartId, productId: $productId, quantity: $quantity) {
    cart { ${CART_FIELDS} }
    errors { field code message }
  }
}`;
const REMOVE = `mutation ($cartId: ID!, $productId: ID!) {
  removeFromCart(cartId: $cartId, productId: $productId) {
    cart { ${CART_FIELDS} }
    errors { field code message }
  }
}`;
const UPDATE = `mutation ($cartId: ID!, $productId: ID!, $quantity: Int!) {
  updateCartLine(cartId: $cartId, productId: $productId, quantity: $quantity) {
    cart { ${CART_FIELDS} }
    errors { field code message }
  }
}`;
const CLEAR = `mutation ($cartId: ID!) { clearCart(cartId: $cartId) { cart { ${CART_FIELDS} } errors { field code message } } }`;
const ADD_FOR_CUSTOMER = `mutation ($userId: ID!, $productId: ID!, $quantity: Int!) {
  addToCustomerCart(userId: $userId, productId: $productId, quantity: $quantity) {
    cart { ${CART_FIELDS} }
    errors { field code message }
  }
}`;
const CART = `query ($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`;
const MY_CART = `{ myCart { ${CART_FIELDS} } }`;

const ROSES = "p-roses";
const LILIES = "p-lilies";

async function createCart(as: Headers = {}): Promise<string> {
  const res = await graphql(ctx.url, CREATE, undefined, as);
  expect(res.data!.createCart.errors).toEqual([]);
  return res.data!.createCart.cart.id;
}

async function add(cartId: string, productId: string, quantity: number, as: Headers = {}) {
  return (await graphql(ctx.url, ADD, { cartId, productId, quantity }, as)).data!.addToCart;
}

/** Everything Redis holds for a cart, to show a refused write left it alone. */
const stored = async (id: string) => ({
  meta: await ctx.redis.hgetall(ctx.metaKey(id)),
  lines: await ctx.redis.hgetall(ctx.linesKey(id)),
});

/** A new customer's cart, with roses in it (each customer has one cart: a fresh customer, a fresh cart). */
async function ownedCart() {
  const owner = await ctx.signIn();
  const id = await createCart(owner);
  const added = await add(id, ROSES, 2, owner);
  expect(added.errors).toEqual([]);
  return { id, owner };
}

const strangers = async (): Promise<[string, Headers][]> => [
  ["another customer", benja],
  ["an anonymous caller", {}],
  ["an admin", await ctx.signIn(undefined, "admin")],
  ["another service", { "x-service-name": "orders" }],
];

describe("a signed-in customer's cart", () => {
  it("records its owner, lives for the customer TTL, and is the same cart every time", async () => {
    const id = await createCart(ana);
    const meta = await ctx.redis.hgetall(ctx.metaKey(id));
    expect(meta.userId).toBe(ANA);
    const ttl = await ctx.redis.ttl(ctx.metaKey(id));
    expect(ttl).toBeGreaterThan(TEST_TTL_SECONDS);
    expect(ttl).toBeLessThanOrEqual(TEST_CUSTOMER_TTL_SECONDS);

    await add(id, LILIES, 1, ana);
    expect(await ctx.redis.ttl(ctx.linesKey(id))).toBeGreaterThan(TEST_TTL_SECONDS);
    const again = await graphql(ctx.url, CREATE, undefined, ana);
    expect(again.data!.createCart.cart).toMatchObject({ id, totalQuantity: 1 });
    const mine = await graphql(ctx.url, MY_CART, undefined, ana);
    expect(mine.data!.myCart).toMatchObject({ id, lines: [{ quantity: 1, product: { id: LILIES } }] });
  });

  it("myCart: null for a customer without a cart, UNAUTHENTICATED without sign-in", async () => {
    const none = await graphql(ctx.url, MY_CART, undefined, await ctx.signIn());
    expect(none.errors).toBeUndefined();
    expect(none.data!.myCart).toBeNull();
    const anonymous = await graphql(ctx.url, MY_CART);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data?.myCart ?? null).toBeNull();
  });

  it("is invisible to anyone else, by id and through _entities, as an unknown cart is", async () => {
    const { id, owner } = await ownedCart();
    for (const [, as] of await strangers()) {
      const read = await graphql(ctx.url, CART, { id }, as);
      expect(read.errors).toBeUndefined();
      expect(read.data!.cart).toBeNull();
      const entities = await resolveEntities(ctx.url, [{ __typename: "Cart", id }], `... on Cart { id }`, as);
      expect(entities.errors).toBeUndefined();
      expect(entities.data!._entities).toEqual([null]);
    }
    const own = await resolveEntities(ctx.url, [{ __typename: "Cart", id }], `... on Cart { id totalQuantity }`, owner);
    expect(own.data!._entities).toEqual([{ id, totalQuantity: 2 }]);
  });

  it("refuses anyone else's writes as CART_NOT_FOUND, changing nothing", async () => {
    const { id } = await ownedCart();
    const before = await stored(id);
    for (const [who, as] of await strangers()) {
      const added = await add(id, ROSES, 1, as);
      const removed = (await graphql(ctx.url, REMOVE, { cartId: id, productId: ROSES }, as)).data!.removeFromCart;
      const updated = (await graphql(ctx.url, UPDATE, { cartId: id, productId: ROSES, quantity: 5 }, as)).data!
        .updateCartLine;
      const cleared = (await graphql(ctx.url, CLEAR, { cartId: id }, as)).data!.clearCart;
      for (const payload of [added, removed, updated, cleared]) {
        expect(payload, who).toEqual({
          cart: null,
          errors: [
            { field: ["cartId"], code: "CART_NOT_FOUND", message: `no cart with id "${id}" (it may have expired)` },
          ],
        });
      }
    }
    expect(await stored(id)).toEqual(before);
  });

  it("cannot be taken over by another customer opening their own cart", async () => {
    const id = await createCart(ana);
    const benjas = await createCart(benja);
    expect(benjas).not.toBe(id);
    expect(await ctx.redis.hget(ctx.metaKey(id), "userId")).toBe(ANA);
    expect((await graphql(ctx.url, MY_CART, undefined, benja)).data!.myCart.id).toBe(benjas);
  });
});

describe("the lifetime of a customer's cart", () => {
  const shorten = async (id: string) => {
    await ctx.redis.expire(ctx.metaKey(id), 100);
    await ctx.redis.expire(ctx.linesKey(id), 100);
  };
  const expectCustomerTtl = async (id: string) => {
    for (const key of [ctx.metaKey(id), ctx.linesKey(id)]) {
      const ttl = await ctx.redis.ttl(key);
      expect(ttl).toBeGreaterThan(TEST_TTL_SECONDS);
      expect(ttl).toBeLessThanOrEqual(TEST_CUSTOMER_TTL_SECONDS);
    }
  };

  it("is the customer TTL after updateCartLine", async () => {
    const { id, owner } = await ownedCart();
    await shorten(id);
    const updated = (await graphql(ctx.url, UPDATE, { cartId: id, productId: ROSES, quantity: 9 }, owner)).data!
      .updateCartLine;
    expect(updated).toMatchObject({ errors: [], cart: { lines: [{ quantity: 9 }] } });
    await expectCustomerTtl(id);
  });

  it("is the customer TTL after clearCart (on the cart that stays)", async () => {
    const { id, owner } = await ownedCart();
    await ctx.redis.expire(ctx.metaKey(id), 100);
    const cleared = (await graphql(ctx.url, CLEAR, { cartId: id }, owner)).data!.clearCart;
    expect(cleared).toMatchObject({ errors: [], cart: { id, totalQuantity: 0 } });
    const ttl = await ctx.redis.ttl(ctx.metaKey(id));
    expect(ttl).toBeGreaterThan(TEST_TTL_SECONDS);
    expect(ttl).toBeLessThanOrEqual(TEST_CUSTOMER_TTL_SECONDS);
  });

  it("starts again when the owner reads it (cart or myCart), not when anyone else asks or on _entities", async () => {
    const { id, owner } = await ownedCart();
    await shorten(id);
    for (const [, as] of await strangers()) await graphql(ctx.url, CART, { id }, as);
    await resolveEntities(ctx.url, [{ __typename: "Cart", id }], `... on Cart { id }`, owner);
    expect(await ctx.redis.ttl(ctx.metaKey(id))).toBeLessThanOrEqual(100);
    expect(await ctx.redis.ttl(ctx.linesKey(id))).toBeLessThanOrEqual(100);

    expect((await graphql(ctx.url, CART, { id }, owner)).data!.cart.id).toBe(id);
    await expectCustomerTtl(id);
    await shorten(id);
    expect((await graphql(ctx.url, MY_CART, undefined, owner)).data!.myCart.id).toBe(id);
    await expectCustomerTtl(id);
  });
});

describe("addToCustomerCart, for other services", () => {
  const asWishlist = { "x-service-name": "wishlist" };
  const addFor = async (userId: string, productId: string, quantity: number, as: Headers = asWishlist) =>
    graphql(ctx.url, ADD_FOR_CUSTOMER, { userId, productId, quantity }, as);

  it("opens the customer's cart when they have none, adds to it, and the customer finds it as myCart", async () => {
    const userId = randomUUID();
    const first = (await addFor(userId, ROSES, 2)).data!.addToCustomerCart;
    expect(first.errors).toEqual([]);
    expect(first.cart).toMatchObject({ totalQuantity: 2, lines: [{ product: { id: ROSES }, quantity: 2 }] });
    const id = first.cart.id;
    expect(await ctx.redis.hget(ctx.metaKey(id), "userId")).toBe(userId);
    const ttl = await ctx.redis.ttl(ctx.linesKey(id));
    expect(ttl).toBeGreaterThan(TEST_TTL_SECONDS);
    expect(ttl).toBeLessThanOrEqual(TEST_CUSTOMER_TTL_SECONDS);

    const second = (await addFor(userId, ROSES, 3)).data!.addToCustomerCart;
    expect(second.cart).toMatchObject({ id, lines: [{ quantity: 5 }] });
    const mine = await graphql(ctx.url, MY_CART, undefined, await ctx.signIn(userId));
    expect(mine.data!.myCart).toMatchObject({ id, totalQuantity: 5 });
  });

  it("keeps addToCart's limits: 1 to 99 per line, refusals change nothing", async () => {
    const userId = randomUUID();
    await addFor(userId, ROSES, 97);
    const id: string = (await addFor(userId, LILIES, 1)).data!.addToCustomerCart.cart.id;
    const before = await stored(id);
    const cases: [string, string, number, string][] = [
      [userId, ROSES, 3, "quantity:QUANTITY_LIMIT"],
      [userId, ROSES, 0, "quantity:INVALID_QUANTITY"],
      [userId, LILIES, 100, "quantity:QUANTITY_LIMIT"],
      [userId, "not a product", 1, "productId:INVALID_ID"],
      ["not a user id!", ROSES, 1, "userId:INVALID_ID"],
    ];
    for (const [user, productId, quantity, expected] of cases) {
      const payload = (await addFor(user, productId, quantity)).data!.addToCustomerCart;
      expect(payload.cart).toBeNull();
      expect(payload.errors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`)).toEqual([
        expected,
      ]);
    }
    expect(await stored(id)).toEqual(before);
    expect((await addFor(userId, ROSES, 2)).data!.addToCustomerCart.errors).toEqual([]);
  });

  it("is FORBIDDEN to customers (even for themselves), staff and anonymous callers, storing nothing", async () => {
    const userId = randomUUID();
    for (const as of [await ctx.signIn(userId), await ctx.signIn(undefined, "admin"), {}]) {
      const res = await addFor(userId, ROSES, 1, as);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
      expect(res.data?.addToCustomerCart ?? null).toBeNull();
    }
    expect((await graphql(ctx.url, MY_CART, undefined, await ctx.signIn(userId))).data!.myCart).toBeNull();
  });
});

describe("a guest cart", () => {
  it("works by id for anyone, signed in or not, and stays a guest cart", async () => {
    const id = await createCart();
    expect((await add(id, ROSES, 1, ana)).errors).toEqual([]);
    expect((await add(id, LILIES, 1)).errors).toEqual([]);
    const read = await graphql(ctx.url, CART, { id }, benja);
    expect(read.data!.cart).toMatchObject({ id, totalQuantity: 2 });
    const meta = await ctx.redis.hgetall(ctx.metaKey(id));
    expect(meta.userId).toBeUndefined();
    expect(await ctx.redis.ttl(ctx.metaKey(id))).toBeLessThanOrEqual(TEST_TTL_SECONDS);
  });
});
