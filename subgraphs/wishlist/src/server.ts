import { buildSubgraph, createLogger, loadTypeDefs, type Logger, type Service } from "@fv/platform";
import type { Config } from "./config.js";
import type { Context } from "./context.js";
import { createMongoStore } from "@fv/platform";
import { createModels } from "./db/wishlist.js";
import { createLoaders } from "./loaders.js";
import { createCartClient } from "./cart-client.js";
import { resolvers } from "./resolvers/index.js";

const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Config, logger: Logger) {
  return createMongoStore({ url: config.MONGODB_URL, dbName: config.MONGODB_DATABASE, logger, models: createModels });
}

/**
 * Builds the wishlist subgraph on its MongoDB database, moving products to carts through the cart
 * subgraph. Does not listen, nor wait for MongoDB or the cart.
 */
export async function buildWishlistService(
  config: Config,
  logger = createLogger("wishlist", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  const cart = createCartClient(config);
  return buildSubgraph<Context>({
    name: "wishlist",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [store],
    context: (request) => ({ ...request, models: store.models, loaders: createLoaders(store.models), cart }),
  });
}
