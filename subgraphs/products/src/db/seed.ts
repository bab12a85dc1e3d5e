import { createLogger, loadConfig, databaseConfigShape } from "@fv/platform";
import { createStore } from "../server.js";
import { seedDemoCatalogue } from "./demo-catalogue.js";

const config = loadConfig(databaseConfigShape);
const logger = createLogger("products-seed", config.LOG_LEVEL);
const store = createStore(config, logger);
const added = await seedDemoCatalogue(store.db);
await store.close();
logger.info({ added }, added ? "demo catalogue seeded" : "catalogue not empty: nothing seeded");
