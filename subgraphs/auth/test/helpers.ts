import { Redis } from "ioredis";
import { createTestDatabase, listenForTest, testStores, uniqueName, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildAuthService, createStore, migrationsFolder } from "../src/server.js";

/** Deletes every key under `prefix` (the service's client prefixes keys itself; this one does not). */
async function deleteKeys(redis: Redis, prefix: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

/** An auth service on a migrated database and a Redis key prefix of its own, listening on loopback. */
export async function startAuth() {
  const database = await createTestDatabase("auth");
  const redisPrefix = `${uniqueName("test_auth")}:`;
  const config = parseConfig(configShape, {
    ...testServiceEnv(),
    DATABASE_URL: database.url,
    REDIS_URL: testStores.redisUrl,
    REDIS_PREFIX: redisPrefix,
    LOG_LEVEL: "silent",
  });
  const store = createStore(config, createLogger("auth-test", "silent"));
  await store.migrate(migrationsFolder);
  const redis = new Redis(testStores.redisUrl);
  const service: Service = await buildAuthService(config, createLogger("auth", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    store,
    redis,
    redisPrefix,
    service,
    /** The keys this service wrote, without the prefix. */
    keys: async () => (await redis.keys(`${redisPrefix}*`)).map((k) => k.slice(redisPrefix.length)),
    stop: async () => {
      await service.stop();
      await store.close();
      await database.drop();
      await deleteKeys(redis, redisPrefix);
      await redis.quit();
    },
  };
}
