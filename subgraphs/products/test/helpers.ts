import { randomUUID } from "node:crypto";
import {
  createTestDatabase,
  createTestIssuer,
  listenForTest,
  testServiceEnv,
  testStores,
  uniqueName,
} from "@fv/platform/testing";
import {
  SERVICE_NAME_HEADER,
  STREAMS,
  createLogger,
  createRedis,
  parseConfig,
  publishEvent,
  type EventEnvelope,
  type Role,
  type Service,
} from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildProductsService, createStore, migrationsFolder } from "../src/server.js";
import { seedDemoCatalogue } from "../src/db/demo-catalogue.js";

export const IMAGE_BASE_URL = "https://img.test/fv";

/**
 * A products service on a migrated, seeded database of its own, listening on loopback, reading
 * the reviews stream under an events prefix of its own (deleted on stop).
 */
export async function startProducts(options: { seed?: boolean; env?: Record<string, string> } = {}) {
  const database = await createTestDatabase("products");
  const issuer = await createTestIssuer();
  const eventsPrefix = `${uniqueName("test_products")}:`;
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    DATABASE_URL: database.url,
    REDIS_URL: testStores.redisUrl,
    EVENTS_PREFIX: eventsPrefix,
    // A failed event comes back quickly, so a test of a retry does not wait 30 s.
    EVENTS_RETRY_AFTER_MS: "300",
    LOG_LEVEL: "silent",
    IMAGE_BASE_URL,
    ...options.env,
  });
  const store = createStore(config, createLogger("products-test", "silent"));
  await store.migrate(migrationsFolder);
  if (options.seed !== false) await seedDemoCatalogue(store.db);
  const service: Service = await buildProductsService(config, createLogger("products", "silent"));
  const url = await listenForTest(service);
  const redis = createRedis({ url: testStores.redisUrl, logger: createLogger("products-test", "silent") });
  const reviewsStream = `${eventsPrefix}${STREAMS.reviews}`;
  /** Headers to act as a signed-in user of `role`. */
  const as = async (role: Role, userId = randomUUID()) => ({
    authorization: `Bearer ${await issuer.sign({ role, userId })}`,
  });
  return {
    url,
    store,
    service,
    config,
    as,
    /** Headers of another subgraph calling with the service credential (the orders subgraph at checkout). */
    asService: { [SERVICE_NAME_HEADER]: "orders" },
    /** Publishes an event as the reviews subgraph does. */
    publishReviewsEvent: (event: EventEnvelope) => publishEvent(redis.redis, reviewsStream, event),
    stop: async () => {
      await service.stop();
      await redis.redis.del(reviewsStream);
      await redis.close();
      await store.close();
      await issuer.stop();
      await database.drop();
    },
  };
}
