import type { CategoryResolvers } from "../__generated__/resolvers-types.js";

export const Category: CategoryResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.category.load(id),
  productCount: (row, _args, { loaders }) => loaders.activeCountByCategory.load(row.id),
};
