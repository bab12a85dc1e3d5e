import { decodeCursor, pageSize, toConnection } from "@fv/platform";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";
import { canReadAccount } from "../account-access.js";
import { isUuid } from "../loaders.js";
import { liveSessionsPage, requireLiveSession, type SessionCursor } from "../sessions.js";

const isSessionCursor = (v: unknown): v is SessionCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  isUuid(v[1]);

export const Query: QueryResolvers = {
  viewerAccount: (_parent, _args, { caller, loaders }) =>
    caller.kind === "user" ? loaders.account.load(caller.userId) : null,
  account: (_parent, { id }, { caller, loaders }) => (canReadAccount(caller, id) ? loaders.account.load(id) : null),
  sessions: async (_parent, { first, after }, { caller, loaders, db }) => {
    const now = new Date();
    const { user } = await requireLiveSession(caller, loaders, now);
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isSessionCursor) : null;
    const { rows, totalCount } = await liveSessionsPage(db, user.userId, size, cursor, now);
    return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id], cursor !== null, totalCount);
  },
};
