import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { createLogger, parseConfig, type Role, type Service } from "@fv/platform";
import { createTestIssuer, listenForTest, testStores, uniqueName, testServiceEnv } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildCartService } from "../src/server.js";
import { cartKeys } from "../src/store.js";

export const TEST_TTL_SECONDS = 3_600;
export const TEST_CUSTOMER_TTL_SECONDS = 7_200;

/**
 * A cart service on a key prefix of its own, listening on loopback, with a plain Redis client
 * (no prefix) to look at what the service stored, trusting a test issuer's keys: `signIn` gives the
 * headers of a user with that id and role. `stop` deletes every key under the prefix.
 */
export async function startCart() {
  const prefix = `${uniqueName("test_cart")}:`;
  const issuer = await createTestIssuer();
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    REDIS_URL: testStores.redisUrl,
    REDIS_PREFIX: prefix,
    GUEST_CART_TTL_SECONDS: String(TEST_TTL_SECONDS),
    CUSTOMER_CART_TTL_SECONDS: String(TEST_CUSTOMER_TTL_SECONDS),
    LOG_LEVEL: "silent",
  });
  const redis = new Redis(testStores.redisUrl);
  const service: Service = await buildCartService(config, createLogger("cart", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    redis,
    prefix,
    metaKey: (cartId: string) => prefix + cartKeys.metaKey(cartId),
    linesKey: (cartId: string) => prefix + cartKeys.linesKey(cartId),
    signIn: async (userId: string = randomUUID(), role: Role = "customer") => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    stop: async () => {
      await service.stop();
      await issuer.stop();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}
