import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import {
  STREAMS,
  createLogger,
  parseConfig,
  publishEvent,
  type EventEnvelope,
  type Role,
  type Service,
} from "@fv/platform";
import {
  CLOSED_PORT,
  createTestIssuer,
  listenForTest,
  testStores,
  uniqueName,
  testServiceEnv,
  type TestIssuer,
} from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildCartService } from "../src/server.js";
import { cartKeys } from "../src/store.js";

export const TEST_TTL_SECONDS = 3_600;
export const TEST_CUSTOMER_TTL_SECONDS = 7_200;

/** Where nothing answers: the catalogue of a cart service whose test does not price lines. */
export const CLOSED_PRODUCTS_URL = `http://127.0.0.1:${CLOSED_PORT}/graphql`;

/**
 * A cart service on a key prefix of its own (its orders event stream too), listening on loopback, with
 * a plain Redis client (no prefix) to look at what the service stored, trusting a test issuer's keys:
 * `signIn` gives the headers of a user with that id and role. Its catalogue is `productsUrl` (nothing
 * by default). `publishOrderEvent` writes to the stream the service reads, as the orders relay does.
 * `stop` deletes every key under the prefix.
 */
export async function startCart(options: { productsUrl?: string; issuer?: TestIssuer } = {}) {
  const prefix = `${uniqueName("test_cart")}:`;
  const eventsPrefix = `${prefix}events-prefix:`;
  const issuer = options.issuer ?? (await createTestIssuer());
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    REDIS_URL: testStores.redisUrl,
    REDIS_PREFIX: prefix,
    EVENTS_PREFIX: eventsPrefix,
    PRODUCTS_URL: options.productsUrl ?? CLOSED_PRODUCTS_URL,
    GUEST_CART_TTL_SECONDS: String(TEST_TTL_SECONDS),
    CUSTOMER_CART_TTL_SECONDS: String(TEST_CUSTOMER_TTL_SECONDS),
    // An event whose handling failed comes back quickly.
    EVENTS_RETRY_AFTER_MS: "300",
    LOG_LEVEL: "silent",
  });
  const redis = new Redis(testStores.redisUrl);
  const service: Service = await buildCartService(config, createLogger("cart", "silent"));
  const url = await listenForTest(service);
  const events = new Redis(testStores.redisUrl, { keyPrefix: eventsPrefix });
  return {
    url,
    redis,
    prefix,
    config,
    metaKey: (cartId: string) => prefix + cartKeys.metaKey(cartId),
    linesKey: (cartId: string) => prefix + cartKeys.linesKey(cartId),
    key: (name: string) => prefix + name,
    signIn: async (userId: string = randomUUID(), role: Role = "customer") => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    publishOrderEvent: (event: EventEnvelope) => publishEvent(events, STREAMS.orders, event),
    stop: async () => {
      await service.stop();
      if (!options.issuer) await issuer.stop();
      await events.quit();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}

export { eventually } from "@fv/platform/testing";
