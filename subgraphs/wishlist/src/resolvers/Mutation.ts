import { PeerError, requireUser, userError } from "@fv/platform";
import { addProduct, ensureWishlist, removeProduct, wishlistHolding } from "../db/operations.js";
import { addToCustomerCart } from "../cart-client.js";
import { checkReferenceId, MAX_WISHLIST_ITEMS } from "../wishlist-rules.js";
import type { Loaders } from "../loaders.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

/** The wishlist as stored now, not as an earlier resolver of this request cached it. */
async function reload(loaders: Loaders, id: string) {
  const wishlist = await loaders.wishlistById.clear(id).load(id);
  if (!wishlist) throw new Error(`wishlist ${id} vanished`);
  return wishlist;
}

const notInWishlist = () => userError("productId", "NOT_IN_WISHLIST", "this product is not in the wishlist");

// All act on the signed-in caller's own wishlist: there is no way to name another one.
export const Mutation: MutationResolvers = {
  addToWishlist: async (_parent, { productId }, { models, loaders, caller }) => {
    const ownerId = requireUser(caller).userId;
    const invalid = checkReferenceId("productId", productId);
    if (invalid) return { wishlist: null, errors: [invalid] };
    const wishlist = await ensureWishlist(models, ownerId);
    const outcome = await addProduct(models, wishlist, productId);
    if (outcome === "ALREADY_IN_WISHLIST")
      return { wishlist: null, errors: [userError("productId", outcome, "this product is already in the wishlist")] };
    if (outcome === "WISHLIST_FULL")
      return {
        wishlist: null,
        errors: [userError("productId", outcome, `a wishlist holds at most ${MAX_WISHLIST_ITEMS} products`)],
      };
    return { wishlist: await reload(loaders, wishlist._id.toHexString()), errors: [] };
  },
  removeFromWishlist: async (_parent, { productId }, { models, loaders, caller }) => {
    const ownerId = requireUser(caller).userId;
    const invalid = checkReferenceId("productId", productId);
    if (invalid) return { wishlist: null, errors: [invalid] };
    const wishlist = await removeProduct(models, ownerId, productId);
    if (!wishlist) return { wishlist: null, errors: [notInWishlist()] };
    return { wishlist: await reload(loaders, wishlist._id.toHexString()), errors: [] };
  },
  /**
   * Cart first, wishlist second: the product leaves the wishlist only after the cart took it, so a
   * failure anywhere leaves it where the customer can still find it. The price of that order: a cart
   * that took the units but whose answer was lost (a timeout) leaves the product in both; moving it
   * again adds it again. Two concurrent moves of one product may likewise both add to the cart.
   */
  moveWishlistItemToCart: async (
    _parent,
    { productId, quantity },
    { models, loaders, caller, cart, requestId, log },
  ) => {
    const ownerId = requireUser(caller).userId;
    const invalid = checkReferenceId("productId", productId);
    if (invalid) return { wishlist: null, cart: null, errors: [invalid] };
    const holding = await wishlistHolding(models, ownerId, productId);
    if (!holding) {
      const wishlist = await loaders.wishlistByOwner.load(ownerId);
      return { wishlist, cart: null, errors: [notInWishlist()] };
    }
    const wishlistId = holding._id.toHexString();
    let answer;
    try {
      answer = await addToCustomerCart(cart, { userId: ownerId, productId, quantity }, requestId);
    } catch (error) {
      if (!(error instanceof PeerError)) throw error;
      log.warn({ err: error, productId }, "cart unavailable: product stays in the wishlist");
      return {
        wishlist: await reload(loaders, wishlistId),
        cart: null,
        errors: [
          userError(
            null,
            "CART_UNAVAILABLE",
            "the cart cannot be reached right now; the product stays in the wishlist. Try again shortly.",
          ),
        ],
      };
    }
    if (answer.errors.length > 0 || !answer.cart)
      return {
        wishlist: await reload(loaders, wishlistId),
        cart: null,
        // The cart's refusals name its own arguments; productId and quantity are this mutation's too.
        errors: answer.errors.map((e) =>
          e.field?.every((f) => f === "productId" || f === "quantity") ? e : { ...e, field: null },
        ),
      };
    // Already gone (a concurrent move or remove) is as good as removed now.
    await removeProduct(models, ownerId, productId);
    return { wishlist: await reload(loaders, wishlistId), cart: { id: answer.cart.id }, errors: [] };
  },
};
