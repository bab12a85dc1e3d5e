import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { buildSubgraph, createLogger, createMongoStore, createRedis, loadTypeDefs, startConsumer } from "@fv/platform";
import { STREAMS, type Logger, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import type { Context } from "./context.js";
import { createModels } from "./db/review.js";
import { createLoaders } from "./loaders.js";
import { createOrderEventHandler } from "./order-events.js";
import { resolvers } from "./resolvers/index.js";
import { createRatingPublisher, startRatingRelay } from "./ratings.js";

const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Pick<Config, "MONGODB_URL" | "MONGODB_DATABASE">, logger: Logger) {
  return createMongoStore({ url: config.MONGODB_URL, dbName: config.MONGODB_DATABASE, logger, models: createModels });
}

/** Builds the reviews subgraph on its MongoDB database and orders' event stream. Does not listen, nor wait. */
export async function buildReviewsService(
  config: Config,
  logger = createLogger("reviews", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  // XREADGROUP BLOCK holds its connection: the consumer has one of its own.
  const eventsRedis = createRedis({
    url: config.REDIS_URL,
    keyPrefix: config.EVENTS_PREFIX,
    logger,
    name: "redis-events",
  });
  // Readiness pings Redis on a connection of its own (the consumer's is blocked in XREADGROUP),
  // which also publishes rating changes: no key prefix, the stream keys are shared.
  const redis = createRedis({ url: config.REDIS_URL, logger });
  const consumer = startConsumer({
    redis: eventsRedis.redis,
    stream: STREAMS.orders,
    group: "reviews",
    consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    logger,
    handle: createOrderEventHandler(store.models, logger),
    retryAfterMs: config.EVENTS_RETRY_AFTER_MS,
  });
  // Rating changes go to the catalogue through an outbox in MongoDB and this connection (ratings.ts).
  const ratings = createRatingPublisher({
    models: store.models,
    redis: redis.redis,
    stream: `${config.EVENTS_PREFIX}${STREAMS.reviews}`,
    logger,
  });
  const relay = startRatingRelay(ratings, logger);
  // The consumer and the relay use MongoDB and Redis: they stop before those close.
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await Promise.all([consumer.stop(), relay.stop()]);
      await redis.close();
      await store.close();
    })());
  return buildSubgraph<Context>({
    name: "reviews",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [
      { readiness: store.readiness, close: closeAll },
      { readiness: redis.readiness, close: closeAll },
    ],
    context: (request) => ({ ...request, models: store.models, loaders: createLoaders(store.models), ratings }),
  });
}
