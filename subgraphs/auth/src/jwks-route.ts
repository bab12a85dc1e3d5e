import type { buildSubgraph } from "@fv/platform";
import { publicKeySet, type SigningKey } from "./signing-keys.js";

export const JWKS_PATH = "/.well-known/jwks.json";
// Short: verifiers refetch on an unknown kid anyway, and a cache in between must not hide a new key for long.
const CACHE_CONTROL = "public, max-age=300";

type Routes = NonNullable<Parameters<typeof buildSubgraph>[0]["routes"]>;

/** The public halves of every signing key, for the router and the subgraphs to verify access tokens. */
export function jwksRoute(keys: SigningKey[]): Routes {
  const body = JSON.stringify(publicKeySet(keys));
  return (app) => {
    app.get(JWKS_PATH, (_req, res) => {
      res.setHeader("cache-control", CACHE_CONTROL);
      res.type("application/jwk-set+json").send(body);
    });
  };
}
