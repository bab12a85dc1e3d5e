import { eq } from "drizzle-orm";
import { requireUser } from "@fv/platform";
import { users } from "../db/schema.js";
import { validateProfileUpdate } from "../profile.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";
import { inputErrors, profileNotReady } from "./user-errors.js";

export const profileMutations: Pick<MutationResolvers, "updateProfile"> = {
  updateProfile: async (_parent, { input }, { caller, db, loaders }) => {
    const me = requireUser(caller);
    const { changes, problems } = validateProfileUpdate(input);
    if (problems.length) return { user: null, errors: inputErrors(problems) };
    const [row] = Object.keys(changes).length
      ? await db.update(users).set(changes).where(eq(users.id, me.userId)).returning()
      : [await loaders.user.load(me.userId)];
    if (!row) return { user: null, errors: [profileNotReady()] };
    loaders.user.clear(me.userId).prime(me.userId, row);
    return { user: row, errors: [] };
  },
};
