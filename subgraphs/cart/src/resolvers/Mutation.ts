import { requireService, requireUser, userError } from "@fv/platform";
import { addToLine, MAX_LINE_QUANTITY, setLine } from "../cart-rules.js";
import { ownerIdOf } from "../cart-access.js";
import type { AddResult } from "../store.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

// Product ids are the products subgraph's and opaque here; this only keeps junk out of the hash.
const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;
// User ids are the users subgraph's; as product ids, never free text.
const USER_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const cartNotFound = (cartId: string) => ({
  cart: null,
  errors: [userError(["cartId"], "CART_NOT_FOUND", `no cart with id "${cartId}" (it may have expired)`)],
});

const invalidProductId = () => ({
  cart: null,
  errors: [userError(["productId"], "INVALID_ID", "productId is not a product id")],
});

/**
 * Checks an add against an empty line first, so that a quantity no line could ever take is refused
 * without touching Redis, then runs it; the store repeats the check against the line's real quantity,
 * atomically.
 */
async function add(productId: string, quantity: number, run: () => Promise<AddResult>, cartId: string) {
  if (!PRODUCT_ID.test(productId)) return invalidProductId();
  const alone = addToLine(0, quantity);
  if (!alone.ok) return { cart: null, errors: [userError(["quantity"], alone.problem.code, alone.problem.message)] };
  const result = await run();
  if (result.status === "cart_not_found") return cartNotFound(cartId);
  if (result.status === "over_limit") {
    const refused = addToLine(result.current, quantity);
    const problem = refused.ok ? null : refused.problem;
    if (!problem) throw new Error(`store refused ${quantity} more on a line of ${result.current}; the rules accept it`);
    return { cart: null, errors: [userError(["quantity"], problem.code, problem.message)] };
  }
  return { cart: result.cart, errors: [] };
}

export const Mutation: MutationResolvers = {
  createCart: async (_parent, _args, { carts, caller }) => {
    const ownerId = ownerIdOf(caller);
    return { cart: ownerId ? await carts.openCustomerCart(ownerId) : await carts.create(), errors: [] };
  },

  addToCart: (_parent, { cartId, productId, quantity }, { carts, caller }) =>
    add(productId, quantity, () => carts.addToLine(cartId, productId, quantity, ownerIdOf(caller)), cartId),

  updateCartLine: async (_parent, { cartId, productId, quantity }, { carts, caller }) => {
    if (!PRODUCT_ID.test(productId)) return invalidProductId();
    const checked = setLine(quantity);
    if (!checked.ok)
      return { cart: null, errors: [userError(["quantity"], checked.problem.code, checked.problem.message)] };
    const result = await carts.setLine(cartId, productId, quantity, ownerIdOf(caller));
    if (result.status === "cart_not_found") return cartNotFound(cartId);
    if (result.status === "line_not_found")
      return {
        cart: null,
        errors: [
          userError(["productId"], "LINE_NOT_FOUND", "the cart has no line for this product; addToCart adds one"),
        ],
      };
    return { cart: result.cart, errors: [] };
  },

  removeFromCart: async (_parent, { cartId, productId }, { carts, caller }) => {
    const cart = await carts.removeLine(cartId, productId, ownerIdOf(caller));
    return cart ? { cart, errors: [] } : cartNotFound(cartId);
  },

  clearCart: async (_parent, { cartId }, { carts, caller }) => {
    const cart = await carts.clear(cartId, ownerIdOf(caller));
    return cart ? { cart, errors: [] } : cartNotFound(cartId);
  },

  mergeGuestCart: async (_parent, { cartId }, { carts, caller }) => {
    const { userId } = requireUser(caller);
    const result = await carts.mergeGuestCart(cartId, userId);
    if (result.status === "cart_not_found") return { ...cartNotFound(cartId), warnings: [] };
    if (result.status === "own_cart") return { cart: await carts.openCustomerCart(userId), warnings: [], errors: [] };
    return {
      cart: result.cart,
      warnings: result.capped.map(({ productId, requestedQuantity }) => ({
        product: { id: productId },
        code: "QUANTITY_CAPPED",
        message: `the two carts held ${requestedQuantity} units of this product together; a line holds at most ${MAX_LINE_QUANTITY}, so it keeps ${MAX_LINE_QUANTITY}`,
        requestedQuantity,
        quantity: MAX_LINE_QUANTITY,
      })),
      errors: [],
    };
  },

  addToCustomerCart: async (_parent, { userId, productId, quantity }, { carts, caller }) => {
    requireService(caller);
    if (!USER_ID.test(userId))
      return { cart: null, errors: [userError(["userId"], "INVALID_ID", "userId is not a user id")] };
    return add(productId, quantity, () => carts.addToCustomerLine(userId, productId, quantity), userId);
  },
};
