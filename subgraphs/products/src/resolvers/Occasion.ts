import type { OccasionResolvers } from "../__generated__/resolvers-types.js";

export const Occasion: OccasionResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.occasion.load(id),
  productCount: (row, _args, { loaders }) => loaders.activeCountByOccasion.load(row.id),
};
