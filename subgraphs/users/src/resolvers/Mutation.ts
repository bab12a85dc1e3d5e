import { and, count, eq } from "drizzle-orm";
import { userError } from "@fv/platform";
import { addresses, users } from "../db/schema.js";
import { MAX_ADDRESSES_PER_USER, validateAddress } from "../address.js";
import { isUuid } from "../loaders.js";
import { validateProfile } from "../profile.js";
import type { Problem } from "../problem.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const inputErrors = (problems: Problem[]) => problems.map((p) => userError(["input", p.field], p.code, p.message));

const emailTaken = () => ({
  user: null,
  errors: [userError(["input", "email"], "EMAIL_TAKEN", "a profile with this email already exists")],
});

const userNotFound = () => ({
  address: null,
  errors: [userError(["userId"], "USER_NOT_FOUND", "no user with this id")],
});

export const Mutation: MutationResolvers = {
  createUserProfile: async (_parent, { input }, { db }) => {
    const { profile, problems } = validateProfile(input);
    if (problems.length) return { user: null, errors: inputErrors(problems) };
    const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, profile.email));
    if (existing) return emailTaken();
    // A concurrent registration of the same email passes the check above; the constraint settles it.
    const [user] = await db.insert(users).values(profile).onConflictDoNothing({ target: users.email }).returning();
    if (!user) return emailTaken();
    return { user, errors: [] };
  },

  addAddress: async (_parent, { userId, input }, { db }) => {
    const validated = validateAddress(input);
    if (!validated.address) return { address: null, errors: inputErrors(validated.problems) };
    if (!isUuid(userId)) return userNotFound();
    const { address } = validated;

    // Locking the user row serializes concurrent additions for one person, so the count below
    // stays true until this transaction commits: the limit holds under concurrency.
    const outcome = await db.transaction(async (tx) => {
      const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
      if (!owner) return "USER_NOT_FOUND" as const;
      const [existing] = await tx.select({ n: count() }).from(addresses).where(eq(addresses.userId, userId));
      const stored = existing?.n ?? 0;
      if (stored >= MAX_ADDRESSES_PER_USER) return "ADDRESS_LIMIT" as const;
      const isDefault = stored === 0 || input.makeDefault === true;
      if (isDefault && stored > 0)
        await tx
          .update(addresses)
          .set({ isDefault: false })
          .where(and(eq(addresses.userId, userId), eq(addresses.isDefault, true)));
      const [row] = await tx
        .insert(addresses)
        .values({ ...address, userId, isDefault })
        .returning();
      return row!;
    });

    if (outcome === "USER_NOT_FOUND") return userNotFound();
    if (outcome === "ADDRESS_LIMIT")
      return {
        address: null,
        errors: [
          userError(
            ["userId"],
            "ADDRESS_LIMIT",
            `a person may keep at most ${MAX_ADDRESSES_PER_USER} addresses: remove one to add another`,
          ),
        ],
      };
    return { address: outcome, errors: [] };
  },
};
