import type { GraphQLFormattedError } from "graphql";

/** Codes whose message is meant for the client; anything else is masked. */
const CLIENT_CODES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
  // A subgraph's peer is down (the cart's prices when products does not answer): the client may retry.
  "SERVICE_UNAVAILABLE",
]);
/** Extensions a client may see; the rest (service names, stack traces, internals) stay in the logs. */
const CLIENT_EXTENSIONS = new Set(["code", "argumentName", "retryAfterSeconds"]);

/**
 * Masks what a client should not see. The whole error was already logged with the request id
 * by the platform's error-logging plugin.
 */
export function maskError(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = typeof formatted.extensions?.code === "string" ? formatted.extensions.code : "INTERNAL_SERVER_ERROR";
  if (!CLIENT_CODES.has(code)) {
    return { message: "Internal server error", path: formatted.path, extensions: { code: "INTERNAL_SERVER_ERROR" } };
  }
  const extensions = Object.fromEntries(
    Object.entries(formatted.extensions ?? {}).filter(([key]) => CLIENT_EXTENSIONS.has(key)),
  );
  return { message: formatted.message, locations: formatted.locations, path: formatted.path, extensions };
}
