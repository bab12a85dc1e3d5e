import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  // The owner becomes the signed-in customer when auth lands; until then the caller names it.
  wishlist: (_parent, { ownerId }, { loaders }) => loaders.wishlistByOwner.load(ownerId),
};
