import { discountPercent } from "../pricing.js";
import type { ProductResolvers } from "../__generated__/resolvers-types.js";

export const Product: ProductResolvers = {
  __resolveReference: async ({ id }, { loaders }) => {
    const row = await loaders.product.load(id);
    // Inactive products stay resolvable for carts and orders that reference them; storefront
    // queries filter them out.
    return row;
  },
  discountPercent: (row) => discountPercent(row.price, row.compareAtPrice),
  inStock: (row) => row.stockOnHand > 0,
  category: async (row, _args, { loaders }) => {
    const category = await loaders.category.load(row.categoryId);
    if (!category) throw new Error(`category ${row.categoryId} of product ${row.id} is missing`);
    return category;
  },
};
