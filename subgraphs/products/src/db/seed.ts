import { createLogger, loadConfig } from "@fv/platform";
import { configShape } from "../config.js";
import { createStore } from "../server.js";
import { seedDemoCatalogue } from "./demo-catalogue.js";

const config = loadConfig(configShape);
const logger = createLogger("products-seed", config.LOG_LEVEL);
const store = createStore(config, logger);
const added = await seedDemoCatalogue(store.db);
await store.close();
logger.info({ added }, added ? "demo catalogue seeded" : "catalogue not empty: nothing seeded");
