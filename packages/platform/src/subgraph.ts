import { readFileSync } from "node:fs";
import { parse, type DocumentNode } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";
import type { BaseContext } from "@apollo/server";
import { ApolloServerPluginInlineTraceDisabled } from "@apollo/server/plugin/disabled";
import type { ReadinessCheck } from "./health.js";
import { buildService, type RequestContext, type Service } from "./http-server.js";
import type { Logger } from "./logger.js";
import type { Express } from "express";
import { createTokenVerifier } from "./auth/tokens.js";
import { acceptedCredentials } from "./auth/service-credential.js";

/** Reads a subgraph's schema.graphql (SDL first) as a document. */
export const loadTypeDefs = (file: URL): DocumentNode => parse(readFileSync(file, "utf8"));

export function subgraphSchema(typeDefs: DocumentNode, resolvers: object) {
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
}

export { DateTimeISOResolver as DateTimeScalar } from "graphql-scalars";

/** A store a service owns: it makes the service ready when it answers, and is closed on shutdown. */
export interface OwnedStore {
  readiness: ReadinessCheck;
  close(): Promise<void>;
}

/**
 * A subgraph's service: its schema from SDL, its stores' readiness, the caller's request id
 * repeated in its logs, its stores closed after the drain. Does not listen.
 */
export function buildSubgraph<TContext extends BaseContext>(options: {
  name: string;
  config: {
    NODE_ENV: string;
    SHUTDOWN_GRACE_MS: number;
    SERVICE_CREDENTIAL: string;
    SERVICE_CREDENTIAL_ALSO_ACCEPTED?: string;
    AUTH_JWKS_URL: string;
    AUTH_ISSUER: string;
    AUTH_AUDIENCE: string;
  };
  logger: Logger;
  typeDefs: DocumentNode;
  resolvers: object;
  stores: OwnedStore[];
  context: (request: RequestContext) => TContext | Promise<TContext>;
  /** Routes beside /graphql (the auth subgraph's JWKS), and their paths for the HTTP histogram. */
  routes?: (app: Express) => void;
  knownRoutes?: string[];
}): Promise<Service> {
  const { name, config, logger, stores } = options;
  return buildService<TContext>({
    name,
    logger,
    apollo: {
      schema: subgraphSchema(options.typeDefs, options.resolvers),
      introspection: config.NODE_ENV !== "production",
      // No Apollo usage reporting here: traces are never asked for, and Prometheus has the timings.
      plugins: [ApolloServerPluginInlineTraceDisabled()],
    },
    context: options.context,
    routes: options.routes,
    knownRoutes: options.knownRoutes,
    auth: {
      verifyAccessToken: createTokenVerifier({
        jwksUrl: config.AUTH_JWKS_URL,
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      }),
      serviceCredential: acceptedCredentials(config),
      requireServiceCredential: true,
    },
    readiness: stores.map((store) => store.readiness),
    trustRequestId: true,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
    onStop: async () => {
      await Promise.all(stores.map((store) => store.close()));
    },
  });
}
