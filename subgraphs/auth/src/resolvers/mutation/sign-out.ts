import { and, eq } from "drizzle-orm";
import { requireUser, revokeSessionTokens, userError } from "@fv/platform";
import { sessions } from "../../db/schema.js";
import { isUuid } from "../../loaders.js";
import { requireLiveSession, revokeSessions } from "../../sessions.js";
import type { MutationResolvers } from "../../__generated__/resolvers-types.js";

/** Ends the access token's own session; signing out twice is not an error. */
export const logout: MutationResolvers["logout"] = async (_parent, _args, { caller, db, revocations }) => {
  const user = requireUser(caller);
  await revokeSessions(db, user.userId, { only: user.sessionId }, new Date());
  await revokeSessionTokens(revocations, [user.sessionId]);
  return { success: true, errors: [] };
};

export const logoutEverywhere: MutationResolvers["logoutEverywhere"] = async (
  _parent,
  _args,
  { caller, loaders, db, revocations },
) => {
  const { user } = await requireLiveSession(caller, loaders);
  const revoked = await revokeSessions(db, user.userId, "all", new Date());
  await revokeSessionTokens(
    revocations,
    revoked.map((session) => session.id),
  );
  return { revokedSessionCount: revoked.length, errors: [] };
};

const sessionNotFound = () => ({
  session: null,
  errors: [userError(["id"], "SESSION_NOT_FOUND", "you have no session with this id")],
});

/** Another person's session is answered as unknown: ids of others' sessions are not confirmed. */
export const revokeSession: MutationResolvers["revokeSession"] = async (
  _parent,
  { id },
  { caller, loaders, db, revocations },
) => {
  const { user } = await requireLiveSession(caller, loaders);
  if (!isUuid(id)) return sessionNotFound();
  const [revoked] = await revokeSessions(db, user.userId, { only: id }, new Date());
  if (revoked) {
    await revokeSessionTokens(revocations, [revoked.id]);
    return { session: revoked, errors: [] };
  }
  // Already signed out is fine; not one of the caller's is not found.
  const [own] = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, id), eq(sessions.accountId, user.userId)));
  return own ? { session: own, errors: [] } : sessionNotFound();
};
