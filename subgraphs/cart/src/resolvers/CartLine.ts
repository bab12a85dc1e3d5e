import type { CartLineResolvers } from "../__generated__/resolvers-types.js";

export const CartLine: CartLineResolvers = {
  product: (line) => ({ id: line.productId }),
};
