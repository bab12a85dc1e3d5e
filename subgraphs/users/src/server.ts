import { fileURLToPath } from "node:url";
import { buildSubgraph, createLogger, createPostgres, loadTypeDefs, type Logger, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import { startBackgroundWork, streamKeys } from "./background.js";
import type { Context } from "./context.js";

export const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">, logger: Logger) {
  return createPostgres({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, schema, logger });
}

/** Builds the users subgraph on its PostgreSQL database and the event streams. Does not listen. */
export async function buildUsersService(
  config: Config,
  logger = createLogger("users", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/users migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);
  const events = startBackgroundWork(config, store.db, logger);
  const streams = { users: streamKeys(config.EVENTS_PREFIX).users };
  // The background work uses the database: it stops before the database closes.
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await events.close();
      await store.close();
    })());
  return buildSubgraph<Context>({
    name: "users",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [
      { readiness: store.readiness, close: closeAll },
      { readiness: events.readiness, close: closeAll },
    ],
    context: (request) => ({ ...request, db: store.db, loaders: createLoaders(store.db), streams }),
  });
}
