import { createPeerClient, type PeerClient } from "@fv/platform";
import type { CatalogueProduct } from "./cart-pricing.js";

/*
 * The cart's view of the catalogue: one call to the products subgraph's _entities per request (the
 * loader in loaders.ts batches every line of every cart the request reads), with the service credential.
 * Products resolves inactive products for a service caller too, so a line can say PRODUCT_INACTIVE.
 */

const PRODUCT_FIELDS = "id price active inStock availableQuantity";

export function createCatalogueClient(config: {
  PRODUCTS_URL: string;
  SERVICE_CREDENTIAL: string;
  PEER_TIMEOUT_MS: number;
}) {
  return createPeerClient({
    peer: "products",
    url: config.PRODUCTS_URL,
    serviceName: "cart",
    serviceCredential: config.SERVICE_CREDENTIAL,
    timeoutMs: config.PEER_TIMEOUT_MS,
  });
}

/** The catalogue's products for these ids, in order; null for an id it does not know. */
export const fetchProducts = (products: PeerClient, ids: readonly string[], requestId?: string) =>
  products.entities<CatalogueProduct>(
    "CartLineProducts",
    "Product",
    ids.map((id) => ({ id })),
    PRODUCT_FIELDS,
    { requestId },
  );

/**
 * What a price or availability field answers when the catalogue could not be asked: a clear error on that
 * field, never a made-up number (the cause is logged by the loader). GraphQL takes a thrown error's
 * `extensions` as the error's own, so the field's error carries code SERVICE_UNAVAILABLE.
 */
export class CatalogueUnavailableError extends Error {
  readonly extensions = { code: "SERVICE_UNAVAILABLE" };
  constructor() {
    super("The catalogue cannot be reached right now: prices and availability are unknown. Try again shortly.");
    this.name = "CatalogueUnavailableError";
  }
}
