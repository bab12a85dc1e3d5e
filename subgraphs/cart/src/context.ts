import type { RequestContext } from "@fv/platform";
import type { CartStore } from "./store.js";
import type { Loaders } from "./loaders.js";

export interface Context extends RequestContext {
  carts: CartStore;
  loaders: Loaders;
}
