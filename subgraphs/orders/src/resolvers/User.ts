import { decodeCursor, forbidden, pageSize, requireUser, toConnection } from "@fv/platform";
import { isCreatedCursor } from "../order-lists.js";
import { canViewAllOrders, isSelf } from "../order-access.js";
import type { UserResolvers } from "../__generated__/resolvers-types.js";

/** A user is the users subgraph's; here it is only the key its orders hang from. */
export type UserReference = { id: string };

export const User: UserResolvers = {
  // Nothing to load: every user may have orders, and one without any simply has an empty list.
  __resolveReference: ({ id }) => ({ id }),
  orders: async ({ id }, { first, after }, { loaders, caller }) => {
    // Anonymous: UNAUTHENTICATED; someone else's history without orders:view_all: FORBIDDEN.
    if (!canViewAllOrders(caller) && !isSelf(requireUser(caller), id))
      throw forbidden("You may see only your own orders");
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isCreatedCursor) : null;
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
