import { createLogger, loadConfig } from "@fv/platform";
import { configShape } from "../config.js";
import { createStore, migrationsFolder } from "../server.js";

// Migrating needs the database only: do not demand REDIS_URL of the migration step.
const { DATABASE_URL, PGLITE_DIR, LOG_LEVEL } = configShape;
const config = loadConfig({ DATABASE_URL, PGLITE_DIR, LOG_LEVEL });
const logger = createLogger("auth-migrate", config.LOG_LEVEL);
const store = createStore(config, logger);
await store.migrate(migrationsFolder);
await store.close();
logger.info("auth database migrated");
