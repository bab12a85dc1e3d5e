import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { registerInstrumentMetrics } from "./instrumentation.js";

/** Each service owns a registry, so that several services can run in one test process. */
export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<"method" | "route" | "status_code">;
  graphqlDuration: Histogram<"operation_name" | "operation_type" | "outcome">;
  storeErrors: Counter<"store">;
  /** Readiness answers that differ from the one before (ready → not ready and back). */
  readinessTransitions: Counter;
}

/** 0.3 s is a bucket boundary because the catalogue's latency objective is stated on it (k8s/monitoring). */
const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10];

export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const metrics: ServiceMetrics = {
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
      help: "GraphQL operations by operation name, type and outcome (success; client_error: only errors the client caused, such as BAD_USER_INPUT or UNAUTHENTICATED; error: any other)",
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
    readinessTransitions: new Counter({
      name: "readiness_transitions_total",
      help: "Readiness answers that changed from ready to not ready or back",
      registers: [registry],
    }),
  };
  // Store latency and pool usage, event-stream lag and outbox backlog of what this service created.
  registerInstrumentMetrics(registry, service);
  return metrics;
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

/** prom-client for the services' own metrics: one copy of the library, shared with the registries above. */
export { Counter, Gauge, Histogram, type Registry } from "prom-client";
