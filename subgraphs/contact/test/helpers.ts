import { listenForTest, testMongoDatabase, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildContactService, createStore } from "../src/server.js";

/** A contact service on a MongoDB database of its own, listening on loopback. */
export async function startContact() {
  const database = testMongoDatabase("contact");
  const config = parseConfig(configShape, {
    ...testServiceEnv(),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
    LOG_LEVEL: "silent",
  });
  // Indexes exist before the first request, as in a ready service.
  const store = createStore(config, createLogger("contact-test", "silent"));
  await store.connected;
  await store.ensureIndexes();
  const service: Service = await buildContactService(config, createLogger("contact", "silent"));
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
