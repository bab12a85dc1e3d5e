import { createLogger, databaseConfigShape, loadConfig } from "@fv/platform";
import { createStore, migrationsFolder } from "../server.js";

// Migrating needs the database only: do not demand REDIS_URL or the service credential.
const config = loadConfig(databaseConfigShape);
const logger = createLogger("auth-migrate", config.LOG_LEVEL);
const store = createStore(config, logger);
await store.migrate(migrationsFolder);
await store.close();
logger.info("auth database migrated");
