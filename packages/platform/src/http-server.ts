import { createServer, type Server } from "node:http";
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import express, { type ErrorRequestHandler, type Express, type Request } from "express";
import { GraphQLError } from "graphql";
import cors from "cors";
import { pinoHttp } from "pino-http";
import { ApolloServer, type ApolloServerOptions, type BaseContext, type ApolloServerPlugin } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import type { Logger } from "./logger.js";
import { Gauge } from "prom-client";
import { createMetrics, operationNameLabel, type ServiceMetrics } from "./metrics.js";
import { runReadinessChecks, type ReadinessCheck } from "./health.js";
import { anonymous, type Caller } from "./auth/caller.js";
import type { VerifyAccessToken } from "./auth/tokens.js";
import { SERVICE_CREDENTIAL_HEADER, SERVICE_NAME_HEADER, credentialMatches } from "./auth/service-credential.js";

export const REQUEST_ID_HEADER = "x-request-id";
const KNOWN_ROUTES = new Set(["/", "/graphql", "/health/live", "/health/ready", "/metrics"]);
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{8,128}$/;
const READINESS_STALE_MS = 30_000;

/** What every resolver gets, whatever the service. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  /** Raw request headers, for the router to forward and for auth to read. */
  headers: Request["headers"];
  /** Who is asking: verified from the access token, or the service credential. */
  caller: Caller;
  /**
   * The client's address: the socket's peer at the router; at a subgraph, the address the router
   * forwarded (only the router and credential holders reach a subgraph, so it can be trusted).
   */
  clientAddress: string | undefined;
}

export interface ServiceAuth {
  verifyAccessToken: VerifyAccessToken;
  /** The credential callers must present: one value, or the current and previous during a rotation. */
  serviceCredential: string | readonly string[];
  /**
   * Subgraphs accept GraphQL only from the router or a service holding the credential; the
   * router accepts the public.
   */
  requireServiceCredential: boolean;
}

export interface ServiceDefinition<TContext extends BaseContext> {
  name: string;
  logger: Logger;
  /** Either `schema` (subgraphs) or `gateway` (router), as ApolloServer takes them. */
  apollo: Omit<ApolloServerOptions<TContext>, "plugins" | "formatError"> & {
    plugins?: ApolloServerPlugin<TContext>[];
    formatError?: ApolloServerOptions<TContext>["formatError"];
  };
  context: (request: RequestContext) => Promise<TContext> | TContext;
  readiness: ReadinessCheck[];
  /** Who may call from a browser. Subgraphs allow none: only the router calls them. */
  corsOrigins?: string[];
  /** Accept a caller's request id (subgraphs, behind the router) or always create one (router). */
  trustRequestId: boolean;
  /** Extra routes mounted before /graphql (the router's IDE, the auth JWKS…). */
  routes?: (app: Express) => void;
  /** Paths those routes serve, so the HTTP histogram labels them (anything else is "other"). */
  knownRoutes?: string[];
  metrics?: ServiceMetrics;
  auth: ServiceAuth;
  /** Proxies (ingress, load balancer) in front of a public service whose X-Forwarded-For is trusted. */
  trustProxyHops?: number;
  shutdownGraceMs?: number;
  /** Called after the HTTP server has drained: close stores here. */
  onStop?: () => Promise<void>;
}

export interface Service {
  name: string;
  app: Express;
  httpServer: Server;
  apollo: ApolloServer<BaseContext>;
  metrics: ServiceMetrics;
  logger: Logger;
  listen(port: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, drains in-flight requests, then runs onStop. Safe to call twice. */
  stop(): Promise<void>;
}

function metricsPlugin(metrics: ServiceMetrics): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, errors, response }) {
          const body = response.body;
          const all = [...(errors ?? []), ...(body.kind === "single" ? (body.singleResult.errors ?? []) : [])];
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.graphqlDuration.observe(
            {
              operation_name: operationNameLabel(operationName),
              operation_type: operation?.operation ?? "unknown",
              outcome: operationOutcome(all),
            },
            seconds,
          );
        },
      };
    },
  };
}

/** Error codes of failures the client caused: they do not count against the service's error budget. */
export const CLIENT_ERROR_CODES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "GRAPHQL_VALIDATION_FAILED",
  "GRAPHQL_PARSE_FAILED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** success; client_error when every error is one the client caused; error otherwise. */
export function operationOutcome(errors: readonly { extensions?: Record<string, unknown> }[]) {
  if (errors.length === 0) return "success";
  return errors.every((e) => CLIENT_ERROR_CODES.has(String(e.extensions?.code))) ? "client_error" : "error";
}

function errorLoggingPlugin(): ApolloServerPlugin<BaseContext & Partial<RequestContext>> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            const expected =
              code === "BAD_USER_INPUT" ||
              code === "UNAUTHENTICATED" ||
              code === "FORBIDDEN" ||
              code === "GRAPHQL_VALIDATION_FAILED" ||
              code === "GRAPHQL_PARSE_FAILED";
            contextValue.log?.[expected ? "info" : "error"](
              { err: error.originalError ?? error, path: error.path, code, operationName },
              "graphql error",
            );
          }
        },
      };
    },
  };
}

/**
 * Builds the express app, the Apollo server and the HTTP server of a service without listening,
 * so tests run it in-process and main.ts decides where it listens.
 */
export async function buildService<TContext extends BaseContext>(def: ServiceDefinition<TContext>): Promise<Service> {
  const metrics = def.metrics ?? createMetrics(def.name);
  const knownRoutes = new Set([...KNOWN_ROUTES, ...(def.knownRoutes ?? [])]);
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", def.trustProxyHops ?? 0);
  const httpServer = createServer(app);

  const apollo = new ApolloServer<TContext>({
    ...def.apollo,
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: def.shutdownGraceMs ?? 10_000 }),
      metricsPlugin(metrics) as ApolloServerPlugin<TContext>,
      errorLoggingPlugin() as ApolloServerPlugin<TContext>,
      // Apollo's landing page loads Sandbox from a CDN; the router serves its own IDE instead.
      ApolloServerPluginLandingPageDisabled() as ApolloServerPlugin<TContext>,
      ...(def.apollo.plugins ?? []),
    ],
  } as ApolloServerOptions<TContext>);
  await apollo.start();

  app.use(
    pinoHttp({
      logger: def.logger,
      // Resolver logs carry just the request id (`reqId`), the key operators search by.
      quietReqLogger: true,
      customAttributeKeys: { reqId: "requestId" },
      genReqId: (req, res) => {
        const incoming = req.headers[REQUEST_ID_HEADER];
        const id =
          def.trustRequestId && typeof incoming === "string" && REQUEST_ID_PATTERN.test(incoming)
            ? incoming
            : randomUUID();
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      customLogLevel: (req, res, err) =>
        err || res.statusCode >= 500
          ? "error"
          : req.url?.startsWith("/health") || req.url === "/metrics"
            ? "debug"
            : "info",
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
      },
    }),
  );

  app.use((req, res, next) => {
    const end = metrics.httpDuration.startTimer({ method: req.method });
    res.on("finish", () => {
      const route = knownRoutes.has(req.path) ? req.path : "other";
      end({ route, status_code: String(res.statusCode) });
    });
    next();
  });

  app.get("/health/live", (_req, res) => {
    res.json({ status: "live" });
  });
  let lastReady: boolean | undefined;
  let checkedAt = 0;
  const checkReadiness = async () => {
    const report = await runReadinessChecks(def.readiness);
    for (const [name, result] of Object.entries(report.checks)) {
      if (!result.ok) metrics.storeErrors.inc({ store: name });
    }
    const ready = report.status === "ready";
    if (lastReady !== undefined && lastReady !== ready) metrics.readinessTransitions.inc();
    lastReady = ready;
    checkedAt = Date.now();
    return report;
  };
  new Gauge({
    name: "service_ready",
    help: "1 when the service's last readiness check passed (its stores answered), 0 when it failed; a scrape checks again when no probe has for 30 s",
    registers: [metrics.registry],
    async collect() {
      if (Date.now() - checkedAt > READINESS_STALE_MS) await checkReadiness();
      this.set(lastReady ? 1 : 0);
    },
  });
  app.get("/health/ready", async (_req, res) => {
    const report = await checkReadiness();
    res.status(report.status === "ready" ? 200 : 503).json(report);
  });
  app.get("/metrics", async (_req, res) => {
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  def.routes?.(app);

  const { auth } = def;
  const clientAddressOf = (req: Request): string | undefined => {
    const forwarded = req.headers["x-forwarded-for"];
    if (auth.requireServiceCredential && typeof forwarded === "string") return forwarded.split(",")[0]!.trim();
    return req.ip;
  };
  const callerOf = async (req: Request): Promise<Caller> => {
    const authorization = req.headers.authorization;
    if (authorization) {
      const [scheme, token] = authorization.split(" ");
      if (scheme?.toLowerCase() !== "bearer" || !token) {
        throw new GraphQLError("Authorization must be a Bearer access token", {
          extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
        });
      }
      return auth.verifyAccessToken(token);
    }
    const serviceName = req.headers[SERVICE_NAME_HEADER];
    if (
      typeof serviceName === "string" &&
      credentialMatches(req.headers[SERVICE_CREDENTIAL_HEADER], auth.serviceCredential)
    ) {
      return { kind: "service", name: serviceName };
    }
    return anonymous;
  };

  app.use(
    "/graphql",
    cors<cors.CorsRequest>({ origin: def.corsOrigins ?? false, credentials: true }),
    (req, res, next) => {
      if (!auth.requireServiceCredential || req.method === "OPTIONS") return next();
      if (credentialMatches(req.headers[SERVICE_CREDENTIAL_HEADER], auth.serviceCredential)) return next();
      res.status(403).json({
        errors: [
          {
            message: "This service accepts requests only from the router or a service holding the service credential",
            extensions: { code: "FORBIDDEN" },
          },
        ],
      });
    },
    express.json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        def.context({
          requestId: String(req.id),
          log: (req as Request & { log: Logger }).log,
          headers: req.headers,
          caller: await callerOf(req),
          clientAddress: clientAddressOf(req),
        }),
    }),
  );

  // A body that is not JSON, or too large, is the client's fault: say so in GraphQL's error shape.
  const clientErrors: ErrorRequestHandler = (error, req, res, next) => {
    const status =
      typeof error?.status === "number" ? error.status : typeof error?.statusCode === "number" ? error.statusCode : 500;
    if (res.headersSent) return next(error);
    if (status >= 400 && status < 500) {
      const message =
        error.type === "entity.parse.failed"
          ? `Malformed JSON in request body: ${error.message}`
          : error.type === "entity.too.large"
            ? "Request body is too large"
            : String(error.message ?? "Bad request");
      res.status(status).json({ errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
      return;
    }
    req.log?.error({ err: error }, "unhandled error");
    res
      .status(500)
      .json({ errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
  };
  app.use(clientErrors);

  let stopping: Promise<void> | undefined;
  return {
    name: def.name,
    app,
    httpServer,
    apollo: apollo as unknown as ApolloServer<BaseContext>,
    metrics,
    logger: def.logger,
    listen: (port, host = "0.0.0.0") =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          resolve(httpServer.address() as AddressInfo);
        });
      }),
    stop: () =>
      (stopping ??= (async () => {
        // Apollo's drain plugin closes the HTTP server and waits for in-flight requests.
        if (httpServer.listening) await apollo.stop();
        else await apollo.stop().catch(() => undefined);
        await def.onStop?.();
      })()),
  };
}
