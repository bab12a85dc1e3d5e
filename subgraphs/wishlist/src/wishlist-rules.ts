import { userError, type Caller, type UserError } from "@fv/platform";

export const MAX_WISHLIST_ITEMS = 100;

/** Ids of other subgraphs' records (users, products) are opaque, but never free text. */
const REFERENCE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export function checkReferenceId(field: string, value: string): UserError | null {
  return REFERENCE_ID.test(value)
    ? null
    : userError(field, "INVALID_ID", `${field} must be 1 to 64 letters, digits or . _ : -`);
}

export interface StoredItemSlot {
  productId: string;
  slot: number;
}

export type AdditionPlan =
  { kind: "ALREADY_IN_WISHLIST" } | { kind: "WISHLIST_FULL" } | { kind: "INSERT"; slot: number };

/**
 * Decides how to add a product to a wishlist holding `items`. Every item occupies one of
 * MAX_WISHLIST_ITEMS numbered slots, unique per wishlist in the store, so that concurrent adds
 * can never exceed the limit: two adds choosing the same slot collide and the loser looks again.
 * A random free slot keeps concurrent adds of different products from colliding needlessly.
 */
export function planAddition(
  items: readonly StoredItemSlot[],
  productId: string,
  random: () => number = Math.random,
): AdditionPlan {
  if (items.some((item) => item.productId === productId)) return { kind: "ALREADY_IN_WISHLIST" };
  const taken = new Set(items.map((item) => item.slot));
  const free: number[] = [];
  for (let slot = 0; slot < MAX_WISHLIST_ITEMS; slot++) if (!taken.has(slot)) free.push(slot);
  if (free.length === 0) return { kind: "WISHLIST_FULL" };
  return { kind: "INSERT", slot: free[Math.min(free.length - 1, Math.floor(random() * free.length))]! };
}

/**
 * A wishlist is its owner's alone: to anyone else, staff and other services included, it does not
 * exist. Nobody else has a use for it.
 */
export const ownsWishlist = (caller: Caller, wishlist: { ownerId: string }) =>
  caller.kind === "user" && caller.userId === wishlist.ownerId;
