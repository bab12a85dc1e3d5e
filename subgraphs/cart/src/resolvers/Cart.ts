import { totalQuantity } from "../cart-rules.js";
import type { CartResolvers } from "../__generated__/resolvers-types.js";

export const Cart: CartResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.cart.load(id),
  totalQuantity: (cart) => totalQuantity(cart.lines),
};
