import type { WishlistResolvers } from "../__generated__/resolvers-types.js";

export const Wishlist: WishlistResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.wishlistById.load(id),
  itemCount: (wishlist) => wishlist.items.length,
};
