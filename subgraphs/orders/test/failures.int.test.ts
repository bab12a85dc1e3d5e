import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { count, isNull } from "drizzle-orm";
import { createLogger, parseConfig } from "@fv/platform";
import { CLOSED_PORT, graphql, listenForTest } from "@fv/platform/testing";
import { orders, outbox } from "../src/db/schema.js";
import { configShape } from "../src/config.js";
import { reservations } from "../../products/src/db/schema.js";
import { buildOrdersService } from "../src/server.js";
import { eventually, slowProxy, startWorld, workingDay } from "./world.js";

const CHECKOUT = /* GraphQL */ `
  mutation Checkout($input: CheckoutInput!) {
    checkout(input: $input) {
      order {
        id
        number
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const input = (productId: string) => ({
  idempotencyKey: randomUUID(),
  lines: [{ productId, quantity: 1 }],
  buyer: { name: "Carla Muñoz", email: "carla@example.cl", phone: "+56933334444" },
  address: { street: "Los Leones 100", commune: "Providencia" },
  delivery: { method: "STANDARD", date: workingDay(3), slot: "MIDDAY" },
  paymentMethod: "BANK_TRANSFER",
});

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const ordersIn = async (world: Awaited<ReturnType<typeof startWorld>>) =>
  (await world.orders.store.db.select({ n: count() }).from(orders))[0]!.n;

describe("a peer or a store failing during checkout", () => {
  it("products down: a clear error, no order, nothing reserved", async () => {
    const world = await startWorld();
    cleanups.push(world.stop);
    const rosas = await world.product("ramo-rosas-rojas");
    await world.catalogue.service.stop();
    const res = await graphql(world.orders.url, CHECKOUT, { input: input(rosas.id) });
    expect(res.data!.checkout).toEqual({
      order: null,
      errors: [
        {
          field: null,
          code: "CATALOGUE_UNAVAILABLE",
          message: "the catalogue is not answering; nothing was ordered or held, try again",
        },
      ],
    });
    expect(await ordersIn(world)).toBe(0);
    expect(await world.reservationCount()).toBe(0);
  }, 60_000);

  it("products too slow to reserve: a clear error, no order, and the late reservation is released", async () => {
    const world = await startWorld();
    cleanups.push(world.stop);
    // Reservations answer after 3 s; orders waits 2 s (PEER_TIMEOUT_MS in the test helper).
    const proxy = await slowProxy(`${world.catalogue.url}/graphql`, /reserveStock/, 3_000);
    cleanups.push(proxy.stop);
    const config = parseConfig(configShape, {
      ...world.orders.env,
      DATABASE_URL: world.orders.config.DATABASE_URL!,
      PRODUCTS_URL: proxy.url,
    });
    const slowOrders = await buildOrdersService(config, createLogger("orders", "silent"));
    cleanups.push(() => slowOrders.stop());
    const url = await listenForTest(slowOrders);

    const product = await world.product("ramo-lisianthus-lila");
    const res = await graphql(url, CHECKOUT, { input: input(product.id) });
    expect(res.data!.checkout.errors).toMatchObject([{ code: "CATALOGUE_UNAVAILABLE" }]);
    expect(await ordersIn(world)).toBe(0);
    // The reserve went through at products after orders gave up on it; the compensating release follows it.
    const released = await eventually(
      async () => {
        const [reservation] = await world.catalogue.store.db.select().from(reservations);
        return reservation?.status === "RELEASED" ? reservation : undefined;
      },
      "the late reservation to be released",
      30_000,
    );
    expect(released.status).toBe("RELEASED");
    expect((await world.product(product.slug)).reserved).toBe(product.reserved);
  }, 60_000);

  it("the event relay down: the order is placed, and its events are delivered once Redis answers", async () => {
    const world = await startWorld({ orders: { env: { REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}` } } });
    cleanups.push(world.stop);
    const product = await world.product("ramo-rosas-blancas");
    const res = await graphql(world.orders.url, CHECKOUT, { input: input(product.id) });
    const { order, errors } = res.data!.checkout;
    expect(errors).toEqual([]);
    const pending = await world.orders.store.db.select().from(outbox).where(isNull(outbox.publishedAt));
    expect(pending.map((row) => row.event.type)).toEqual(["orders.order_placed"]);

    // The same deployment with Redis back (a restarted pod): the relay publishes what waited.
    const config = parseConfig(configShape, {
      ...world.orders.env,
      DATABASE_URL: world.orders.config.DATABASE_URL!,
      REDIS_URL: "redis://127.0.0.1:6379",
    });
    const recovered = await buildOrdersService(config, createLogger("orders", "silent"));
    cleanups.push(() => recovered.stop());
    const placed = await eventually(
      async () =>
        (await world.orders.events()).find(
          (e) => e.type === "orders.order_placed" && (e.data as { orderId: string }).orderId === order.id,
        ),
      "the order_placed event to reach the stream",
    );
    expect(placed.id).toBe(pending[0]!.id);
    expect(await world.orders.store.db.select().from(outbox).where(isNull(outbox.publishedAt))).toEqual([]);
  }, 60_000);
});
