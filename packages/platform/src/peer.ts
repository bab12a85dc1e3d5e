import { SERVICE_CREDENTIAL_HEADER, SERVICE_NAME_HEADER } from "./auth/service-credential.js";
import { REQUEST_ID_HEADER } from "./http-server.js";

/*
 * A synchronous call from one subgraph to another (orders reserving stock, the cart pricing its
 * lines): GraphQL over HTTP with the service credential, a deadline, and one error type that says
 * which peer failed and how, so a caller can answer "the catalogue is unavailable" and compensate.
 */

export type PeerFailure = "unreachable" | "timeout" | "http" | "graphql";

export class PeerError extends Error {
  constructor(
    readonly peer: string,
    readonly failure: PeerFailure,
    message: string,
  ) {
    super(`${peer}: ${message}`);
    this.name = "PeerError";
  }
}

export interface PeerClientOptions {
  /** The peer's name, for errors and logs ("products"). */
  peer: string;
  /** Its GraphQL endpoint, e.g. http://products:4003/graphql. */
  url: string;
  /** This service's name, sent as x-service-name so the peer knows who acts. */
  serviceName: string;
  serviceCredential: string;
  /** Default deadline of one call. */
  timeoutMs?: number;
}

export interface PeerRequestOptions {
  /** The request id of the operation that caused this call, so both logs carry it. */
  requestId?: string;
  /**
   * The end user's `Authorization` header, when the peer must decide as for that user (the cart
   * opens a customer's cart to that customer only): authorisation stays where the data lives.
   */
  authorization?: string;
  timeoutMs?: number;
}

export interface PeerClient {
  readonly peer: string;
  request<T>(query: string, variables?: Record<string, unknown>, options?: PeerRequestOptions): Promise<T>;
  /**
   * Federation's own entity lookup on the peer: `_entities` for these keys of `typename`, with the fields
   * in `selection`; one answer per key, in their order, null for a key the peer does not know.
   * `operationName` names the call in the peer's logs and metrics (e.g. "CheckoutProducts").
   */
  entities<T>(
    operationName: string,
    typename: string,
    keys: readonly Record<string, unknown>[],
    selection: string,
    options?: PeerRequestOptions,
  ): Promise<(T | null)[]>;
}

export function createPeerClient(options: PeerClientOptions): PeerClient {
  const { peer, url, serviceName, serviceCredential, timeoutMs = 5_000 } = options;
  const client: PeerClient = {
    peer,
    async request<T>(query: string, variables: Record<string, unknown> = {}, call: PeerRequestOptions = {}) {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        [SERVICE_CREDENTIAL_HEADER]: serviceCredential,
        [SERVICE_NAME_HEADER]: serviceName,
      };
      if (call.requestId) headers[REQUEST_ID_HEADER] = call.requestId;
      if (call.authorization) headers.authorization = call.authorization;
      let response: Response;
      try {
        response = await fetch(url, {
          method: "POST",
          headers,
          body: JSON.stringify({ query, variables }),
          signal: AbortSignal.timeout(call.timeoutMs ?? timeoutMs),
        });
      } catch (error) {
        const name = (error as Error).name;
        if (name === "TimeoutError" || name === "AbortError") {
          throw new PeerError(peer, "timeout", `no answer within ${call.timeoutMs ?? timeoutMs} ms`);
        }
        throw new PeerError(peer, "unreachable", (error as Error).message);
      }
      let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
      try {
        body = (await response.json()) as typeof body;
      } catch {
        throw new PeerError(peer, response.ok ? "graphql" : "http", `HTTP ${response.status} without a GraphQL body`);
      }
      if (body.errors?.length) {
        const first = body.errors[0]!;
        throw new PeerError(peer, "graphql", `${first.extensions?.code ?? "ERROR"}: ${first.message}`);
      }
      if (!response.ok || body.data === undefined) {
        throw new PeerError(peer, "http", `HTTP ${response.status}`);
      }
      return body.data;
    },
    async entities<T>(
      operationName: string,
      typename: string,
      keys: readonly Record<string, unknown>[],
      selection: string,
      options?: PeerRequestOptions,
    ) {
      const data = await client.request<{ _entities?: (T | null)[] }>(
        `query ${operationName}($representations: [_Any!]!) { _entities(representations: $representations) { ... on ${typename} { ${selection} } } }`,
        { representations: keys.map((key) => ({ __typename: typename, ...key })) },
        options,
      );
      if (!Array.isArray(data._entities) || data._entities.length !== keys.length)
        throw new PeerError(peer, "graphql", `answered ${data._entities?.length} entities for ${keys.length} keys`);
      return data._entities.map((entity) => entity ?? null);
    },
  };
  return client;
}
