import { requireUser } from "@fv/platform";
import { customerCartId } from "../store.js";
import type { Context } from "../context.js";
import { visibleCart } from "./Cart.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

/**
 * A cart the caller may use, its lifetime started again: someone looking at their cart is using it.
 * (A reference resolved for another subgraph, `_entities`, is not activity and does not do this.)
 */
async function readAndTouch(id: string, { loaders, caller, carts }: Context) {
  const cart = visibleCart(caller, await loaders.cart.load(id));
  if (cart) await carts.touch(cart);
  return cart;
}

export const Query: QueryResolvers = {
  cart: (_parent, { id }, context) => readAndTouch(id, context),
  myCart: (_parent, _args, context) => readAndTouch(customerCartId(requireUser(context.caller).userId), context),
};
