import { requireUser, userError } from "@fv/platform";
import { addProduct, ensureWishlist, removeProduct } from "../db/operations.js";
import { checkReferenceId, MAX_WISHLIST_ITEMS } from "../wishlist-rules.js";
import type { Loaders } from "../loaders.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

/** The wishlist as stored now, not as an earlier resolver of this request cached it. */
async function reload(loaders: Loaders, id: string) {
  const wishlist = await loaders.wishlistById.clear(id).load(id);
  if (!wishlist) throw new Error(`wishlist ${id} vanished`);
  return wishlist;
}

// Both act on the signed-in caller's own wishlist: there is no way to name another one.
export const Mutation: MutationResolvers = {
  addToWishlist: async (_parent, { productId }, { models, loaders, caller }) => {
    const ownerId = requireUser(caller).userId;
    const invalid = checkReferenceId("productId", productId);
    if (invalid) return { wishlist: null, errors: [invalid] };
    const wishlist = await ensureWishlist(models, ownerId);
    const outcome = await addProduct(models, wishlist, productId);
    if (outcome === "ALREADY_IN_WISHLIST")
      return { wishlist: null, errors: [userError("productId", outcome, "this product is already in the wishlist")] };
    if (outcome === "WISHLIST_FULL")
      return {
        wishlist: null,
        errors: [userError("productId", outcome, `a wishlist holds at most ${MAX_WISHLIST_ITEMS} products`)],
      };
    return { wishlist: await reload(loaders, wishlist._id.toHexString()), errors: [] };
  },
  removeFromWishlist: async (_parent, { productId }, { models, loaders, caller }) => {
    const ownerId = requireUser(caller).userId;
    const invalid = checkReferenceId("productId", productId);
    if (invalid) return { wishlist: null, errors: [invalid] };
    const wishlist = await removeProduct(models, ownerId, productId);
    if (!wishlist)
      return {
        wishlist: null,
        errors: [userError("productId", "NOT_IN_WISHLIST", "this product is not in the wishlist")],
      };
    return { wishlist: await reload(loaders, wishlist._id.toHexString()), errors: [] };
  },
};
