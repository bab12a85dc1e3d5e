import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Each service owns a registry, so that several services can run in one test process. */
export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status_code">;
  graphqlDuration: Histogram<"operation_name" | "operation_type" | "outcome">;
  storeErrors: Counter<"store">;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    httpDuration: new Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP requests by method, route and status code",
      labelNames: ["method", "route", "status_code"],
      buckets: latencyBuckets,
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: "graphql_operation_duration_seconds",
      help: "GraphQL operations by operation name, type and outcome (success or error)",
      labelNames: ["operation_name", "operation_type", "outcome"],
      buckets: latencyBuckets,
      registers: [registry],
    }),
    storeErrors: new Counter({
      name: "store_errors_total",
      help: "Failed readiness checks and operations against a store",
      labelNames: ["store"],
      registers: [registry],
    }),
  };
}

const knownOperationNames = new Set<string>();
const MAX_OPERATION_NAMES = 500;

/**
 * Operation names come from clients: keep the label bounded so that a client inventing names
 * cannot grow the series without limit.
 */
export function operationNameLabel(name: string | null | undefined): string {
  if (!name) return "anonymous";
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return "invalid";
  if (knownOperationNames.has(name)) return name;
  if (knownOperationNames.size >= MAX_OPERATION_NAMES) return "other";
  knownOperationNames.add(name);
  return name;
}
