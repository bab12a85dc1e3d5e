import { decodeCursor, forbidden, pageSize, requireUser, toConnection } from "@fv/platform";
import type { OrderCursor } from "../loaders.js";
import { canViewAllOrders, isSelf } from "../order-access.js";
import type { UserResolvers } from "../__generated__/resolvers-types.js";

/** A user is the users subgraph's; here it is only the key its orders hang from. */
export type UserReference = { id: string };

const isOrderCursor = (v: unknown): v is OrderCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  /^[0-9a-f-]{36}$/i.test(v[1]);

export const User: UserResolvers = {
  // Nothing to load: every user may have orders, and one without any simply has an empty list.
  __resolveReference: ({ id }) => ({ id }),
  orders: async ({ id }, { first, after }, { loaders, caller }) => {
    // Anonymous: UNAUTHENTICATED; someone else's history without orders:view_all: FORBIDDEN.
    if (!canViewAllOrders(caller) && !isSelf(requireUser(caller), id))
      throw forbidden("You may see only your own orders");
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isOrderCursor) : null;
    const page = await loaders.customerOrders.load({ customerId: id.toLowerCase(), size, after: cursor });
    return toConnection(
      page.rows,
      size,
      (row) => [row.createdAt.toISOString(), row.id],
      cursor !== null,
      page.totalCount,
    );
  },
};
