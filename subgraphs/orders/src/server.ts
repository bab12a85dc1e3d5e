import { fileURLToPath } from "node:url";
import { buildSubgraph, createLogger, createPostgres, loadTypeDefs, type Logger, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import { createPeers } from "./peers.js";
import { createOrderMetrics } from "./metrics.js";
import { createSandboxProvider } from "./payments/provider.js";
import { WEBHOOK_PATH, paymentRoutes } from "./payments/routes.js";
import { ordersStream } from "./order-events.js";
import { startBackgroundWork } from "./background.js";
import type { Context, OrdersDeps } from "./context.js";

export const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">, logger: Logger) {
  return createPostgres({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, schema, logger });
}

/** Builds the orders subgraph on its PostgreSQL database, its peers and the event streams. Does not listen. */
export async function buildOrdersService(
  config: Config,
  logger = createLogger("orders", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/orders migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);
  const metrics = createOrderMetrics();
  const base = {
    db: store.db,
    peers: createPeers(config),
    payments: createSandboxProvider(config.PAYMENT_SANDBOX_PUBLIC_URL),
    metrics,
    ordersStream: ordersStream(config.EVENTS_PREFIX),
    config,
  };
  const background = startBackgroundWork(
    { redisUrl: config.REDIS_URL, sweepIntervalMs: config.SWEEP_INTERVAL_MS, logger },
    base,
  );
  const deps: OrdersDeps = { ...base, kickReservationTasks: background.kick };
  // The background work uses the database: it stops before the database closes.
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await background.close();
      await store.close();
    })());
  const service = await buildSubgraph<Context>({
    name: "orders",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [
      { readiness: store.readiness, close: closeAll },
      { readiness: background.readiness, close: closeAll },
    ],
    routes: paymentRoutes(deps, config.PAYMENT_WEBHOOK_SECRET, logger),
    knownRoutes: [WEBHOOK_PATH],
    context: (request) => ({ ...request, ...deps, loaders: createLoaders(store.db) }),
  });
  metrics.registerOn(service.metrics.registry);
  return service;
}
