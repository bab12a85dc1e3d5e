import { userError } from "@fv/platform";
import { addToLine } from "../cart-rules.js";
import { ownerIdOf } from "../cart-access.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

// Product ids are the products subgraph's and opaque here; this only keeps junk out of the hash.
const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;

const cartNotFound = (cartId: string) => ({
  cart: null,
  errors: [userError(["cartId"], "CART_NOT_FOUND", `no cart with id "${cartId}" (it may have expired)`)],
});

export const Mutation: MutationResolvers = {
  createCart: async (_parent, _args, { carts, caller }) => {
    const ownerId = ownerIdOf(caller);
    return { cart: ownerId ? await carts.openCustomerCart(ownerId) : await carts.create(), errors: [] };
  },

  addToCart: async (_parent, { cartId, productId, quantity }, { carts, caller }) => {
    if (!PRODUCT_ID.test(productId))
      return { cart: null, errors: [userError(["productId"], "INVALID_ID", "productId is not a product id")] };
    // Checked against an empty line first, so that a quantity no line could ever take is refused
    // without touching Redis; the store repeats the check against the line's real quantity, atomically.
    const alone = addToLine(0, quantity);
    if (!alone.ok) return { cart: null, errors: [userError(["quantity"], alone.problem.code, alone.problem.message)] };
    const result = await carts.addToLine(cartId, productId, quantity, ownerIdOf(caller));
    if (result.status === "cart_not_found") return cartNotFound(cartId);
    if (result.status === "over_limit") {
      const refused = addToLine(result.current, quantity);
      const problem = refused.ok ? null : refused.problem;
      if (!problem)
        throw new Error(`store refused ${quantity} more on a line of ${result.current}; the rules accept it`);
      return { cart: null, errors: [userError(["quantity"], problem.code, problem.message)] };
    }
    return { cart: result.cart, errors: [] };
  },

  removeFromCart: async (_parent, { cartId, productId }, { carts, caller }) => {
    const cart = await carts.removeLine(cartId, productId, ownerIdOf(caller));
    return cart ? { cart, errors: [] } : cartNotFound(cartId);
  },
};
