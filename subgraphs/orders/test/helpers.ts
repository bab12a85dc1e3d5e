import { randomUUID } from "node:crypto";
import {
  CLOSED_PORT,
  createTestDatabase,
  createTestIssuer,
  listenForTest,
  testServiceEnv,
  testStores,
  uniqueName,
  type TestIssuer,
} from "@fv/platform/testing";
import { createLogger, createRedis, parseConfig, type EventEnvelope, type Role, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildOrdersService, createStore, migrationsFolder } from "../src/server.js";
import { insertOrder } from "../src/orders.js";
import { ordersStream } from "../src/order-events.js";
import type { OrdersDb } from "../src/context.js";

/** Request headers acting as someone: a signed-in user, or another service holding the credential. */
export type Headers = Record<string, string>;

/** Another service (payments…) calling as itself, as the platform recognises it. */
export const AS_SERVICE: Headers = { "x-service-name": "payments" };

export const CLOSED_URL = `http://127.0.0.1:${CLOSED_PORT}/graphql`;
/** Tests sign their own webhooks with it; in a deployment it comes from a Secret. */
export const TEST_WEBHOOK_SECRET = `whsec-test-${randomUUID()}${randomUUID()}`;

/**
 * An orders service on a migrated database of its own, listening on loopback, trusting a test
 * issuer's keys (`signIn` gives the headers of a user with that id and role), publishing its events
 * under a prefix of its own (`events()` reads them back). Its peers are `productsUrl` and `cartUrl`
 * (nothing answers by default).
 */
export async function startOrders(
  options: { productsUrl?: string; cartUrl?: string; issuer?: TestIssuer; env?: Record<string, string> } = {},
) {
  const database = await createTestDatabase("orders");
  const issuer = options.issuer ?? (await createTestIssuer());
  const eventsPrefix = `${uniqueName("test_orders")}:`;
  const env = {
    ...testServiceEnv(issuer),
    LOG_LEVEL: "silent",
    REDIS_URL: testStores.redisUrl,
    EVENTS_PREFIX: eventsPrefix,
    PRODUCTS_URL: options.productsUrl ?? CLOSED_URL,
    CART_URL: options.cartUrl ?? CLOSED_URL,
    PAYMENT_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    PEER_TIMEOUT_MS: "2000",
    SWEEP_INTERVAL_MS: "200",
    ...options.env,
  };
  const config = parseConfig(configShape, { ...env, DATABASE_URL: database.url });
  const store = createStore(config, createLogger("orders-test", "silent"));
  await store.migrate(migrationsFolder);
  const service: Service = await buildOrdersService(config, createLogger("orders", "silent"));
  const url = await listenForTest(service);
  const redis = createRedis({ url: testStores.redisUrl, logger: createLogger("orders-test", "silent") });
  const stream = ordersStream(eventsPrefix);
  return {
    url,
    store,
    service,
    env,
    config,
    issuer,
    stream,
    signIn: async (userId: string = randomUUID(), role: Role = "customer"): Promise<Headers> => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    /** The events published so far on the orders stream (what the relay delivered). */
    events: async (): Promise<EventEnvelope[]> => {
      const entries = (await redis.redis.xrange(stream, "-", "+")) as [string, string[]][];
      return entries.map(([, fields]) => JSON.parse(fields[fields.indexOf("event") + 1]!) as EventEnvelope);
    },
    stop: async () => {
      await service.stop();
      await redis.redis.del(stream);
      await redis.close();
      await store.close();
      await database.drop();
      if (!options.issuer) await issuer.stop();
    },
  };
}

/**
 * An order written straight to the database with the code checkout uses, for tests about what
 * happens to an order after it exists (access, status, entities): no catalogue needed.
 */
export async function seedOrder(
  db: OrdersDb,
  input: { customerId?: string | null; buyerEmail?: string; stream: string; total?: number },
) {
  const placed = await db.transaction((tx) =>
    insertOrder(tx, {
      order: {
        customerId: input.customerId ?? null,
        buyerEmail: input.buyerEmail ?? "cliente@example.cl",
        buyerName: "Cliente",
        buyerPhone: "+56912345678",
        deliveryMethod: "PICKUP",
        deliveryDate: "2026-12-01",
        deliverySlot: "MORNING",
        subtotal: input.total ?? 0,
        total: input.total ?? 0,
        paymentExpiresAt: new Date(Date.now() + 3_600_000),
      },
      lines: [],
      createdBy: input.customerId ?? "guest",
      ordersStream: input.stream,
    }),
  );
  return placed!.order;
}
