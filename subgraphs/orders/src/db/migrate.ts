import { createLogger, loadConfig, databaseConfigShape } from "@fv/platform";
import { createStore, migrationsFolder } from "../server.js";

const config = loadConfig(databaseConfigShape);
const logger = createLogger("orders-migrate", config.LOG_LEVEL);
const store = createStore(config, logger);
await store.migrate(migrationsFolder);
await store.close();
logger.info("orders database migrated");
