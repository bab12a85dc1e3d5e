import DataLoader from "dataloader";
import type { Logger, PeerClient } from "@fv/platform";
import type { CartRecord, CartStore } from "./store.js";
import type { CatalogueProduct } from "./cart-pricing.js";
import { fetchProducts } from "./catalogue.js";

/**
 * One Redis round-trip per request for all the carts federation asks for, and one call to the
 * catalogue for all the products of the lines whose price or availability the request asks for.
 */
export function createLoaders(carts: CartStore, products: PeerClient, request: { requestId: string; log: Logger }) {
  return {
    cart: new DataLoader<string, CartRecord | null>((ids) => carts.read(ids)),
    product: new DataLoader<string, CatalogueProduct | null>(async (ids) => {
      try {
        return await fetchProducts(products, ids, request.requestId);
      } catch (error) {
        request.log.warn({ err: error, products: ids.length }, "catalogue unavailable: cart prices not shown");
        throw error;
      }
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
