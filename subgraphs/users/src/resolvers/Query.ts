import { and, count, desc, eq, lt, or } from "drizzle-orm";
import { decodeCursor, pageSize, toConnection } from "@fv/platform";
import { users } from "../db/schema.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

type UserCursor = [string, string];
const isUserCursor = (v: unknown): v is UserCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v[1]);

export const Query: QueryResolvers = {
  user: (_parent, { id }, { loaders }) => loaders.user.load(id),
  users: async (_parent, { first, after }, { db }) => {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isUserCursor) : null;
    const afterCursor = cursor
      ? or(
          lt(users.createdAt, new Date(cursor[0])),
          and(eq(users.createdAt, new Date(cursor[0])), lt(users.id, cursor[1])),
        )
      : undefined;
    const [rows, [total]] = await Promise.all([
      db
        .select()
        .from(users)
        .where(afterCursor)
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(size + 1),
      db.select({ n: count() }).from(users),
    ]);
    return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id], cursor !== null, total?.n ?? 0);
  },
};
