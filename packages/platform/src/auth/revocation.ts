import type { Redis } from "ioredis";
import { GraphQLError } from "graphql";
import type { Logger } from "../logger.js";
import type { UserCaller } from "./caller.js";
import { ACCESS_TOKEN_TTL_SECONDS, type VerifyAccessToken } from "./tokens.js";

/*
 * Access tokens are verified by signature alone, so a signed-out session's token, or a token
 * carrying a role the person no longer has, would stay good until it expires (15 minutes). auth
 * marks what it revokes in Redis; the router, where every outside request arrives, refuses
 * tokens so marked. A mark lives as long as the tokens it concerns could.
 *
 * Keys (on a connection whose keyPrefix is the deployment's EVENTS_PREFIX, shared by auth and router):
 *   revoked:session:<sessionId>   "1"       the session was signed out: all its access tokens
 *   revoked:user:<userId>         seconds   every access token of the person issued before then
 */
const MARK_TTL_SECONDS = ACCESS_TOKEN_TTL_SECONDS + 60;
const sessionKey = (sessionId: string) => `revoked:session:${sessionId}`;
const userKey = (userId: string) => `revoked:user:${userId.toLowerCase()}`;

/** Marks the access tokens of these sessions revoked (sign-out, password change or reset). */
export async function revokeSessionTokens(redis: Redis, sessionIds: readonly string[]): Promise<void> {
  if (sessionIds.length === 0) return;
  const batch = redis.multi();
  for (const id of sessionIds) batch.set(sessionKey(id), "1", "EX", MARK_TTL_SECONDS);
  await batch.exec();
}

/** Marks every access token of a person issued before `before` revoked (a role change). */
export async function revokeUserTokensBefore(redis: Redis, userId: string, before: Date): Promise<void> {
  // Whole seconds, as `iat` is: rounded down, so a token issued right after the change (a refresh within
  // the same second) is not refused too; one issued earlier in that same second slips through.
  await redis.set(userKey(userId), String(Math.floor(before.getTime() / 1000)), "EX", MARK_TTL_SECONDS);
}

/** Whether a verified caller's token has been revoked since it was issued. */
export async function isRevoked(redis: Redis, caller: UserCaller): Promise<boolean> {
  const [session, before] = await redis.mget(sessionKey(caller.sessionId), userKey(caller.userId));
  if (session !== null) return true;
  return before !== null && (caller.issuedAt ?? 0) < Number(before);
}

/**
 * A token verifier that also refuses revoked tokens. If Redis cannot answer, the token is accepted
 * as its signature allows (logged): the marks only shorten a token's life, and an outage of the
 * revocation list must not sign everybody out.
 */
export function withRevocationCheck(verify: VerifyAccessToken, redis: Redis, logger: Logger): VerifyAccessToken {
  return async (token: string) => {
    const caller = await verify(token);
    let revoked = false;
    try {
      revoked = await isRevoked(redis, caller);
    } catch (error) {
      logger.warn({ err: error }, "cannot read the token revocation list; accepting the token as signed");
    }
    if (revoked)
      throw new GraphQLError("Invalid access token: revoked (the session ended or changed); refresh or sign in again", {
        extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
      });
    return caller;
  };
}
