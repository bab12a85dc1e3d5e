import DataLoader from "dataloader";
import { Types } from "@fv/platform";
import { isObjectId } from "@fv/platform";
import { findWishlists } from "./db/operations.js";
import type { Models, WishlistDocument } from "./db/wishlist.js";

/** One round trip per request for all the wishlists asked for, by id (federation) or by owner. */
export function createLoaders(models: Models) {
  return {
    wishlistById: new DataLoader<string, WishlistDocument | null>(async (ids) => {
      const valid = ids.filter(isObjectId).map((id) => new Types.ObjectId(id));
      const found = valid.length ? await findWishlists(models, { ids: valid }) : [];
      const byId = new Map(found.map((wishlist) => [wishlist.id, wishlist]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
    wishlistByOwner: new DataLoader<string, WishlistDocument | null>(async (ownerIds) => {
      const found = await findWishlists(models, { ownerIds: [...ownerIds] });
      const byOwner = new Map(found.map((wishlist) => [wishlist.ownerId, wishlist]));
      return ownerIds.map((ownerId) => byOwner.get(ownerId) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
