import { forbidden, requireUser, userError, type UserError } from "@fv/platform";
import { isUuid } from "../loaders.js";
import { actorOf, changeOrderStatus, insertDraftOrder } from "../orders.js";
import { decideStatusChange } from "../order-access.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_NOTE_LENGTH = 1_000;

export const Mutation: MutationResolvers = {
  createDraftOrder: async (_parent, { input }, { db, caller }) => {
    const errors: UserError[] = [];
    const buyerEmail = input.buyerEmail.trim();
    if (!EMAIL.test(buyerEmail) || buyerEmail.length > MAX_EMAIL_LENGTH)
      errors.push(userError(["input", "buyerEmail"], "INVALID_EMAIL", "buyerEmail must be an email address"));
    if (errors.length) return { order: null, errors };
    // The customer is whoever is signed in, never a name in the input; anyone else checks out as a guest.
    const customerId = caller.kind === "user" ? caller.userId.toLowerCase() : null;
    if (customerId !== null && !isUuid(customerId))
      throw new Error(`access token subject "${customerId}" is not a user id`);
    const order = await insertDraftOrder(db, { buyerEmail, customerId, createdBy: actorOf(caller) });
    return { order, errors: [] };
  },

  changeOrderStatus: async (_parent, { id, to, note }, { db, caller }) => {
    if (caller.kind !== "service") requireUser(caller);
    const trimmedNote = note?.trim() || null;
    if (trimmedNote && trimmedNote.length > MAX_NOTE_LENGTH)
      return {
        order: null,
        errors: [userError(["note"], "NOTE_TOO_LONG", `note must be at most ${MAX_NOTE_LENGTH} characters`)],
      };
    const notFound = { order: null, errors: [userError(["id"], "ORDER_NOT_FOUND", `no order with id "${id}"`)] };
    if (!isUuid(id)) return notFound;
    const result = await changeOrderStatus(
      db,
      { orderId: id, to, note: trimmedNote, changedBy: actorOf(caller) },
      (current) => decideStatusChange(caller, current, to),
    );
    if (result.ok) return { order: result.order, errors: [] };
    switch (result.code) {
      case "ORDER_NOT_FOUND":
        return notFound;
      case "FORBIDDEN":
        throw forbidden(`You may not move this order from ${result.from} to ${to}`);
      case "NOT_CANCELLABLE":
        return {
          order: null,
          errors: [
            userError(
              ["to"],
              "NOT_CANCELLABLE",
              `an order can be cancelled by its customer only until it is being prepared; it is ${result.from}`,
            ),
          ],
        };
      case "INVALID_TRANSITION":
        return {
          order: null,
          errors: [userError(["to"], "INVALID_TRANSITION", `an order cannot go from ${result.from} to ${to}`)],
        };
    }
  },
};
