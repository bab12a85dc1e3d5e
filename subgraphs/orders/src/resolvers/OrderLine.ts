import type { OrderLineResolvers } from "../__generated__/resolvers-types.js";

/** The `Product` GraphQL type's parent: a key the products subgraph resolves. */
export type ProductReference = { id: string };

export const OrderLine: OrderLineResolvers = {
  product: (line) => ({ id: line.productId }),
};
