import { Redis } from "ioredis";
import type { Logger } from "../logger.js";
import type { ReadinessCheck } from "../health.js";
import { instrumentRedis } from "../instrumentation.js";

export interface RedisStore {
  redis: Redis;
  readiness: ReadinessCheck;
  close(): Promise<void>;
}

/**
 * An ioredis client. `keyPrefix` keeps each service (and each test) in its own key space.
 * Commands fail after two retries rather than hanging while Redis is down.
 */
export function createRedis(options: { url: string; keyPrefix?: string; logger: Logger; name?: string }): RedisStore {
  const { url, keyPrefix, logger } = options;
  const redis = new Redis(url, {
    keyPrefix,
    maxRetriesPerRequest: 2,
    connectTimeout: 3_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  });
  instrumentRedis(redis, options.name ?? "redis", logger);
  let down = false;
  redis.on("error", (error) => {
    if (!down) logger.warn({ err: error }, "redis unavailable");
    down = true;
  });
  redis.on("ready", () => {
    if (down) logger.info("redis available again");
    down = false;
  });
  return {
    redis,
    readiness: { name: options.name ?? "redis", check: () => redis.ping() },
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
