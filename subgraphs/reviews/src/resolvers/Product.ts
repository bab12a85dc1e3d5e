import type { ProductResolvers } from "../__generated__/resolvers-types.js";
import { reviewPage } from "./review-page.js";

export const Product: ProductResolvers = {
  // Any product id is a product to this subgraph: one without reviews has an empty rating.
  __resolveReference: ({ id }) => ({ id }),
  rating: (product, _args, { loaders }) => loaders.rating.load(product.id),
  // Published reviews only, counted by the rating itself (batched across products), so the two always agree.
  reviews: (product, args, { models, loaders }) =>
    reviewPage(
      models,
      { productId: product.id, status: "PUBLISHED" },
      args,
      async () => (await loaders.rating.load(product.id)).count,
    ),
};
