import { listenForTest, testMongoDatabase, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildReviewsService, createStore } from "../src/server.js";

/** A reviews service on a MongoDB database of its own, listening on loopback. */
export async function startReviews() {
  const database = testMongoDatabase("reviews");
  const config = parseConfig(configShape, {
    ...testServiceEnv(),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
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
    stop: async () => {
      await service.stop();
      await store.connection.dropDatabase();
      await store.close();
    },
  };
}
