import { and, asc, count, eq } from "drizzle-orm";
import { requireUser, userError, type UserError } from "@fv/platform";
import { addresses, users, type AddressRow } from "../db/schema.js";
import { MAX_ADDRESSES_PER_USER, validateAddress, type AddressInput } from "../address.js";
import { isUuid } from "../loaders.js";
import type { Context, UsersDb } from "../context.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";
import { addressNotFound, inputErrors, profileNotReady } from "./user-errors.js";

type Tx = Parameters<Parameters<UsersDb["transaction"]>[0]>[0];
type Outcome<T> = { ok: T } | { errors: UserError[] };

/**
 * Runs `change` on the caller's own addresses with their profile row locked: every address change
 * of one person is serialized, so the limit and the single default hold under concurrency. Only
 * rows with the caller's user id are ever read or written: another person's address id finds
 * nothing.
 */
async function withOwnAddresses<T>(
  { db }: Context,
  userId: string,
  change: (tx: Tx) => Promise<Outcome<T>>,
): Promise<Outcome<T>> {
  return db.transaction(async (tx) => {
    const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!owner) return { errors: [profileNotReady()] };
    return change(tx);
  });
}

const ownAddress = async (tx: Tx, userId: string, id: string) => {
  const [row] = await tx
    .select()
    .from(addresses)
    .where(and(eq(addresses.id, id), eq(addresses.userId, userId)));
  return row;
};

const unsetDefault = (tx: Tx, userId: string) =>
  tx
    .update(addresses)
    .set({ isDefault: false })
    .where(and(eq(addresses.userId, userId), eq(addresses.isDefault, true)));

/** The payload: the address and its owner read again after the commit (defaults may have moved). */
async function payload<T extends { address?: AddressRow; removedAddressId?: string }>(
  { loaders }: Context,
  userId: string,
  outcome: Outcome<T>,
) {
  if ("errors" in outcome) return { address: null, removedAddressId: null, user: null, errors: outcome.errors };
  loaders.user.clear(userId);
  loaders.addressesByUser.clear(userId);
  return { address: null, removedAddressId: null, ...outcome.ok, user: await loaders.user.load(userId), errors: [] };
}

export const addressMutations: Pick<
  MutationResolvers,
  "addAddress" | "updateAddress" | "removeAddress" | "setDefaultAddress"
> = {
  addAddress: async (_parent, { input }, context) => {
    const me = requireUser(context.caller);
    const validated = validateAddress(input);
    if (!validated.address) return { address: null, user: null, errors: inputErrors(validated.problems) };
    const { address } = validated;
    const outcome = await withOwnAddresses<{ address: AddressRow }>(context, me.userId, async (tx) => {
      const [existing] = await tx.select({ n: count() }).from(addresses).where(eq(addresses.userId, me.userId));
      const stored = existing?.n ?? 0;
      if (stored >= MAX_ADDRESSES_PER_USER)
        return {
          errors: [
            userError(
              null,
              "ADDRESS_LIMIT",
              `a person may keep at most ${MAX_ADDRESSES_PER_USER} addresses: remove one to add another`,
            ),
          ],
        };
      const isDefault = stored === 0 || input.makeDefault === true;
      if (isDefault) await unsetDefault(tx, me.userId);
      const [row] = await tx
        .insert(addresses)
        .values({ ...address, userId: me.userId, isDefault })
        .returning();
      return { ok: { address: row! } };
    });
    return payload(context, me.userId, outcome);
  },

  updateAddress: async (_parent, { id, input }, context) => {
    const me = requireUser(context.caller);
    if (!isUuid(id)) return { address: null, user: null, errors: [addressNotFound()] };
    const outcome = await withOwnAddresses<{ address: AddressRow }>(context, me.userId, async (tx) => {
      const current = await ownAddress(tx, me.userId, id);
      if (!current) return { errors: [addressNotFound()] };
      const merged: AddressInput = {
        label: input.label === undefined ? current.label : input.label,
        street: input.street ?? current.street,
        commune: input.commune ?? current.commune,
        notes: input.notes === undefined ? current.notes : input.notes,
      };
      const validated = validateAddress(merged);
      if (!validated.address) return { errors: inputErrors(validated.problems) };
      const [row] = await tx
        .update(addresses)
        .set(validated.address)
        .where(and(eq(addresses.id, id), eq(addresses.userId, me.userId)))
        .returning();
      return { ok: { address: row! } };
    });
    return payload(context, me.userId, outcome);
  },

  removeAddress: async (_parent, { id }, context) => {
    const me = requireUser(context.caller);
    if (!isUuid(id)) return { removedAddressId: null, user: null, errors: [addressNotFound()] };
    const outcome = await withOwnAddresses<{ removedAddressId: string }>(context, me.userId, async (tx) => {
      const [removed] = await tx
        .delete(addresses)
        .where(and(eq(addresses.id, id), eq(addresses.userId, me.userId)))
        .returning();
      if (!removed) return { errors: [addressNotFound()] };
      if (removed.isDefault) {
        // A person with addresses always has a default: the oldest remaining one takes over.
        const [oldest] = await tx
          .select({ id: addresses.id })
          .from(addresses)
          .where(eq(addresses.userId, me.userId))
          .orderBy(asc(addresses.createdAt), asc(addresses.id))
          .limit(1);
        if (oldest) await tx.update(addresses).set({ isDefault: true }).where(eq(addresses.id, oldest.id));
      }
      return { ok: { removedAddressId: removed.id } };
    });
    return payload(context, me.userId, outcome);
  },

  setDefaultAddress: async (_parent, { id }, context) => {
    const me = requireUser(context.caller);
    if (!isUuid(id)) return { address: null, user: null, errors: [addressNotFound()] };
    const outcome = await withOwnAddresses<{ address: AddressRow }>(context, me.userId, async (tx) => {
      const current = await ownAddress(tx, me.userId, id);
      if (!current) return { errors: [addressNotFound()] };
      if (current.isDefault) return { ok: { address: current } };
      await unsetDefault(tx, me.userId);
      const [row] = await tx.update(addresses).set({ isDefault: true }).where(eq(addresses.id, id)).returning();
      return { ok: { address: row! } };
    });
    return payload(context, me.userId, outcome);
  },
};
