import { eq } from "drizzle-orm";
import { orders } from "../db/schema.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  order: (_parent, { id }, { loaders }) => loaders.order.load(id),
  orderByNumber: async (_parent, { number }, { db }) => {
    const [row] = await db.select().from(orders).where(eq(orders.number, number.trim().toUpperCase()));
    return row ?? null;
  },
};
