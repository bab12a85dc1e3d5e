import { createLogger, loadConfig } from "@fv/platform";
import { configShape } from "../config.js";
import { createStore, migrationsFolder } from "../server.js";

const config = loadConfig(configShape);
const logger = createLogger("orders-migrate", config.LOG_LEVEL);
const store = createStore(config, logger);
await store.migrate(migrationsFolder);
await store.close();
logger.info("orders database migrated");
