import { ownsWishlist } from "../wishlist-rules.js";
import type { WishlistResolvers } from "../__generated__/resolvers-types.js";

export const Wishlist: WishlistResolvers = {
  __resolveReference: async ({ id }, { loaders, caller }) => {
    const wishlist = await loaders.wishlistById.load(id);
    return wishlist && ownsWishlist(caller, wishlist) ? wishlist : null;
  },
  itemCount: (wishlist) => wishlist.items.length,
};
