import { eq } from "drizzle-orm";
import { orders } from "../db/schema.js";
import { visibleOrder } from "./Order.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  order: async (_parent, { id }, { loaders, caller }) => visibleOrder(caller, await loaders.order.load(id)),
  orderByNumber: async (_parent, { number }, { db, caller }) => {
    const [row] = await db.select().from(orders).where(eq(orders.number, number.trim().toUpperCase()));
    return visibleOrder(caller, row ?? null);
  },
};
