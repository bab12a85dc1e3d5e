import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import { userError, type UserError } from "@fv/platform";
import { credentials } from "../db/schema.js";
import { isValidEmail, normalizeEmail } from "@fv/platform";
import { hashPassword } from "../password.js";
import { describePasswordProblems, passwordProblems } from "../password-policy.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const emailTaken = () => ({
  account: null,
  errors: [userError(["input", "email"], "EMAIL_TAKEN", "an account with this email already exists")],
});

// Keys hold a digest, not the address: no personal data in Redis and a bounded key length.
const limiterSubject = (email: string) => createHash("sha256").update(email).digest("base64url");

export const Mutation: MutationResolvers = {
  register: async (_parent, { input }, { db, registerLimiter }) => {
    const email = normalizeEmail(input.email);
    const verdict = await registerLimiter.attempt(limiterSubject(email));
    if (!verdict.allowed) {
      const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
      const message = `too many registration attempts for this email: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`;
      return { account: null, errors: [userError(["input", "email"], "TOO_MANY_ATTEMPTS", message)] };
    }

    const errors: UserError[] = [];
    if (!isValidEmail(email))
      errors.push(userError(["input", "email"], "INVALID_EMAIL", "email must look like name@example.cl"));
    const problems = passwordProblems(input.password, email);
    if (problems.length)
      errors.push(userError(["input", "password"], "WEAK_PASSWORD", describePasswordProblems(problems)));
    if (errors.length) return { account: null, errors };

    // The pre-check spares a slow hash for the common case; the insert below settles races.
    const [existing] = await db.select({ id: credentials.id }).from(credentials).where(eq(credentials.email, email));
    if (existing) return emailTaken();
    const passwordHash = await hashPassword(input.password);
    const [account] = await db
      .insert(credentials)
      .values({ email, passwordHash })
      .onConflictDoNothing({ target: credentials.email })
      .returning();
    if (!account) return emailTaken();
    return { account, errors: [] };
  },
};
