import { buildSubgraph, createLogger, createRedis, loadTypeDefs, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import { CartStore } from "./store.js";
import type { Context } from "./context.js";

const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

/** Builds the cart subgraph on Redis. Does not listen, and does not wait for Redis to answer. */
export async function buildCartService(
  config: Config,
  logger = createLogger("cart", config.LOG_LEVEL),
): Promise<Service> {
  const store = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, logger });
  const carts = new CartStore(store.redis, {
    guestSeconds: config.GUEST_CART_TTL_SECONDS,
    customerSeconds: config.CUSTOMER_CART_TTL_SECONDS,
  });
  return buildSubgraph<Context>({
    name: "cart",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [store],
    context: (request) => ({ ...request, carts, loaders: createLoaders(carts) }),
  });
}
