import { CLIENT_ERROR_CODES, Histogram, type Registry } from "@fv/platform";

/**
 * How the router's calls to each subgraph went. `subgraph` is a name from the supergraph and
 * `outcome` one of a fixed few, so the series are bounded:
 * success; client_error (every error one the client caused); error (any other GraphQL error);
 * http_error (a non-2xx answer); timeout (no answer within SUBGRAPH_TIMEOUT_MS); network_error.
 */
export type SubgraphFetchHistogram = Histogram<"subgraph" | "outcome">;

export function createSubgraphFetchMetrics(registry: Registry): SubgraphFetchHistogram {
  return new Histogram({
    name: "subgraph_fetch_duration_seconds",
    help: "Router fetches to a subgraph by subgraph and outcome (success, client_error, error, http_error, timeout, network_error)",
    labelNames: ["subgraph", "outcome"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
}

export function fetchOutcome(result: { errors?: readonly { extensions?: Record<string, unknown> }[] }): string {
  const errors = result.errors ?? [];
  if (errors.length === 0) return "success";
  return errors.every((e) => CLIENT_ERROR_CODES.has(String(e.extensions?.code))) ? "client_error" : "error";
}

/** What a failed fetch was: an HTTP answer that was not a success, a timeout, or no answer at all. */
export function fetchFailure(error: unknown): string {
  const e = error as { name?: string; cause?: { name?: string }; extensions?: { response?: { status?: number } } };
  if (e?.name === "TimeoutError" || e?.cause?.name === "TimeoutError" || e?.name === "AbortError") return "timeout";
  if (typeof e?.extensions?.response?.status === "number") return "http_error";
  return "network_error";
}
