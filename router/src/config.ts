import { fileURLToPath } from "node:url";
import { baseConfigShape, port, z } from "@fv/platform";

const commaList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.url()));

export const configShape = {
  ...baseConfigShape,
  PORT: port(4000),
  SUPERGRAPH_PATH: z.string().default(fileURLToPath(new URL("../../schema/supergraph.graphql", import.meta.url))),
  /** Browser origins allowed to call the endpoint (the web app's), comma-separated. */
  CORS_ORIGINS: commaList.default(["http://localhost:3000"]),
  /** Automatic persisted queries are kept here, shared by every router replica. */
  REDIS_URL: z.url(),
  REDIS_PREFIX: z.string().default("fv:router:"),
  PERSISTED_QUERY_TTL_SECONDS: z.coerce.number().int().min(60).default(86_400),
  /** How many proxies (ingress…) stand in front of the router: their X-Forwarded-For names the client. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
  /** How long the router waits for one subgraph fetch. */
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  /** Overrides of the subgraph URLs written in the supergraph (in a cluster: the Services' DNS names). */
  SUBGRAPH_AUTH_URL: z.url().optional(),
  SUBGRAPH_USERS_URL: z.url().optional(),
  SUBGRAPH_PRODUCTS_URL: z.url().optional(),
  SUBGRAPH_ORDERS_URL: z.url().optional(),
  SUBGRAPH_CART_URL: z.url().optional(),
  SUBGRAPH_WISHLIST_URL: z.url().optional(),
  SUBGRAPH_REVIEWS_URL: z.url().optional(),
  SUBGRAPH_CONTACT_URL: z.url().optional(),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;

export function subgraphUrlOverride(config: Config, name: string): string | undefined {
  return (config as Record<string, unknown>)[`SUBGRAPH_${name.toUpperCase()}_URL`] as string | undefined;
}
