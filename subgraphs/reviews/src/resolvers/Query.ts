import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { visibleTo } from "./Review.js";

export const Query: QueryResolvers = {
  review: async (_parent, { id }, { loaders, caller }) => visibleTo(caller, await loaders.review.load(id)),
};
