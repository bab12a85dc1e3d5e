import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { publishedOnly } from "./Review.js";

export const Query: QueryResolvers = {
  review: async (_parent, { id }, { loaders }) => publishedOnly(await loaders.review.load(id)),
};
