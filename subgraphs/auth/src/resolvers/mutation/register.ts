import { eq } from "drizzle-orm";
import { STREAMS, enqueueEvent, userError } from "@fv/platform";
import { credentials } from "../../db/schema.js";
import { emailVerificationRequested, userRegistered } from "../../auth-events.js";
import { issueOneTimeToken } from "../../one-time-tokens.js";
import { hashPassword } from "../../password.js";
import { emailSubject } from "../../rate-limits.js";
import { validateRegistration } from "../../registration.js";
import { tooManyAttempts } from "../../user-errors.js";
import type { MutationResolvers } from "../../__generated__/resolvers-types.js";

const emailTaken = () => ({
  account: null,
  errors: [userError(["input", "email"], "EMAIL_TAKEN", "an account with this email already exists")],
});

/**
 * The account, its verification token and both events (to users: the profile; to contact: the
 * email) commit together or not at all.
 */
export const register: MutationResolvers["register"] = async (_parent, { input }, { db, limiters, settings }) => {
  const { registration, errors } = validateRegistration(input);
  const attempt = await limiters.register.attempt(emailSubject(registration.email));
  if (!attempt.allowed)
    return {
      account: null,
      errors: [tooManyAttempts(["input", "email"], "registration attempts for this email", attempt.retryAfterSeconds)],
    };
  if (errors.length) return { account: null, errors };

  const { email, name, phone } = registration;
  // The pre-check spares a slow hash for the common case; the insert below settles races.
  const [existing] = await db.select({ id: credentials.id }).from(credentials).where(eq(credentials.email, email));
  if (existing) return emailTaken();
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  const account = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(credentials)
      .values({ email, passwordHash })
      .onConflictDoNothing({ target: credentials.email })
      .returning();
    if (!created) return null;
    const verification = await issueOneTimeToken(tx, "verify", created.id, now);
    await enqueueEvent(tx, STREAMS.auth, userRegistered({ userId: created.id, email, name, phone }));
    await enqueueEvent(
      tx,
      STREAMS.auth,
      emailVerificationRequested({ userId: created.id, email, ...verification }, settings.publicAppUrl),
    );
    return created;
  });
  if (!account) return emailTaken();
  return { account, errors: [] };
};
