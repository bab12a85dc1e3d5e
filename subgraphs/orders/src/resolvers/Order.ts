import type { Caller } from "@fv/platform";
import { allowedNextStatuses, canViewOrder } from "../order-access.js";
import type { OrderRow } from "../db/schema.js";
import type { OrderResolvers } from "../__generated__/resolvers-types.js";

/** An order the caller may not see is, to them, an order that does not exist. */
export const visibleOrder = (caller: Caller, order: OrderRow | null) =>
  order && canViewOrder(caller, order) ? order : null;

export const Order: OrderResolvers = {
  __resolveReference: async ({ id }, { loaders, caller }) => visibleOrder(caller, await loaders.order.load(id)),
  customer: (row) => (row.customerId ? { id: row.customerId } : null),
  buyer: (row) => ({ name: row.buyerName, email: row.buyerEmail, phone: row.buyerPhone }),
  lines: (row, _args, { loaders }) => loaders.lines.load(row.id),
  delivery: (row) => ({
    method: row.deliveryMethod,
    date: row.deliveryDate ?? "",
    slot: row.deliverySlot,
    recipientName: row.recipientName,
    recipientPhone: row.recipientPhone,
    address:
      row.addressStreet && row.addressCommune
        ? { street: row.addressStreet, commune: row.addressCommune, notes: row.addressNotes }
        : null,
    fee: row.deliveryFee,
    surcharge: row.deliverySurcharge,
  }),
  payment: (row) => ({
    method: row.paymentMethod,
    provider: row.paymentProvider,
    status: row.paymentStatus,
    redirectUrl: row.status === "PENDING_PAYMENT" ? row.paymentRedirectUrl : null,
    expiresAt: row.paymentExpiresAt,
  }),
  statusHistory: async (row, _args, { loaders }) =>
    (await loaders.statusHistory.load(row.id)).map((change) => ({
      from: change.fromStatus,
      to: change.toStatus,
      changedBy: change.changedBy,
      note: change.note,
      changedAt: change.changedAt,
    })),
  nextStatuses: (row, _args, { caller }) => allowedNextStatuses(caller, row),
};
