import { fileURLToPath } from "node:url";
import {
  buildSubgraph,
  createLogger,
  createPostgres,
  createRedis,
  loadTypeDefs,
  type Logger,
  type Service,
} from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createAttemptLimiter } from "./attempt-limiter.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import type { Context } from "./context.js";

export const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

/** Registrations per email: enough for typos, too few to probe which addresses have accounts. */
export const REGISTER_LIMIT = { limit: 5, windowSeconds: 15 * 60 };

export function createStore(config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">, logger: Logger) {
  return createPostgres({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, schema, logger });
}

/** Builds the auth subgraph on its PostgreSQL database and Redis. Does not listen. */
export async function buildAuthService(
  config: Config,
  logger = createLogger("auth", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, logger });
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/auth migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);
  const registerLimiter = createAttemptLimiter(redis.redis, "register", REGISTER_LIMIT);
  return buildSubgraph<Context>({
    name: "auth",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [store, redis],
    context: (request) => ({ ...request, db: store.db, loaders: createLoaders(store.db), registerLimiter }),
  });
}
