import { listenForTest, testMongoDatabase, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildWishlistService, createStore } from "../src/server.js";

/** A wishlist service on a MongoDB database of its own, listening on loopback. */
export async function startWishlist() {
  const database = testMongoDatabase("wishlist");
  const config = parseConfig(configShape, {
    ...testServiceEnv(),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
    LOG_LEVEL: "silent",
  });
  // The unique indexes carry the rules under test: they exist before the first request.
  const store = createStore(config, createLogger("wishlist-test", "silent"));
  await store.connected;
  await store.ensureIndexes();
  const service: Service = await buildWishlistService(config, createLogger("wishlist", "silent"));
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
