import DataLoader from "dataloader";
import type { CartRecord, CartStore } from "./store.js";

/** One Redis round-trip per request for all the carts federation asks for. */
export function createLoaders(carts: CartStore) {
  return { cart: new DataLoader<string, CartRecord | null>((ids) => carts.read(ids)) };
}

export type Loaders = ReturnType<typeof createLoaders>;
