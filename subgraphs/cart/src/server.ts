import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import {
  STREAMS,
  buildSubgraph,
  createLogger,
  createRedis,
  loadTypeDefs,
  startConsumer,
  type Service,
} from "@fv/platform";
import type { Config } from "./config.js";
import { createCatalogueClient } from "./catalogue.js";
import { createLoaders } from "./loaders.js";
import { createOrderEventHandler } from "./order-events.js";
import { resolvers } from "./resolvers/index.js";
import { CartStore } from "./store.js";
import type { Context } from "./context.js";

const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

/**
 * Builds the cart subgraph on Redis, pricing lines through the products subgraph and taking ordered
 * units out of carts from orders' events. Does not listen, and waits for neither Redis nor products.
 */
export async function buildCartService(
  config: Config,
  logger = createLogger("cart", config.LOG_LEVEL),
): Promise<Service> {
  const store = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, logger });
  const carts = new CartStore(store.redis, {
    guestSeconds: config.GUEST_CART_TTL_SECONDS,
    customerSeconds: config.CUSTOMER_CART_TTL_SECONDS,
  });
  const products = createCatalogueClient(config);
  // XREADGROUP BLOCK holds its connection: the consumer has one of its own. Readiness pings the
  // service's own connection, which nothing blocks.
  const eventsRedis = createRedis({
    url: config.REDIS_URL,
    keyPrefix: config.EVENTS_PREFIX,
    logger,
    name: "redis-events",
  });
  const consumer = startConsumer({
    redis: eventsRedis.redis,
    stream: STREAMS.orders,
    group: "cart",
    consumer: `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    logger,
    handle: createOrderEventHandler(carts, logger),
    retryAfterMs: config.EVENTS_RETRY_AFTER_MS,
  });
  // The consumer writes to the carts: it stops before their connection closes.
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await consumer.stop();
      await store.close();
    })());
  return buildSubgraph<Context>({
    name: "cart",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [{ readiness: store.readiness, close: closeAll }],
    context: (request) => ({ ...request, carts, loaders: createLoaders(carts, products, request) }),
  });
}
