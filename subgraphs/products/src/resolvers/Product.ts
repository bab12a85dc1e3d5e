import { discountPercent } from "../pricing.js";
import type { ProductResolvers } from "../__generated__/resolvers-types.js";

export const Product: ProductResolvers = {
  // Inactive products stay resolvable as entities: carts and orders that reference them still
  // need their name and price. Storefront queries filter them out.
  __resolveReference: ({ id }, { loaders }) => loaders.product.load(id),
  discountPercent: (row) => discountPercent(row.price, row.compareAtPrice),
  availableQuantity: (row) => Math.max(0, row.stockOnHand - row.reserved),
  inStock: (row) => row.stockOnHand - row.reserved > 0,
  images: (row, _args, { imageBaseUrl }) => row.images.map((i) => ({ url: `${imageBaseUrl}/${i.path}`, alt: i.alt })),
  category: async (row, _args, { loaders }) => {
    const category = await loaders.category.load(row.categoryId);
    if (!category) throw new Error(`category ${row.categoryId} of product ${row.id} is missing`);
    return category;
  },
  occasions: (row, _args, { loaders }) => loaders.occasionsOfProduct.load(row.id),
};
