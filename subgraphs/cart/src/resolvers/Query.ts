import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  cart: (_parent, { id }, { loaders }) => loaders.cart.load(id),
};
