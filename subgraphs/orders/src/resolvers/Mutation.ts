import { userError, type UserError } from "@fv/platform";
import { isUuid } from "../loaders.js";
import { changeOrderStatus, insertDraftOrder, SYSTEM_ACTOR } from "../orders.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;
const MAX_NOTE_LENGTH = 1_000;

export const Mutation: MutationResolvers = {
  createDraftOrder: async (_parent, { input }, { db }) => {
    const errors: UserError[] = [];
    const buyerEmail = input.buyerEmail.trim();
    if (!EMAIL.test(buyerEmail) || buyerEmail.length > MAX_EMAIL_LENGTH)
      errors.push(userError(["input", "buyerEmail"], "INVALID_EMAIL", "buyerEmail must be an email address"));
    if (input.customerId != null && !isUuid(input.customerId))
      errors.push(userError(["input", "customerId"], "INVALID_ID", "customerId must be a user id"));
    if (errors.length) return { order: null, errors };
    const order = await insertDraftOrder(db, { buyerEmail, customerId: input.customerId?.toLowerCase() ?? null });
    return { order, errors: [] };
  },

  changeOrderStatus: async (_parent, { id, to, note }, { db }) => {
    const trimmedNote = note?.trim() || null;
    if (trimmedNote && trimmedNote.length > MAX_NOTE_LENGTH)
      return {
        order: null,
        errors: [userError(["note"], "NOTE_TOO_LONG", `note must be at most ${MAX_NOTE_LENGTH} characters`)],
      };
    const notFound = { order: null, errors: [userError(["id"], "ORDER_NOT_FOUND", `no order with id "${id}"`)] };
    if (!isUuid(id)) return notFound;
    // changedBy becomes the signed-in staff member or customer once identity reaches this subgraph.
    const result = await changeOrderStatus(db, { orderId: id, to, note: trimmedNote, changedBy: SYSTEM_ACTOR });
    if (result.ok) return { order: result.order, errors: [] };
    if (result.code === "ORDER_NOT_FOUND") return notFound;
    return {
      order: null,
      errors: [userError(["to"], "INVALID_TRANSITION", `an order cannot go from ${result.from} to ${to}`)],
    };
  },
};
