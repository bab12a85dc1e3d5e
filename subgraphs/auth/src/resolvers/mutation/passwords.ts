import { eq } from "drizzle-orm";
import { STREAMS, enqueueEvent, isValidEmail, normalizeEmail, revokeSessionTokens, userError } from "@fv/platform";
import { credentials } from "../../db/schema.js";
import { passwordResetRequested } from "../../auth-events.js";
import { consumeOneTimeToken, issueOneTimeToken, peekOneTimeToken } from "../../one-time-tokens.js";
import { hashPassword, verifyPassword } from "../../password.js";
import { describePasswordProblems, passwordProblems } from "../../password-policy.js";
import { emailSubject, passwordCheckSubjects } from "../../rate-limits.js";
import { requireLiveSession, revokeSessions } from "../../sessions.js";
import { tooManyAttempts, unusableToken } from "../../user-errors.js";
import type { MutationResolvers } from "../../__generated__/resolvers-types.js";

const weakPassword = (field: string, problems: string[]) =>
  userError([field], "WEAK_PASSWORD", describePasswordProblems(problems));

/**
 * The same answer whether or not an account has the email: only the format and the request
 * limit (counted per email, account or not) can refuse it.
 */
export const requestPasswordReset: MutationResolvers["requestPasswordReset"] = async (
  _parent,
  args,
  { db, limiters, settings },
) => {
  const email = normalizeEmail(args.email);
  if (!isValidEmail(email))
    return { success: false, errors: [userError(["email"], "INVALID_EMAIL", "email must look like name@example.cl")] };
  const attempt = await limiters.emailRequests.attempt(`reset:${emailSubject(email)}`);
  if (!attempt.allowed)
    return {
      success: false,
      errors: [tooManyAttempts(["email"], "password reset requests for this email", attempt.retryAfterSeconds)],
    };
  const [account] = await db.select().from(credentials).where(eq(credentials.email, email));
  if (account) {
    await db.transaction(async (tx) => {
      const reset = await issueOneTimeToken(tx, "reset", account.id, new Date());
      await enqueueEvent(
        tx,
        STREAMS.auth,
        passwordResetRequested({ userId: account.id, email, ...reset }, settings.publicAppUrl),
      );
    });
  }
  return { success: true, errors: [] };
};

/** A reset proves control of the mailbox, not of the sessions: every session is signed out. */
export const resetPassword: MutationResolvers["resetPassword"] = async (
  _parent,
  { token, newPassword },
  { db, loaders, revocations },
) => {
  // Checked before it is used, so a weak new password does not spend the link.
  const peeked = await peekOneTimeToken(db, "reset", token, new Date());
  if (peeked.verdict !== "valid") return { account: null, errors: [unusableToken(peeked.verdict, "reset")] };
  const account = await loaders.account.load(peeked.accountId);
  if (!account) return { account: null, errors: [unusableToken("invalid", "reset")] };
  const problems = passwordProblems(newPassword, account.email);
  if (problems.length) return { account: null, errors: [weakPassword("newPassword", problems)] };

  const passwordHash = await hashPassword(newPassword);
  const result = await db.transaction(async (tx) => {
    const now = new Date();
    // Again, locked: the same link used twice at once works once.
    const used = await consumeOneTimeToken(tx, "reset", token, now);
    if (used.verdict !== "valid") return { account: null, errors: [unusableToken(used.verdict, "reset")], revoked: [] };
    const [updated] = await tx
      .update(credentials)
      .set({ passwordHash })
      .where(eq(credentials.id, used.accountId))
      .returning();
    const revoked = await revokeSessions(tx, used.accountId, "all", now);
    return { account: updated!, errors: [], revoked };
  });
  // After the commit: the sessions are ended whatever happens here; this only ends their access tokens now.
  await revokeSessionTokens(
    revocations,
    result.revoked.map((session) => session.id),
  );
  return { account: result.account, errors: result.errors };
};

/** Counted like sign-in failures: a stolen access token must not become a password oracle. */
export const changePassword: MutationResolvers["changePassword"] = async (
  _parent,
  { currentPassword, newPassword },
  { caller, loaders, db, limiters, clientAddress, revocations },
) => {
  const { user } = await requireLiveSession(caller, loaders);
  const account = await loaders.account.load(user.userId);
  if (!account) throw new Error(`account ${user.userId} of a live session is missing`);
  const attempt = await limiters.passwordFailures.attempt(...passwordCheckSubjects(account.email, clientAddress));
  if (!attempt.allowed)
    return {
      account: null,
      errors: [tooManyAttempts(["currentPassword"], "failed password checks", attempt.retryAfterSeconds)],
    };
  if (!(await verifyPassword(currentPassword, account.passwordHash)))
    return {
      account: null,
      errors: [userError(["currentPassword"], "INVALID_CREDENTIALS", "the current password is not correct")],
    };
  await attempt.refund();
  const problems = passwordProblems(newPassword, account.email);
  if (problems.length) return { account: null, errors: [weakPassword("newPassword", problems)] };
  if (newPassword.normalize("NFC") === currentPassword.normalize("NFC"))
    return {
      account: null,
      errors: [userError(["newPassword"], "SAME_PASSWORD", "the new password must differ from the current one")],
    };

  const passwordHash = await hashPassword(newPassword);
  const { updated, revoked } = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(credentials)
      .set({ passwordHash })
      .where(eq(credentials.id, account.id))
      .returning();
    const revoked = await revokeSessions(tx, account.id, { except: user.sessionId }, new Date());
    return { updated, revoked };
  });
  await revokeSessionTokens(
    revocations,
    revoked.map((session) => session.id),
  );
  return { account: updated!, errors: [] };
};
