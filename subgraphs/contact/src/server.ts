import { buildSubgraph, createLogger, createMongoStore, createRedis, loadTypeDefs } from "@fv/platform";
import type { Logger, Service } from "@fv/platform";
import { smtpAuth, type Config } from "./config.js";
import type { Context } from "./context.js";
import { createModels } from "./db/contact-message.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import { startBackgroundWork } from "./background.js";
import { createContactMetrics } from "./metrics.js";

const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Pick<Config, "MONGODB_URL" | "MONGODB_DATABASE">, logger: Logger) {
  return createMongoStore({ url: config.MONGODB_URL, dbName: config.MONGODB_DATABASE, logger, models: createModels });
}

/**
 * Builds the contact subgraph on its MongoDB database, Redis (submission limits, auth's events)
 * and an SMTP server. Does not listen, nor wait for any of them.
 */
export async function buildContactService(
  config: Config,
  logger = createLogger("contact", config.LOG_LEVEL),
): Promise<Service> {
  smtpAuth(config);
  const store = createStore(config, logger);
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, logger });
  const metrics = createContactMetrics(store.models, logger);
  const background = startBackgroundWork(config, store.models, logger, metrics);
  // The background work uses MongoDB and Redis: it stops before they close.
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      await background.close();
      await Promise.all([redis.close(), store.close()]);
    })());
  const service = await buildSubgraph<Context>({
    name: "contact",
    config,
    logger,
    typeDefs,
    resolvers,
    stores: [
      { readiness: store.readiness, close: closeAll },
      { readiness: redis.readiness, close: closeAll },
      { readiness: background.readiness, close: closeAll },
    ],
    context: (request) => ({
      ...request,
      models: store.models,
      loaders: createLoaders(store.models),
      redis: redis.redis,
      submissionLimit: { limit: config.CONTACT_RATE_LIMIT, windowSeconds: config.CONTACT_RATE_WINDOW_SECONDS },
      metrics,
    }),
  });
  for (const metric of Object.values(metrics)) service.metrics.registry.registerMetric(metric);
  return service;
}
