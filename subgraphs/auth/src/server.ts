import { fileURLToPath } from "node:url";
import {
  buildSubgraph,
  createLogger,
  createPostgres,
  createRedis,
  loadTypeDefs,
  type Logger,
  type Service,
} from "@fv/platform";
import type { Config } from "./config.js";
import { schema } from "./db/schema.js";
import { createAttemptLimiter } from "./attempt-limiter.js";
import { EMAIL_REQUEST_LIMIT, PASSWORD_FAILURE_LIMIT, REGISTER_LIMIT } from "./rate-limits.js";
import { createAccessTokenIssuer } from "./tokens.js";
import { startBackgroundWork } from "./background.js";
import { JWKS_PATH, jwksRoute } from "./jwks-route.js";
import { createLoaders } from "./loaders.js";
import { resolvers } from "./resolvers/index.js";
import type { AuthSettings, Context, Limiters } from "./context.js";

export const migrationsFolder = fileURLToPath(new URL("./db/migrations", import.meta.url));
const typeDefs = loadTypeDefs(new URL("../schema.graphql", import.meta.url));

export function createStore(config: Pick<Config, "DATABASE_URL" | "PGLITE_DIR">, logger: Logger) {
  return createPostgres({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, schema, logger });
}

/** Builds the auth subgraph on its PostgreSQL database and Redis. Does not listen. */
export async function buildAuthService(
  config: Config,
  logger = createLogger("auth", config.LOG_LEVEL),
): Promise<Service> {
  const store = createStore(config, logger);
  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, logger });
  const eventsPrefix = config.EVENTS_PREFIX;
  const publisher = createRedis({ url: config.REDIS_URL, keyPrefix: eventsPrefix, logger, name: "redis-events" });
  const consumerRedis = createRedis({ url: config.REDIS_URL, keyPrefix: eventsPrefix, logger, name: "redis-consumer" });
  // PGlite is embedded and starts empty: it migrates itself. A PostgreSQL server is migrated
  // beforehand (`pnpm --filter @fv/auth migrate`, or the migration Job in a cluster).
  if (store.driver === "pglite") await store.migrate(migrationsFolder);

  const limiters: Limiters = {
    register: createAttemptLimiter(redis.redis, "register", REGISTER_LIMIT),
    passwordFailures: createAttemptLimiter(redis.redis, "password-failures", PASSWORD_FAILURE_LIMIT),
    emailRequests: createAttemptLimiter(redis.redis, "email-requests", EMAIL_REQUEST_LIMIT),
  };
  const settings: AuthSettings = {
    issueAccessToken: createAccessTokenIssuer({
      keys: config.AUTH_SIGNING_KEYS,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
    }),
    refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
    publicAppUrl: config.PUBLIC_APP_URL,
  };
  const background = startBackgroundWork({
    db: store.db,
    publisher: publisher.redis,
    consumerRedis: consumerRedis.redis,
    logger,
  });

  return buildSubgraph<Context>({
    name: "auth",
    config,
    logger,
    typeDefs,
    resolvers,
    routes: jwksRoute(config.AUTH_SIGNING_KEYS),
    knownRoutes: [JWKS_PATH],
    stores: [
      {
        readiness: store.readiness,
        // The stores close in parallel: the background work, which uses them all, stops first.
        close: async () => {
          await background.stop();
          await Promise.all([store.close(), redis.close(), publisher.close()]);
        },
      },
      // Readiness only: closed above. The consumer's connection is closed by stopping the consumer.
      { readiness: redis.readiness, close: async () => undefined },
    ],
    context: (request) => ({
      ...request,
      db: store.db,
      loaders: createLoaders(store.db),
      limiters,
      settings,
      revocations: publisher.redis,
    }),
  });
}
