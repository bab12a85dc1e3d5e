import { fileURLToPath } from "node:url";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import {
  STREAMS,
  buildSubgraph,
  createLogger,
  createPostgres,
  createRedis,
  loadTypeDefs,
  startConsumer,
  type Logger,
  type Service,
} from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createLoaders } from "./loaders.js";
import { expireReservations } from "./reservations.js";
import { resolvers } from "./resolvers/index.js";
import { createRatingEventHandler } from "./ratings.js";
import { createProductsMetrics } from "./metrics.js";
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

/**
 * Builds the products subgraph on its PostgreSQL database, with the consumer of the reviews
 * subgraph's rating events (sort by rating). Does not listen.
 */
export async function buildProductsService(
  config: Config,
  logger = createLogger("products", config.LOG_LEVEL),
  /** Tests pass a store of their own (one that counts queries). */
  store: ProductsStore = createStore(config, logger),
): Promise<Service> {
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/products migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);
  // XREADGROUP BLOCK holds its connection: the consumer has one of its own, and readiness pings another.
  const eventsRedis = createRedis({
    url: config.REDIS_URL,
    keyPrefix: config.EVENTS_PREFIX,
    logger,
    name: "redis-events",
  });
  const redis = createRedis({ url: config.REDIS_URL, logger });
  const ratings = startConsumer({
    redis: eventsRedis.redis,
    stream: STREAMS.reviews,
    group: "products",
    consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    logger,
    handle: createRatingEventHandler(store.db, logger),
    retryAfterMs: config.EVENTS_RETRY_AFTER_MS,
  });
  // The consumer writes to PostgreSQL: it stops before the database closes.
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await ratings.stop();
      await redis.close();
      await store.close();
    })());
  const metrics = createProductsMetrics();
  const service = await buildSubgraph<Context>({
    name: "products",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [
      { readiness: store.readiness, close: closeAll },
      { readiness: redis.readiness, close: closeAll },
      expirySweeper(store, config.RESERVATION_SWEEP_SECONDS * 1000, logger),
    ],
    context: (request) => ({
      ...request,
      db: store.db,
      loaders: createLoaders(store.db),
      imageBaseUrl: config.IMAGE_BASE_URL.replace(/\/+$/, ""),
      reservationTtlMs: config.RESERVATION_TTL_MINUTES * 60_000,
      metrics,
    }),
  });
  for (const metric of Object.values(metrics)) service.metrics.registry.registerMetric(metric);
  return service;
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
