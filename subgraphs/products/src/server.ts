import { fileURLToPath } from "node:url";
import { buildSubgraph, createLogger, createPostgres, loadTypeDefs, type Logger, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import type { Context } from "./context.js";

export const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">, logger: Logger) {
  return createPostgres({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, schema, logger });
}

/** Builds the products subgraph on its PostgreSQL database. Does not listen. */
export async function buildProductsService(
  config: Config,
  logger = createLogger("products", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/products migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);
  return buildSubgraph<Context>({
    name: "products",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [store],
    context: (request) => ({ ...request, db: store.db, loaders: createLoaders(store.db) }),
  });
}
