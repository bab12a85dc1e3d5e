import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { orderLines, orders, outbox, promotions } from "../src/db/schema.js";
import { deliveryQuote } from "../src/delivery/index.js";
import { eventually, startWorld, workingDay } from "./world.js";

let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  world = await startWorld();
}, 120_000);
afterAll(() => world?.stop());

const ORDER = /* GraphQL */ `
  id number status buyerEmail
  buyer { name email phone }
  customer { id }
  lines { product { id } sku name unitPrice quantity lineTotal }
  subtotal discount deliveryFee total promotionCode
  delivery { method date slot recipientName address { street commune notes } fee surcharge }
  payment { method provider status redirectUrl expiresAt }
  statusHistory { from to changedBy }
`;
const CHECKOUT = /* GraphQL */ `
  mutation Checkout($input: CheckoutInput!) {
    checkout(input: $input) {
      order { ${ORDER} }
      errors { field code message }
    }
  }
`;

const day = workingDay(3);
const input = (overrides: Record<string, unknown> = {}) => ({
  idempotencyKey: randomUUID(),
  buyer: { name: "Ana Rojas", email: "ana@example.cl", phone: "+56 9 1234 5678" },
  recipient: { name: "Carmen Díaz", phone: "+56987654321" },
  address: { street: "Av. Recoleta 1234", commune: "recoleta", notes: "Depto 5" },
  delivery: { method: "STANDARD", date: day, slot: "AFTERNOON" },
  giftMessage: "¡Feliz cumpleaños!",
  paymentMethod: "WEBPAY",
  ...overrides,
});

const checkout = (vars: Record<string, unknown>, headers: Record<string, string> = {}) =>
  graphql(world.orders.url, CHECKOUT, { input: vars }, headers);

const ordersCount = async () => (await world.orders.store.db.select({ n: count() }).from(orders))[0]!.n;

describe("checkout", () => {
  it("prices every line from the catalogue, computes the total here, reserves stock and awaits payment", async () => {
    const rosas = await world.product("ramo-rosas-rojas");
    const girasoles = await world.product("ramo-girasoles-alegres");
    const res = await checkout(
      input({
        lines: [
          { productId: rosas.id, quantity: 2 },
          { productId: girasoles.id, quantity: 1 },
        ],
      }),
    );
    const { order, errors } = res.data!.checkout;
    expect(errors).toEqual([]);
    const subtotal = rosas.price * 2 + girasoles.price;
    const quote = deliveryQuote({
      commune: "Recoleta",
      method: "STANDARD",
      date: day,
      slot: "AFTERNOON",
      subtotal,
      now: new Date(),
    });
    if (!quote.ok) throw new Error(quote.reason.message);
    expect(order).toMatchObject({
      status: "PENDING_PAYMENT",
      buyer: { name: "Ana Rojas", email: "ana@example.cl", phone: "+56912345678" },
      customer: null,
      subtotal,
      discount: 0,
      deliveryFee: quote.quote.fee,
      total: subtotal + quote.quote.fee,
      delivery: {
        method: "STANDARD",
        date: day,
        slot: "AFTERNOON",
        recipientName: "Carmen Díaz",
        address: { street: "Av. Recoleta 1234", commune: "Recoleta", notes: "Depto 5" },
      },
      payment: { method: "WEBPAY", provider: "sandbox", status: "PENDING" },
      statusHistory: [{ from: null, to: "PENDING_PAYMENT", changedBy: "guest" }],
    });
    expect(order.number).toMatch(/^FV-\d{8}-[2-9A-HJ-NP-Z]{5}$/);
    expect(order.lines).toEqual([
      {
        product: { id: rosas.id },
        sku: rosas.sku,
        name: rosas.name,
        unitPrice: rosas.price,
        quantity: 2,
        lineTotal: rosas.price * 2,
      },
      {
        product: { id: girasoles.id },
        sku: girasoles.sku,
        name: girasoles.name,
        unitPrice: girasoles.price,
        quantity: 1,
        lineTotal: girasoles.price,
      },
    ]);
    expect(order.payment.redirectUrl).toMatch(/\/payments\/sandbox\/sbx_/);
    expect(new Date(order.payment.expiresAt).getTime()).toBeGreaterThan(Date.now());
    expect((await world.product("ramo-rosas-rojas")).reserved).toBe(rosas.reserved + 2);

    const placed = await eventually(
      async () =>
        (await world.orders.events()).find(
          (e) => e.type === "orders.order_placed" && (e.data as any).orderId === order.id,
        ),
      "the order_placed event",
    );
    expect(placed.data).toMatchObject({
      number: order.number,
      email: "ana@example.cl",
      total: order.total,
      deliveryDate: day,
      deliverySlot: "AFTERNOON",
      lines: [
        { productId: rosas.id, name: rosas.name, quantity: 2, unitPrice: rosas.price, subtotal: rosas.price * 2 },
        { productId: girasoles.id, quantity: 1 },
      ],
    });
  });

  it("refuses a price or a total sent by the client, and stores nothing", async () => {
    const rosas = await world.product("ramo-rosas-rojas");
    const before = await ordersCount();
    const withPrice = await checkout(input({ lines: [{ productId: rosas.id, quantity: 1, unitPrice: 1 }] }));
    expect(withPrice.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(withPrice.errors?.[0]?.message).toContain("unitPrice");
    const withTotal = await checkout(input({ lines: [{ productId: rosas.id, quantity: 1 }], total: 1 }));
    expect(withTotal.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(withTotal.errors?.[0]?.message).toContain("total");
    expect(await ordersCount()).toBe(before);
    expect((await world.product("ramo-rosas-rojas")).reserved).toBe(rosas.reserved);
  });

  it("names every invalid field at once, reserves nothing and stores nothing", async () => {
    const rosas = await world.product("ramo-rosas-rojas");
    const [reservationsBefore, ordersBefore] = [await world.reservationCount(), await ordersCount()];
    const res = await checkout(
      input({
        idempotencyKey: "short",
        lines: [{ productId: rosas.id, quantity: 100 }],
        buyer: { name: " ", email: "ana-at-example", phone: "123" },
        address: null,
      }),
    );
    const fields = res.data!.checkout.errors.map(
      (e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`,
    );
    expect(fields).toEqual([
      "input.idempotencyKey:INVALID_IDEMPOTENCY_KEY",
      "input.lines.0.quantity:INVALID_QUANTITY",
      "input.buyer.name:REQUIRED",
      "input.buyer.email:INVALID_EMAIL",
      "input.buyer.phone:INVALID_PHONE",
      "input.address:ADDRESS_REQUIRED",
    ]);
    const unserved = await checkout(
      input({ lines: [{ productId: rosas.id, quantity: 1 }], address: { street: "Calle 1", commune: "Maipú" } }),
    );
    expect(unserved.data!.checkout.errors).toMatchObject([
      { field: ["input", "address", "commune"], code: "COMMUNE_NOT_SERVED" },
    ]);
    expect(unserved.data!.checkout.errors[0].message).toMatch(/pick the order up/i);
    const unknown = await checkout(input({ lines: [{ productId: randomUUID(), quantity: 1 }] }));
    expect(unknown.data!.checkout.errors).toMatchObject([
      { field: ["input", "lines", "0", "productId"], code: "PRODUCT_NOT_FOUND" },
    ]);
    const sunday = await checkout(
      input({
        lines: [{ productId: rosas.id, quantity: 1 }],
        delivery: { method: "STANDARD", date: "2099-01-04", slot: "MORNING" },
      }),
    );
    expect(sunday.data!.checkout.errors[0].field).toEqual(["input", "delivery", "date"]);
    expect(await world.reservationCount()).toBe(reservationsBefore);
    expect(await ordersCount()).toBe(ordersBefore);
  });

  it("refuses an inactive product and one with too little stock, naming the line", async () => {
    const inactive = await world.product("ramo-tulipanes-primavera");
    const scarce = await world.product("caja-rosas-rosadas");
    await world.catalogue.store.db.execute(`update products set active = false where id = '${inactive.id}'`);
    await world.setStock(scarce.id, 1);
    const res = await checkout(
      input({
        lines: [
          { productId: inactive.id, quantity: 1 },
          { productId: scarce.id, quantity: 2 },
        ],
      }),
    );
    expect(res.data!.checkout.errors).toMatchObject([
      { field: ["input", "lines", "0", "productId"], code: "PRODUCT_UNAVAILABLE" },
      { field: ["input", "lines", "1", "quantity"], code: "OUT_OF_STOCK", message: expect.stringContaining("only 1") },
    ]);
  });

  it("checks out a signed-in customer's cart, which the cart only opens to them", async () => {
    const customerId = randomUUID();
    const ana = await world.orders.signIn(customerId);
    const other = await world.orders.signIn();
    const peonias = await world.product("ramo-alstroemerias");
    const created = await graphql(world.cart.url, "mutation { createCart { cart { id } } }", {}, ana);
    const cartId = created.data!.createCart.cart.id;
    await graphql(
      world.cart.url,
      "mutation ($c: ID!, $p: ID!) { addToCart(cartId: $c, productId: $p, quantity: 3) { errors { code } } }",
      { c: cartId, p: peonias.id },
      ana,
    );
    const stranger = await checkout(input({ cartId }), other);
    expect(stranger.data!.checkout.errors).toMatchObject([{ field: ["input", "cartId"], code: "CART_NOT_FOUND" }]);

    const res = await checkout(input({ cartId }), ana);
    const { order, errors } = res.data!.checkout;
    expect(errors).toEqual([]);
    expect(order.customer).toEqual({ id: customerId });
    expect(order.lines).toMatchObject([{ product: { id: peonias.id }, quantity: 3, unitPrice: peonias.price }]);
    expect(order.statusHistory[0].changedBy).toBe(customerId);
    const [row] = await world.orders.store.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row!.cartId).toBe(cartId);
  });

  it("returns the first order for a repeated idempotency key, even sent twice at once", async () => {
    const rosas = await world.product("ramo-rosas-rojas");
    const vars = input({ lines: [{ productId: rosas.id, quantity: 1 }] });
    const before = { orders: await ordersCount(), reservations: await world.reservationCount() };
    const [a, b] = await Promise.all([checkout(vars), checkout(vars)]);
    expect(a.data!.checkout.errors).toEqual([]);
    expect(b.data!.checkout.errors).toEqual([]);
    expect(b.data!.checkout.order.id).toBe(a.data!.checkout.order.id);
    const again = await checkout(vars);
    expect(again.data!.checkout.order.id).toBe(a.data!.checkout.order.id);
    expect(await ordersCount()).toBe(before.orders + 1);
    expect(await world.reservationCount()).toBe(before.reservations + 1);
    expect((await world.product("ramo-rosas-rojas")).reserved).toBe(rosas.reserved + 1);

    const different = await checkout({ ...vars, lines: [{ productId: rosas.id, quantity: 2 }] });
    expect(different.data!.checkout.errors).toMatchObject([
      { field: ["input", "idempotencyKey"], code: "IDEMPOTENCY_KEY_REUSED" },
    ]);
  });

  it("sells the last unit once when two customers buy it at the same time", async () => {
    const last = await world.product("corona-condolencias-blanca");
    await world.setStock(last.id, 1);
    const buyers = await Promise.all([world.orders.signIn(), world.orders.signIn()]);
    const results = await Promise.all(
      buyers.map((as) => checkout(input({ lines: [{ productId: last.id, quantity: 1 }] }), as)),
    );
    const outcomes = results.map((r) => r.data!.checkout.errors[0]?.code ?? "ORDERED").sort();
    expect(outcomes).toEqual(["ORDERED", "OUT_OF_STOCK"]);
    const refused = results.find((r) => r.data!.checkout.errors.length)!.data!.checkout.errors[0];
    expect(refused.field).toEqual(["input", "lines", "0", "quantity"]);
    const after = await world.product("corona-condolencias-blanca");
    expect(after).toMatchObject({ stockOnHand: 1, reserved: 1 });
    const sold = await world.orders.store.db.select().from(orderLines).where(eq(orderLines.productId, last.id));
    expect(sold).toHaveLength(1);
  });

  it("applies a promotion code on the merchandise, and counts its uses under a lock", async () => {
    const manager = await world.orders.signIn(undefined, "manager");
    const created = await graphql(
      world.orders.url,
      `
        mutation {
          createPromotion(input: { code: "primavera10", kind: PERCENTAGE, value: 10, usageLimit: 1 }) {
            promotion {
              code
            }
            errors {
              code
            }
          }
        }
      `,
      {},
      manager,
    );
    expect(created.data!.createPromotion.promotion).toEqual({ code: "PRIMAVERA10" });
    const rosas = await world.product("ramo-rosas-rojas");
    const results = await Promise.all(
      [1, 2].map(() =>
        checkout(input({ lines: [{ productId: rosas.id, quantity: 1 }], promotionCode: " primavera10 " })),
      ),
    );
    const ok = results.filter((r) => r.data!.checkout.errors.length === 0);
    expect(ok).toHaveLength(1);
    const order = ok[0]!.data!.checkout.order;
    const discount = Math.round(rosas.price * 0.1);
    expect(order).toMatchObject({ promotionCode: "PRIMAVERA10", subtotal: rosas.price, discount });
    expect(order.total).toBe(rosas.price - discount + order.deliveryFee);
    const refused = results.find((r) => r.data!.checkout.errors.length)!.data!.checkout.errors[0];
    expect(refused).toMatchObject({ field: ["input", "promotionCode"], code: "PROMOTION_USAGE_LIMIT_REACHED" });
    const [promotion] = await world.orders.store.db.select().from(promotions).where(eq(promotions.code, "PRIMAVERA10"));
    expect(promotion!.timesUsed).toBe(1);
    // The refused checkout had reserved its unit: it is released again.
    await eventually(
      async () => ((await world.product("ramo-rosas-rojas")).reserved === rosas.reserved + 1 ? true : undefined),
      "the refused checkout's reservation to be released",
    );
  });

  it("writes the order_placed event in the order's transaction (the outbox)", async () => {
    const rosas = await world.product("ramo-rosas-rojas");
    const res = await checkout(input({ lines: [{ productId: rosas.id, quantity: 1 }] }));
    const { order } = res.data!.checkout;
    const rows = await world.orders.store.db.select().from(outbox);
    expect(rows.filter((row) => (row.event.data as { orderId?: string }).orderId === order.id)).toMatchObject([
      { stream: world.orders.stream, event: { type: "orders.order_placed" } },
    ]);
  });
});
