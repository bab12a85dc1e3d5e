import type { Caller } from "@fv/platform";
import { totalQuantity } from "../cart-rules.js";
import { canUseCart } from "../cart-access.js";
import type { CartRecord } from "../store.js";
import type { CartResolvers } from "../__generated__/resolvers-types.js";

/** Someone else's cart is, to the caller, a cart that does not exist. */
export const visibleCart = (caller: Caller, cart: CartRecord | null) =>
  cart && canUseCart(caller, cart) ? cart : null;

export const Cart: CartResolvers = {
  __resolveReference: async ({ id }, { loaders, caller }) => visibleCart(caller, await loaders.cart.load(id)),
  totalQuantity: (cart) => totalQuantity(cart.lines),
};
