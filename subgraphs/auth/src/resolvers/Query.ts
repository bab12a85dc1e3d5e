import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  account: (_parent, { id }, { loaders }) => loaders.account.load(id),
};
