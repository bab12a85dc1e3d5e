import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newEvent, type EventEnvelope } from "@fv/platform";
import { graphql } from "@fv/platform/testing";
import { cartKeys, customerCartId } from "../src/store.js";
import { eventually, startCart, TEST_CUSTOMER_TTL_SECONDS, TEST_TTL_SECONDS } from "./helpers.js";

// The cart service reads orders' real event stream (under a prefix of its own): these tests write to it.
let ctx: Awaited<ReturnType<typeof startCart>>;
beforeAll(async () => {
  ctx = await startCart();
});
afterAll(() => ctx?.stop());

type Headers = Record<string, string>;
const ROSES = "p-roses";
const LILIES = "p-lilies";
const TULIPS = "p-tulips";

async function cartWith(lines: [string, number][], as: Headers = {}) {
  const created = await graphql(
    ctx.url,
    `
      mutation {
        createCart {
          cart {
            id
          }
        }
      }
    `,
    undefined,
    as,
  );
  const id: string = created.data!.createCart.cart.id;
  for (const [productId, quantity] of lines) await add(id, productId, quantity, as);
  return id;
}
async function add(cartId: string, productId: string, quantity: number, as: Headers = {}) {
  const res = await graphql(
    ctx.url,
    `
      mutation ($c: ID!, $p: ID!, $q: Int!) {
        addToCart(cartId: $c, productId: $p, quantity: $q) {
          errors {
            code
          }
        }
      }
    `,
    { c: cartId, p: productId, q: quantity },
    as,
  );
  expect(res.data!.addToCart.errors).toEqual([]);
}

/** An orders.order_placed event as the orders subgraph publishes it. */
function orderPlaced(cartId: string | null, lines: [string, number][], customerId: string | null = null) {
  const subtotal = lines.reduce((sum, [, quantity]) => sum + quantity * 1_000, 0);
  return newEvent("orders.order_placed", {
    orderId: randomUUID(),
    number: `FV-${Math.floor(Math.random() * 1e6)}`,
    email: "ana@example.cl",
    customerId,
    cartId,
    lines: lines.map(([productId, quantity]) => ({
      productId,
      name: `Arreglo ${productId}`,
      quantity,
      unitPrice: 1_000,
      subtotal: quantity * 1_000,
    })),
    subtotal,
    deliveryFee: 3_990,
    discount: 0,
    total: subtotal + 3_990,
    deliveryDate: "2026-05-08",
    deliverySlot: "MORNING",
  });
}

const storedLines = (id: string) => ctx.redis.hgetall(ctx.linesKey(id));
const markerKey = (cartId: string, event: EventEnvelope) => ctx.key(cartKeys.eventMarkerKey(cartId, event.id));

/**
 * Publishes a marker event on a cart of its own and waits until it is applied: the consumer reads the
 * stream in order, so everything published before it has been handled by then.
 */
async function drain() {
  const probe = await cartWith([[ROSES, 1]]);
  await ctx.publishOrderEvent(orderPlaced(probe, [[ROSES, 1]]));
  await eventually(async () => ((await ctx.redis.exists(ctx.linesKey(probe))) === 0 ? true : undefined), "the probe");
}

describe("orders.order_placed", () => {
  it("takes the ordered units out of the cart, keeps units added after checkout began, and applies a redelivery once", async () => {
    const id = await cartWith([
      [ROSES, 5],
      [LILIES, 2],
      [TULIPS, 1],
    ]);
    // Checkout priced 3 roses and 2 lilies; the customer then added 2 more roses before the event came.
    const event = orderPlaced(id, [
      [ROSES, 3],
      [LILIES, 2],
    ]);
    await add(id, ROSES, 2);
    await ctx.redis.expire(ctx.metaKey(id), 100);
    await ctx.publishOrderEvent(event);
    await eventually(async () => ((await storedLines(id))[LILIES] === undefined ? true : undefined), "the order");
    expect(await storedLines(id)).toEqual({ [ROSES]: "4", [TULIPS]: "1" });
    const markerTtl = await ctx.redis.ttl(markerKey(id, event));
    expect(markerTtl).toBeGreaterThan(100);
    expect(markerTtl).toBeLessThanOrEqual(TEST_TTL_SECONDS);
    expect(await ctx.redis.ttl(ctx.metaKey(id))).toBeGreaterThan(100);

    // The same event again (the relay published it twice, or it was redelivered): nothing changes.
    await ctx.publishOrderEvent(event);
    await ctx.publishOrderEvent(event);
    await drain();
    expect(await storedLines(id)).toEqual({ [ROSES]: "4", [TULIPS]: "1" });
    const cart = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          cart(id: $id) {
            totalQuantity
          }
        }
      `,
      { id },
    );
    expect(cart.data!.cart.totalQuantity).toBe(5);
  });

  it("empties a cart the order took everything from, keeping the cart", async () => {
    const id = await cartWith([
      [ROSES, 2],
      [LILIES, 1],
    ]);
    await ctx.publishOrderEvent(
      orderPlaced(id, [
        [ROSES, 2],
        [LILIES, 3],
      ]),
    );
    await eventually(async () => ((await ctx.redis.exists(ctx.linesKey(id))) === 0 ? true : undefined), "the order");
    expect(await ctx.redis.exists(ctx.metaKey(id))).toBe(1);
  });

  it("finds a customer's cart by the customer when the order names no cart, with the customer TTL", async () => {
    const userId = randomUUID();
    const as = await ctx.signIn(userId);
    const id = await cartWith(
      [
        [ROSES, 3],
        [LILIES, 1],
      ],
      as,
    );
    expect(id).toBe(customerCartId(userId));
    const event = orderPlaced(null, [[ROSES, 1]], userId);
    await ctx.publishOrderEvent(event);
    await eventually(async () => ((await storedLines(id))[ROSES] === "2" ? true : undefined), "the order");
    expect(await storedLines(id)).toEqual({ [ROSES]: "2", [LILIES]: "1" });
    for (const key of [ctx.linesKey(id), markerKey(id, event)]) {
      const ttl = await ctx.redis.ttl(key);
      expect(ttl).toBeGreaterThan(TEST_TTL_SECONDS);
      expect(ttl).toBeLessThanOrEqual(TEST_CUSTOMER_TTL_SECONDS);
    }
  });

  it("leaves alone a customer's cart that an order of someone else names", async () => {
    const owner = await ctx.signIn();
    const id = await cartWith([[ROSES, 3]], owner);
    await ctx.publishOrderEvent(orderPlaced(id, [[ROSES, 3]], randomUUID()));
    await ctx.publishOrderEvent(orderPlaced(id, [[ROSES, 3]], null));
    await drain();
    expect(await storedLines(id)).toEqual({ [ROSES]: "3" });
  });

  it("skips a malformed event and an order whose cart is gone, and goes on with the next", async () => {
    const gone = "AAAAAAAAAAAAAAAAAAAAAA";
    const id = await cartWith([[TULIPS, 4]]);
    await ctx.publishOrderEvent({ ...orderPlaced(id, [[TULIPS, 1]]), data: { cartId: id, lines: "everything" } });
    await ctx.publishOrderEvent(orderPlaced(gone, [[TULIPS, 1]]));
    await ctx.publishOrderEvent(newEvent("orders.status_changed", { orderId: "o", cartId: id }));
    await ctx.publishOrderEvent(orderPlaced(id, [[TULIPS, 1]]));
    await eventually(async () => ((await storedLines(id))[TULIPS] === "3" ? true : undefined), "the last order");
    expect(await storedLines(id)).toEqual({ [TULIPS]: "3" });
    // The missing cart was not created by the event.
    expect(await ctx.redis.exists(ctx.metaKey(gone), ctx.linesKey(gone))).toBe(0);
  });
});
