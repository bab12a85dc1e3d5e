import type { WishlistItemResolvers } from "../__generated__/resolvers-types.js";

export const WishlistItem: WishlistItemResolvers = {
  product: (item) => ({ id: item.productId }),
};
