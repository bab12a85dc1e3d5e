import { fileURLToPath } from "node:url";
import { buildSubgraph, createLogger, createPostgres, loadTypeDefs, type Logger, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createLoaders } from "./loaders.js";
import { expireReservations } from "./reservations.js";
import { resolvers } from "./resolvers/index.js";
import type { Context } from "./context.js";

export type ProductsStore = ReturnType<typeof createStore>;

export const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(
  config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">,
  logger: Logger,
  options: { poolSize?: number } = {},
) {
  return createPostgres({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, schema, logger, ...options });
}

/** Builds the products subgraph on its PostgreSQL database. Does not listen. */
export async function buildProductsService(
  config: Config,
  logger = createLogger("products", config.LOG_LEVEL),
  /** Tests pass a store of their own (one that counts queries). */
  store: ProductsStore = createStore(config, logger),
): Promise<Service> {
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/products migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);
  return buildSubgraph<Context>({
    name: "products",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [store, expirySweeper(store, config.RESERVATION_SWEEP_SECONDS * 1000, logger)],
    context: (request) => ({
      ...request,
      db: store.db,
      loaders: createLoaders(store.db),
      imageBaseUrl: config.IMAGE_BASE_URL.replace(/\/+$/, ""),
      reservationTtlMs: config.RESERVATION_TTL_MINUTES * 60_000,
    }),
  });
}

/**
 * Expired reservations give their stock back on a timer, so availableQuantity is right between
 * checkouts. Closed with the stores; a failed sweep (database down) is retried on the next tick.
 */
function expirySweeper(store: ProductsStore, everyMs: number, logger: Logger) {
  const timer = setInterval(() => {
    expireReservations(store.db).catch((error: unknown) =>
      logger.warn({ err: error }, "reservation expiry sweep failed"),
    );
  }, everyMs);
  timer.unref();
  return {
    readiness: { name: "reservation-expiry", check: async () => undefined },
    close: async () => clearInterval(timer),
  };
}
