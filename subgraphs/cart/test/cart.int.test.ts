import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, parseConfig } from "@fv/platform";
import { CLOSED_PORT, graphql, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildCartService } from "../src/server.js";
import { CLOSED_PRODUCTS_URL, startCart, TEST_TTL_SECONDS } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startCart>>;
beforeAll(async () => {
  ctx = await startCart();
});
afterAll(() => ctx?.stop());

const CART_FIELDS = /* GraphQL */ `
  id
  totalQuantity
  createdAt
  updatedAt
  lines {
    quantity
    product {
      id
    }
  }
`;
const CREATE = `mutation { createCart { cart { ${CART_FIELDS} } errors { field code message } } }`;
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
const CLEAR = `mutation ($cartId: ID!) {
  clearCart(cartId: $cartId) {
    cart { ${CART_FIELDS} }
    errors { field code message }
  }
}`;
const CART = `query ($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`;

const ROSES = "8c1b9a52-0d3e-4f6a-9b7c-000000000001";
const LILIES = "8c1b9a52-0d3e-4f6a-9b7c-000000000002";
const UNKNOWN_CART = "AAAAAAAAAAAAAAAAAAAAAA";

async function createCart(): Promise<string> {
  const res = await graphql(ctx.url, CREATE);
  expect(res.data!.createCart.errors).toEqual([]);
  return res.data!.createCart.cart.id;
}

const add = async (cartId: string, productId: string, quantity: number) =>
  (await graphql(ctx.url, ADD, { cartId, productId, quantity })).data!.addToCart;

const expectTtlSet = async (key: string) => {
  const ttl = await ctx.redis.ttl(key);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(TEST_TTL_SECONDS);
  return ttl;
};

describe("createCart and cart", () => {
  it("opens an empty cart under an opaque id, stored with its dates and a TTL", async () => {
    const res = await graphql(ctx.url, CREATE);
    const { cart, errors } = res.data!.createCart;
    expect(errors).toEqual([]);
    expect(cart).toMatchObject({ totalQuantity: 0, lines: [] });
    expect(cart.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const meta = await ctx.redis.hgetall(ctx.metaKey(cart.id));
    expect(new Date(Number(meta.createdAt)).toISOString()).toBe(cart.createdAt);
    expect(meta.updatedAt).toBe(meta.createdAt);
    await expectTtlSet(ctx.metaKey(cart.id));

    const read = await graphql(ctx.url, CART, { id: cart.id });
    expect(read.data!.cart).toEqual(cart);
    expect((await graphql(ctx.url, CREATE)).data!.createCart.cart.id).not.toBe(cart.id);
  });

  it("answers null for an unknown, malformed or expired cart", async () => {
    const id = await createCart();
    await add(id, ROSES, 1);
    // Expired, as Redis expires it: both keys past their deadline.
    await ctx.redis.pexpireat(ctx.metaKey(id), 1);
    await ctx.redis.pexpireat(ctx.linesKey(id), 1);
    for (const unknown of [id, UNKNOWN_CART, "x}:meta", ""]) {
      const res = await graphql(ctx.url, CART, { id: unknown });
      expect(res.errors).toBeUndefined();
      expect(res.data!.cart).toBeNull();
    }
  });
});

describe("addToCart", () => {
  it("adds units to lines, stores product ids and quantities only, and refreshes the TTL of both keys", async () => {
    const id = await createCart();
    await add(id, ROSES, 2);
    await add(id, LILIES, 3);
    const { cart, errors } = await add(id, ROSES, 1);
    expect(errors).toEqual([]);
    expect(cart.totalQuantity).toBe(6);
    expect(cart.lines).toEqual([
      { product: { id: ROSES }, quantity: 3 },
      { product: { id: LILIES }, quantity: 3 },
    ]);
    expect(Date.parse(cart.updatedAt)).toBeGreaterThanOrEqual(Date.parse(cart.createdAt));
    expect(await ctx.redis.hgetall(ctx.linesKey(id))).toEqual({ [ROSES]: "3", [LILIES]: "3" });

    // Shorten both TTLs by hand: a write must set them back to the configured value.
    await ctx.redis.expire(ctx.metaKey(id), 100);
    await ctx.redis.expire(ctx.linesKey(id), 100);
    await add(id, LILIES, 1);
    expect(await expectTtlSet(ctx.metaKey(id))).toBeGreaterThan(100);
    expect(await expectTtlSet(ctx.linesKey(id))).toBeGreaterThan(100);
  });

  it("refuses bad input naming the field, and changes nothing", async () => {
    const id = await createCart();
    await add(id, ROSES, 96);
    const before = { lines: await ctx.redis.hgetall(ctx.linesKey(id)), meta: await ctx.redis.hgetall(ctx.metaKey(id)) };
    const cases: [string, string, number, string][] = [
      [id, ROSES, 5, "quantity:QUANTITY_LIMIT"],
      [id, LILIES, 100, "quantity:QUANTITY_LIMIT"],
      [id, LILIES, 0, "quantity:INVALID_QUANTITY"],
      [id, LILIES, -3, "quantity:INVALID_QUANTITY"],
      [id, "not a product id", 1, "productId:INVALID_ID"],
      [UNKNOWN_CART, ROSES, 1, "cartId:CART_NOT_FOUND"],
      ["x}:lines", ROSES, 1, "cartId:CART_NOT_FOUND"],
    ];
    for (const [cartId, productId, quantity, expected] of cases) {
      const payload = await add(cartId, productId, quantity);
      expect(payload.cart).toBeNull();
      expect(payload.errors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`)).toEqual([
        expected,
      ]);
    }
    expect((await add(id, ROSES, 5)).errors[0].message).toContain("at most 3 more");
    expect(await ctx.redis.hgetall(ctx.linesKey(id))).toEqual(before.lines);
    expect(await ctx.redis.hgetall(ctx.metaKey(id))).toEqual(before.meta);
    expect(await ctx.redis.keys(`${ctx.prefix}{${UNKNOWN_CART}}*`)).toEqual([]);
  });

  it("rejects a non-integer quantity as BAD_USER_INPUT", async () => {
    const res = await graphql(ctx.url, ADD, { cartId: await createCart(), productId: ROSES, quantity: 1.5 });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("never lets concurrent adds push a line past 99", async () => {
    const id = await createCart();
    const tens = await Promise.all(Array.from({ length: 20 }, () => add(id, ROSES, 10)));
    expect(tens.filter((p) => p.errors.length === 0)).toHaveLength(9);
    expect(tens.filter((p) => p.errors[0]?.code === "QUANTITY_LIMIT")).toHaveLength(11);
    const ones = await Promise.all(Array.from({ length: 15 }, () => add(id, ROSES, 1)));
    expect(ones.filter((p) => p.errors.length === 0)).toHaveLength(9);
    expect(await ctx.redis.hget(ctx.linesKey(id), ROSES)).toBe("99");
  });
});

describe("removeFromCart", () => {
  it("removes a line, refreshes the TTL, and leaves the cart alone for a product it does not hold", async () => {
    const id = await createCart();
    await add(id, ROSES, 2);
    await add(id, LILIES, 1);
    await ctx.redis.expire(ctx.metaKey(id), 100);
    const { cart, errors } = (await graphql(ctx.url, REMOVE, { cartId: id, productId: ROSES })).data!.removeFromCart;
    expect(errors).toEqual([]);
    expect(cart.lines).toEqual([{ product: { id: LILIES }, quantity: 1 }]);
    expect(await ctx.redis.hgetall(ctx.linesKey(id))).toEqual({ [LILIES]: "1" });
    expect(await expectTtlSet(ctx.metaKey(id))).toBeGreaterThan(100);

    const again = (await graphql(ctx.url, REMOVE, { cartId: id, productId: ROSES })).data!.removeFromCart;
    expect(again).toMatchObject({ errors: [], cart: { totalQuantity: 1 } });
    const last = (await graphql(ctx.url, REMOVE, { cartId: id, productId: LILIES })).data!.removeFromCart;
    expect(last.cart).toMatchObject({ lines: [], totalQuantity: 0 });
    expect(await ctx.redis.exists(ctx.metaKey(id))).toBe(1);
  });

  it("says CART_NOT_FOUND for a cart that does not exist, creating nothing", async () => {
    const payload = (await graphql(ctx.url, REMOVE, { cartId: UNKNOWN_CART, productId: ROSES })).data!.removeFromCart;
    expect(payload).toMatchObject({ cart: null, errors: [{ field: ["cartId"], code: "CART_NOT_FOUND" }] });
    expect(await ctx.redis.keys(`${ctx.prefix}{${UNKNOWN_CART}}*`)).toEqual([]);
  });
});

const update = async (cartId: string, productId: string, quantity: number) =>
  (await graphql(ctx.url, UPDATE, { cartId, productId, quantity })).data!.updateCartLine;
const codes = (payload: { errors: { field: string[]; code: string }[] }) =>
  payload.errors.map((e) => `${e.field.join(".")}:${e.code}`);

describe("updateCartLine", () => {
  it("sets a line's quantity, from 1 to 99, and refreshes the TTL of both keys", async () => {
    const id = await createCart();
    await add(id, ROSES, 2);
    await add(id, LILIES, 1);
    await ctx.redis.expire(ctx.metaKey(id), 100);
    await ctx.redis.expire(ctx.linesKey(id), 100);
    const { cart, errors } = await update(id, ROSES, 7);
    expect(errors).toEqual([]);
    expect(cart.lines).toEqual([
      { product: { id: ROSES }, quantity: 7 },
      { product: { id: LILIES }, quantity: 1 },
    ]);
    expect(cart.totalQuantity).toBe(8);
    expect(await expectTtlSet(ctx.metaKey(id))).toBeGreaterThan(100);
    expect(await expectTtlSet(ctx.linesKey(id))).toBeGreaterThan(100);
    expect((await update(id, ROSES, 99)).cart.lines[0].quantity).toBe(99);
    expect((await update(id, ROSES, 1)).cart.lines[0].quantity).toBe(1);
    expect(await ctx.redis.hgetall(ctx.linesKey(id))).toEqual({ [ROSES]: "1", [LILIES]: "1" });
  });

  it("refuses 0 or less (removal is removeFromCart), more than 99, a line the cart lacks; changes nothing", async () => {
    const id = await createCart();
    await add(id, ROSES, 4);
    const before = { lines: await ctx.redis.hgetall(ctx.linesKey(id)), meta: await ctx.redis.hgetall(ctx.metaKey(id)) };
    const cases: [string, string, number, string][] = [
      [id, ROSES, 0, "quantity:INVALID_QUANTITY"],
      [id, ROSES, -2, "quantity:INVALID_QUANTITY"],
      [id, ROSES, 100, "quantity:QUANTITY_LIMIT"],
      [id, LILIES, 3, "productId:LINE_NOT_FOUND"],
      [id, "not a product id", 1, "productId:INVALID_ID"],
      [UNKNOWN_CART, ROSES, 1, "cartId:CART_NOT_FOUND"],
    ];
    for (const [cartId, productId, quantity, expected] of cases) {
      const payload = await update(cartId, productId, quantity);
      expect(payload.cart).toBeNull();
      expect(codes(payload)).toEqual([expected]);
    }
    expect((await update(id, ROSES, 0)).errors[0].message).toContain("removeFromCart");
    expect(await ctx.redis.hgetall(ctx.linesKey(id))).toEqual(before.lines);
    expect(await ctx.redis.hgetall(ctx.metaKey(id))).toEqual(before.meta);
    expect(await ctx.redis.keys(`${ctx.prefix}{${UNKNOWN_CART}}*`)).toEqual([]);
  });
});

describe("clearCart", () => {
  it("removes every line, keeps the cart under its id with a refreshed TTL, and the cart takes new lines", async () => {
    const id = await createCart();
    await add(id, ROSES, 3);
    await add(id, LILIES, 2);
    await ctx.redis.expire(ctx.metaKey(id), 100);
    const { cart, errors } = (await graphql(ctx.url, CLEAR, { cartId: id })).data!.clearCart;
    expect(errors).toEqual([]);
    expect(cart).toMatchObject({ id, lines: [], totalQuantity: 0 });
    expect(await ctx.redis.exists(ctx.linesKey(id))).toBe(0);
    expect(await expectTtlSet(ctx.metaKey(id))).toBeGreaterThan(100);
    expect((await graphql(ctx.url, CART, { id })).data!.cart).toMatchObject({ id, lines: [] });
    expect((await add(id, ROSES, 1)).cart.lines).toEqual([{ product: { id: ROSES }, quantity: 1 }]);

    const again = (await graphql(ctx.url, CLEAR, { cartId: id })).data!.clearCart;
    expect(again).toMatchObject({ errors: [], cart: { id, totalQuantity: 0 } });
  });

  it("says CART_NOT_FOUND for a cart that does not exist, creating nothing", async () => {
    const payload = (await graphql(ctx.url, CLEAR, { cartId: UNKNOWN_CART })).data!.clearCart;
    expect(payload).toMatchObject({ cart: null, errors: [{ field: ["cartId"], code: "CART_NOT_FOUND" }] });
    expect(await ctx.redis.keys(`${ctx.prefix}{${UNKNOWN_CART}}*`)).toEqual([]);
  });
});

describe("reading a guest cart", () => {
  it("starts its lifetime again without changing updatedAt", async () => {
    const id = await createCart();
    const { cart } = await add(id, ROSES, 1);
    await ctx.redis.expire(ctx.metaKey(id), 100);
    await ctx.redis.expire(ctx.linesKey(id), 100);
    const read = (await graphql(ctx.url, CART, { id })).data!.cart;
    expect(read.updatedAt).toBe(cart.updatedAt);
    expect(await expectTtlSet(ctx.metaKey(id))).toBeGreaterThan(100);
    expect(await expectTtlSet(ctx.linesKey(id))).toBeGreaterThan(100);
  });
});

describe("with Redis down", () => {
  it("starts, is live and not ready", async () => {
    const config = parseConfig(configShape, {
      ...testServiceEnv(),
      REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}`,
      PRODUCTS_URL: CLOSED_PRODUCTS_URL,
      LOG_LEVEL: "silent",
    });
    const service = await buildCartService(config, createLogger("cart", "silent"));
    try {
      const url = await listenForTest(service);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "unavailable", checks: { redis: { ok: false } } });
    } finally {
      await service.stop();
    }
  });
});
