import { createTestDatabase, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildProductsService, createStore, migrationsFolder } from "../src/server.js";
import { seedDemoCatalogue } from "../src/db/demo-catalogue.js";

/** A products service on a migrated, seeded database of its own, listening on loopback. */
export async function startProducts() {
  const database = await createTestDatabase("products");
  const config = parseConfig(configShape, { ...testServiceEnv(), DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  const store = createStore(config, createLogger("products-test", "silent"));
  await store.migrate(migrationsFolder);
  await seedDemoCatalogue(store.db);
  const service: Service = await buildProductsService(config, createLogger("products", "silent"));
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
