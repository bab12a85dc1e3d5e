import type { Caller } from "@fv/platform";

/** The owner a new cart gets, and whose carts a write may touch: the signed-in user, or nobody. */
export const ownerIdOf = (caller: Caller): string | null => (caller.kind === "user" ? caller.userId : null);

/**
 * A guest cart is open to whoever holds its id (that id is the guest's only key, and unguessable);
 * an owned cart only to its owner. Not even staff or other services: nothing needs another person's cart.
 */
export const canUseCart = (caller: Caller, cart: { ownerId: string | null }) =>
  cart.ownerId === null || cart.ownerId === ownerIdOf(caller);
