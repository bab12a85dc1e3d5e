import type { SessionResolvers } from "../__generated__/resolvers-types.js";

export const Session: SessionResolvers = {
  current: (row, _args, { caller }) => caller.kind === "user" && caller.sessionId === row.id,
};
