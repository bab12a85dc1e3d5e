import { Redis } from "ioredis";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { listenForTest, testStores, uniqueName, testServiceEnv } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildCartService } from "../src/server.js";
import { cartKeys } from "../src/store.js";

export const TEST_TTL_SECONDS = 3_600;

/**
 * A cart service on a key prefix of its own, listening on loopback, with a plain Redis client
 * (no prefix) to look at what the service stored. `stop` deletes every key under the prefix.
 */
export async function startCart() {
  const prefix = `${uniqueName("test_cart")}:`;
  const config = parseConfig(configShape, {
    ...testServiceEnv(),
    REDIS_URL: testStores.redisUrl,
    REDIS_PREFIX: prefix,
    GUEST_CART_TTL_SECONDS: String(TEST_TTL_SECONDS),
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
    stop: async () => {
      await service.stop();
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}
