import { ApolloGateway } from "@apollo/gateway";
import {
  acceptedCredentials,
  buildService,
  createLogger,
  createMetrics,
  createRedis,
  createTokenVerifier,
  type ReadinessCheck,
  type Service,
  withRevocationCheck,
} from "@fv/platform";
import { RedisKeyValueCache } from "./redis-cache.js";
import { subgraphUrlOverride, type Config } from "./config.js";
import type { RouterContext } from "./context.js";
import { SubgraphDataSource } from "./data-source.js";
import { createSubgraphFetchMetrics } from "./metrics.js";
import { maskError } from "./errors.js";
import { ideRoutes, mountIde } from "./ide.js";
import { readSupergraph, readinessUrl, subgraphsOf } from "./supergraph.js";

async function expectReady(url: string) {
  const response = await fetch(url, { signal: AbortSignal.timeout(1_500) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
}

/** Builds the supergraph endpoint from the committed supergraph. Does not listen. */
export async function buildRouter(config: Config, logger = createLogger("router", config.LOG_LEVEL)): Promise<Service> {
  const supergraphSdl = readSupergraph(config.SUPERGRAPH_PATH);
  const subgraphs = subgraphsOf(supergraphSdl).map(({ name, url }) => ({
    name,
    url: subgraphUrlOverride(config, name) ?? url,
  }));
  const urlOf = new Map(subgraphs.map(({ name, url }) => [name, url]));

  const metrics = createMetrics("router");
  const subgraphFetches = createSubgraphFetchMetrics(metrics.registry);
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) =>
      new SubgraphDataSource(urlOf.get(name) ?? url!, config.SUBGRAPH_TIMEOUT_MS, config.SERVICE_CREDENTIAL, {
        subgraph: name,
        histogram: subgraphFetches,
      }),
  });

  const redis = createRedis({ url: config.REDIS_URL, keyPrefix: config.REDIS_PREFIX, logger });
  // The revocation marks auth writes live under the deployment's events prefix, not the router's own.
  const revocations = createRedis({
    url: config.REDIS_URL,
    keyPrefix: config.EVENTS_PREFIX,
    logger,
    name: "redis-revocations",
  });

  let loaded = false;
  const readiness: ReadinessCheck[] = [
    redis.readiness,
    {
      name: "supergraph",
      check: async () => {
        if (!loaded) throw new Error("supergraph not loaded");
      },
    },
    ...subgraphs.map(({ name, url }) => ({ name: `subgraph:${name}`, check: () => expectReady(readinessUrl(url)) })),
  ];

  const development = config.NODE_ENV !== "production";
  const service = await buildService<RouterContext>({
    name: "router",
    logger,
    metrics,
    apollo: {
      gateway,
      introspection: development,
      includeStacktraceInErrorResponses: false,
      formatError: (formatted) => maskError(formatted),
      persistedQueries: { cache: new RedisKeyValueCache(redis.redis, config.PERSISTED_QUERY_TTL_SECONDS) },
    },
    context: (request) => request,
    readiness,
    corsOrigins: config.CORS_ORIGINS,
    trustRequestId: false,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    // The router verifies tokens too, so a bad token is refused before any subgraph is called.
    auth: {
      verifyAccessToken: withRevocationCheck(
        createTokenVerifier({
          jwksUrl: config.AUTH_JWKS_URL,
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
        }),
        revocations.redis,
        logger,
      ),
      serviceCredential: acceptedCredentials(config),
      requireServiceCredential: false,
    },
    routes: development ? mountIde : undefined,
    knownRoutes: development ? ideRoutes : [],
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    onStop: async () => {
      await Promise.all([redis.close(), revocations.close()]);
    },
  });
  loaded = true;
  return service;
}
