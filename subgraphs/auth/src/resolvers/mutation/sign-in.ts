import { eq } from "drizzle-orm";
import { normalizeEmail, unauthenticated } from "@fv/platform";
import { credentials, type AccountRow } from "../../db/schema.js";
import { hashPassword, needsRehash, verifyPasswordOfAccount } from "../../password.js";
import { passwordCheckSubjects } from "../../rate-limits.js";
import { rotateRefreshToken, type IssuedRefreshToken, type RotationResult } from "../../refresh-tokens.js";
import { startSession } from "../../sessions.js";
import { invalidCredentials, tooManyAttempts } from "../../user-errors.js";
import type { AuthSettings } from "../../context.js";
import { signInFailures } from "../../metrics.js";
import type { MutationResolvers } from "../../__generated__/resolvers-types.js";

const failed = (error: ReturnType<typeof invalidCredentials>) => {
  signInFailures.inc({ reason: error.code.toLowerCase() });
  return refusal(error);
};

const refusal = (error: ReturnType<typeof invalidCredentials>) => ({
  accessToken: null,
  refreshToken: null,
  expiresAt: null,
  refreshTokenExpiresAt: null,
  account: null,
  errors: [error],
});

async function signedIn(settings: AuthSettings, account: AccountRow, sessionId: string, refresh: IssuedRefreshToken) {
  const access = await settings.issueAccessToken({ accountId: account.id, role: account.role, sessionId });
  return {
    accessToken: access.token,
    refreshToken: refresh.token,
    expiresAt: access.expiresAt,
    refreshTokenExpiresAt: refresh.expiresAt,
    account,
    errors: [],
  };
}

/**
 * Every attempt is counted per email and per client address before the password is checked, and
 * given back when it succeeds: only failures use up the limit, and parallel guesses cannot slip
 * under it. An unknown email costs the same scrypt work and gets the same error.
 */
export const login: MutationResolvers["login"] = async (_parent, { input }, ctx) => {
  const { db, limiters, settings, clientAddress, headers } = ctx;
  const email = normalizeEmail(input.email);
  const attempt = await limiters.passwordFailures.attempt(...passwordCheckSubjects(email, clientAddress));
  if (!attempt.allowed) return failed(tooManyAttempts(null, "failed sign-in attempts", attempt.retryAfterSeconds));

  const [account] = await db.select().from(credentials).where(eq(credentials.email, email));
  const valid = await verifyPasswordOfAccount(input.password, account?.passwordHash);
  if (!account || !valid) return failed(invalidCredentials());
  await attempt.refund();

  if (needsRehash(account.passwordHash)) {
    const passwordHash = await hashPassword(input.password);
    await db.update(credentials).set({ passwordHash }).where(eq(credentials.id, account.id));
  }
  const device = { userAgent: headers["user-agent"], clientAddress };
  const { session, refreshToken } = await db.transaction((tx) =>
    startSession(tx, account.id, device, settings.refreshTokenTtlDays, new Date()),
  );
  return signedIn(settings, account, session.id, refreshToken);
};

const REFUSED: Record<Extract<RotationResult, { ok: false }>["verdict"], string> = {
  unknown: "This refresh token is not valid: sign in again",
  expired: "This refresh token has expired: sign in again",
  revoked: "This session was signed out: sign in again",
  reused: "This refresh token was already used, so its session was signed out to protect you: sign in again",
};

/** Refusals are UNAUTHENTICATED errors: the client's only way forward is to sign in again. */
export const refreshSession: MutationResolvers["refreshSession"] = async (
  _parent,
  { refreshToken },
  { db, loaders, settings },
) => {
  const rotation = await rotateRefreshToken(db, refreshToken, settings.refreshTokenTtlDays, new Date());
  if (!rotation.ok) throw unauthenticated(REFUSED[rotation.verdict]);
  const account = await loaders.account.load(rotation.session.accountId);
  if (!account) throw unauthenticated(REFUSED.unknown);
  return signedIn(settings, account, rotation.session.id, rotation.refreshToken);
};
