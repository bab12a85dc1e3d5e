import { createTestDatabase, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildOrdersService, createStore, migrationsFolder } from "../src/server.js";

/** An orders service on a migrated database of its own, listening on loopback. */
export async function startOrders() {
  const database = await createTestDatabase("orders");
  const config = parseConfig(configShape, { ...testServiceEnv(), DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  const store = createStore(config, createLogger("orders-test", "silent"));
  await store.migrate(migrationsFolder);
  const service: Service = await buildOrdersService(config, createLogger("orders", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    store,
    service,
    stop: async () => {
      await service.stop();
      await store.close();
      await database.drop();
    },
  };
}
