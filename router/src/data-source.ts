import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from "@apollo/gateway";
import { REQUEST_ID_HEADER, SERVICE_CREDENTIAL_HEADER } from "@fv/platform";
import type { RouterContext } from "./context.js";
import { fetchFailure, fetchOutcome, type SubgraphFetchHistogram } from "./metrics.js";

/** GraphQLDataSourceRequestKind.INCOMING_OPERATION (the enum is not exported by the package's entry point). */
const INCOMING_OPERATION = "incoming operation";

/**
 * Forwards the caller's credentials and the request id to a subgraph, and gives up on a subgraph
 * that does not answer in time instead of holding the client's request open.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<RouterContext> {
  constructor(
    url: string,
    timeoutMs: number,
    private readonly serviceCredential: string,
    private readonly fetches?: { subgraph: string; histogram: SubgraphFetchHistogram },
  ) {
    super({
      url,
      fetcher: (input, init) =>
        fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) } as RequestInit) as never,
    });
  }

  /** Times each fetch made for a client's operation (not the gateway's own schema or health fetches). */
  override async process(
    options: GraphQLDataSourceProcessOptions<RouterContext>,
  ): ReturnType<RemoteGraphQLDataSource["process"]> {
    if (!this.fetches || String(options.kind) !== INCOMING_OPERATION) return super.process(options);
    const end = this.fetches.histogram.startTimer({ subgraph: this.fetches.subgraph });
    try {
      const response = await super.process(options);
      end({ outcome: fetchOutcome(response) });
      return response;
    } catch (error) {
      end({ outcome: fetchFailure(error) });
      throw error;
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<RouterContext>) {
    const headers = request.http?.headers;
    if (!headers) return;
    // Every subgraph fetch carries the credential, including the gateway's own health checks.
    headers.set(SERVICE_CREDENTIAL_HEADER, this.serviceCredential);
    if (!("requestId" in context)) return;
    headers.set(REQUEST_ID_HEADER, context.requestId);
    // Subgraphs see the router as their peer; per-client limits need the client's own address.
    if (context.clientAddress) headers.set("x-forwarded-for", context.clientAddress);
    // auth records each session's device from it.
    const userAgent = context.headers?.["user-agent"];
    if (userAgent) headers.set("user-agent", userAgent);
    const authorization = context.headers?.authorization;
    if (authorization) headers.set("authorization", authorization);
  }
}
