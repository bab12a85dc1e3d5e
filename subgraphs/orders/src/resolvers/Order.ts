import { nextStates } from "../order-status.js";
import type { OrderResolvers } from "../__generated__/resolvers-types.js";

export const Order: OrderResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.order.load(id),
  customer: (row) => (row.customerId ? { id: row.customerId } : null),
  statusHistory: async (row, _args, { loaders }) =>
    (await loaders.statusHistory.load(row.id)).map((change) => ({
      from: change.fromStatus,
      to: change.toStatus,
      changedBy: change.changedBy,
      note: change.note,
      changedAt: change.changedAt,
    })),
  nextStatuses: (row) => nextStates[row.status],
};
