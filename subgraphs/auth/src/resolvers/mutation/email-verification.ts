import { eq } from "drizzle-orm";
import { STREAMS, enqueueEvent, userError } from "@fv/platform";
import { credentials } from "../../db/schema.js";
import { emailVerificationRequested, emailVerified } from "../../auth-events.js";
import { consumeOneTimeToken, issueOneTimeToken } from "../../one-time-tokens.js";
import { accountSubject } from "../../rate-limits.js";
import { requireLiveSession } from "../../sessions.js";
import { tooManyAttempts, unusableToken } from "../../user-errors.js";
import type { MutationResolvers } from "../../__generated__/resolvers-types.js";

export const requestEmailVerification: MutationResolvers["requestEmailVerification"] = async (
  _parent,
  _args,
  { caller, loaders, db, limiters, settings },
) => {
  const { user } = await requireLiveSession(caller, loaders);
  const account = await loaders.account.load(user.userId);
  if (!account) throw new Error(`account ${user.userId} of a live session is missing`);
  if (account.emailVerifiedAt)
    return { success: false, errors: [userError(null, "EMAIL_ALREADY_VERIFIED", "your email is already verified")] };
  const attempt = await limiters.emailRequests.attempt(`verify:${accountSubject(account.id)}`);
  if (!attempt.allowed)
    return {
      success: false,
      errors: [tooManyAttempts(null, "verification emails requested", attempt.retryAfterSeconds)],
    };
  await db.transaction(async (tx) => {
    const verification = await issueOneTimeToken(tx, "verify", account.id, new Date());
    await enqueueEvent(
      tx,
      STREAMS.auth,
      emailVerificationRequested({ userId: account.id, email: account.email, ...verification }, settings.publicAppUrl),
    );
  });
  return { success: true, errors: [] };
};

/** Needs no sign-in: holding the link proves the mailbox. */
export const verifyEmail: MutationResolvers["verifyEmail"] = (_parent, { token }, { db }) =>
  db.transaction(async (tx) => {
    const now = new Date();
    const used = await consumeOneTimeToken(tx, "verify", token, now);
    if (used.verdict !== "valid") return { account: null, errors: [unusableToken(used.verdict, "verification")] };
    const [account] = await tx
      .update(credentials)
      .set({ emailVerifiedAt: now })
      .where(eq(credentials.id, used.accountId))
      .returning();
    await enqueueEvent(tx, STREAMS.auth, emailVerified({ userId: account!.id, email: account!.email }));
    return { account: account!, errors: [] };
  });
