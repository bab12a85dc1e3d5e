import { and, count, desc, eq, like, lt, or, type SQL } from "drizzle-orm";
import { badUserInput, decodeCursor, pageSize, requirePermission, toConnection } from "@fv/platform";
import { users } from "../db/schema.js";
import { maySeeUser } from "../access.js";
import { isUuid } from "../loaders.js";
import { MAX_SEARCH_LENGTH, containsPattern, searchWords } from "../search.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

type UserCursor = [string, string];
const isUserCursor = (v: unknown): v is UserCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  isUuid(v[1]);

function searchFilter(search: string | null | undefined): SQL | undefined {
  if (!search) return undefined;
  if ([...search].length > MAX_SEARCH_LENGTH)
    throw badUserInput(`Argument "search" must be at most ${MAX_SEARCH_LENGTH} characters`, "search");
  const words = searchWords(search);
  return words.length ? and(...words.map((word) => like(users.searchKey, containsPattern(word)))) : undefined;
}

export const Query: QueryResolvers = {
  me: (_parent, _args, { caller, loaders }) => (caller.kind === "user" ? loaders.user.load(caller.userId) : null),

  user: (_parent, { id }, { caller, loaders }) => (maySeeUser(caller, id) ? loaders.user.load(id) : null),

  users: async (_parent, { first, after, search }, { caller, db }) => {
    requirePermission(caller, "users:view_all");
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isUserCursor) : null;
    const matching = searchFilter(search);
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
        .where(and(matching, afterCursor))
        .orderBy(desc(users.createdAt), desc(users.id))
        .limit(size + 1),
      db.select({ n: count() }).from(users).where(matching),
    ]);
    return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id], cursor !== null, total?.n ?? 0);
  },
};
