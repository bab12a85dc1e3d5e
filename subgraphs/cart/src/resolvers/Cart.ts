import type { Caller } from "@fv/platform";
import { totalQuantity } from "../cart-rules.js";
import { cartTotals } from "../cart-pricing.js";
import { canUseCart } from "../cart-access.js";
import type { Context } from "../context.js";
import type { CartRecord } from "../store.js";
import type { CartResolvers } from "../__generated__/resolvers-types.js";
import { pricing } from "./CartLine.js";

/** Someone else's cart is, to the caller, a cart that does not exist. */
export const visibleCart = (caller: Caller, cart: CartRecord | null) =>
  cart && canUseCart(caller, cart) ? cart : null;

const totals = async (cart: CartRecord, context: Context) =>
  cartTotals(await Promise.all(cart.lines.map((line) => pricing(line, context))));

export const Cart: CartResolvers = {
  __resolveReference: async ({ id }, { loaders, caller }) => visibleCart(caller, await loaders.cart.load(id)),
  totalQuantity: (cart) => totalQuantity(cart.lines),
  subtotal: async (cart, _args, context) => (await totals(cart, context)).subtotal,
  available: async (cart, _args, context) => (await totals(cart, context)).available,
};
