import { Types } from "@fv/platform";
import { planAddition } from "../wishlist-rules.js";
import { isDuplicateKeyError } from "@fv/platform";
import {
  toWishlistDocument,
  type Models,
  type StoredWishlist,
  type StoredWishlistItem,
  type WishlistDocument,
} from "./wishlist.js";

/** Enough for any realistic burst of one customer's clicks; beyond that it is a fault, not a rule. */
const MAX_ADD_ATTEMPTS = 10;

/** Wishlists with their items, in two queries run in parallel, keyed by wishlist id or owner. */
export async function findWishlists(
  { Wishlist, WishlistItem }: Models,
  by: { ids: Types.ObjectId[] } | { ownerIds: string[] },
): Promise<WishlistDocument[]> {
  const [wishlists, items] = await Promise.all([
    Wishlist.find("ids" in by ? { _id: { $in: by.ids } } : { ownerId: { $in: by.ownerIds } }).lean<StoredWishlist[]>(),
    WishlistItem.find("ids" in by ? { wishlistId: { $in: by.ids } } : { ownerId: { $in: by.ownerIds } }).lean<
      StoredWishlistItem[]
    >(),
  ]);
  return wishlists.map((wishlist) =>
    toWishlistDocument(
      wishlist,
      items.filter((item) => item.wishlistId.equals(wishlist._id)),
    ),
  );
}

/** The owner's wishlist, created on first use. Concurrent first uses meet on the unique ownerId. */
export async function ensureWishlist({ Wishlist }: Models, ownerId: string): Promise<StoredWishlist> {
  const existing = await Wishlist.findOne({ ownerId }).lean<StoredWishlist>();
  if (existing) return existing;
  try {
    return (await Wishlist.create({ ownerId })).toObject();
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const created = await Wishlist.findOne({ ownerId }).lean<StoredWishlist>();
  if (!created) throw new Error(`wishlist of ${ownerId} vanished after a duplicate-key insert`);
  return created;
}

export type AddOutcome = "ADDED" | "ALREADY_IN_WISHLIST" | "WISHLIST_FULL";

/**
 * Adds a product with a plain insert, so the unique indexes decide between concurrent adds: a
 * duplicate key means another add took the product or the slot meanwhile, and the next look
 * tells which.
 */
export async function addProduct(
  { WishlistItem }: Models,
  wishlist: StoredWishlist,
  productId: string,
): Promise<AddOutcome> {
  for (let attempt = 0; attempt < MAX_ADD_ATTEMPTS; attempt++) {
    const items = await WishlistItem.find({ wishlistId: wishlist._id }, { productId: 1, slot: 1 }).lean<
      Pick<StoredWishlistItem, "productId" | "slot">[]
    >();
    const plan = planAddition(items, productId);
    if (plan.kind !== "INSERT") return plan.kind;
    try {
      await WishlistItem.create({ wishlistId: wishlist._id, ownerId: wishlist.ownerId, productId, slot: plan.slot });
      return "ADDED";
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }
  throw new Error(`wishlist ${wishlist._id.toHexString()}: gave up adding after ${MAX_ADD_ATTEMPTS} collisions`);
}

/** Removes a product; false when the owner had not saved it. */
export async function removeProduct({ Wishlist, WishlistItem }: Models, ownerId: string, productId: string) {
  const wishlist = await Wishlist.findOne({ ownerId }).lean<StoredWishlist>();
  if (!wishlist) return null;
  const { deletedCount } = await WishlistItem.deleteOne({ wishlistId: wishlist._id, productId });
  return deletedCount > 0 ? wishlist : null;
}

/** The owner's wishlist when it holds the product; null otherwise. */
export async function wishlistHolding({ Wishlist, WishlistItem }: Models, ownerId: string, productId: string) {
  const wishlist = await Wishlist.findOne({ ownerId }).lean<StoredWishlist>();
  if (!wishlist) return null;
  return (await WishlistItem.exists({ wishlistId: wishlist._id, productId })) ? wishlist : null;
}
