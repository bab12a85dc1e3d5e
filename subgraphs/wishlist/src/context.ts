import type { PeerClient, RequestContext } from "@fv/platform";
import type { Models } from "./db/wishlist.js";
import type { Loaders } from "./loaders.js";

export interface Context extends RequestContext {
  models: Models;
  loaders: Loaders;
  /** The cart subgraph, for moveWishlistItemToCart. */
  cart: PeerClient;
}
