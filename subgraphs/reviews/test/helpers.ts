import { randomUUID } from "node:crypto";
import {
  createTestIssuer,
  listenForTest,
  testMongoDatabase,
  testServiceEnv,
  testStores,
  uniqueName,
} from "@fv/platform/testing";
import { createLogger, createRedis, parseConfig, type Role, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildReviewsService, createStore } from "../src/server.js";

/**
 * A reviews service on a MongoDB database of its own, listening on loopback, trusting a test
 * issuer's keys: `signIn` gives the headers of a user with that id and role.
 */
export async function startReviews() {
  const database = testMongoDatabase("reviews");
  const issuer = await createTestIssuer();
  // Streams of its own: events a test publishes reach this service only.
  const eventsPrefix = `${uniqueName("test_reviews_events")}:`;
  // The platform's client: this package does not depend on ioredis itself.
  const redis = createRedis({ url: testStores.redisUrl, logger: createLogger("reviews-test", "silent") }).redis;
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
    REDIS_URL: testStores.redisUrl,
    EVENTS_PREFIX: eventsPrefix,
    EVENTS_RETRY_AFTER_MS: "200",
    LOG_LEVEL: "silent",
  });
  // The unique indexes carry the rules under test: they exist before the first request.
  const store = createStore(config, createLogger("reviews-test", "silent"));
  await store.connected;
  await store.ensureIndexes();
  const service: Service = await buildReviewsService(config, createLogger("reviews", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    store,
    service,
    redis,
    eventsPrefix,
    signIn: async (userId: string = randomUUID(), role: Role = "customer") => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    stop: async () => {
      await service.stop();
      await issuer.stop();
      const keys = await redis.keys(`${eventsPrefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await store.connection.dropDatabase();
      await store.close();
    },
  };
}
