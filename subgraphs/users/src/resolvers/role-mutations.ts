import { forbidden, requireUser, userError } from "@fv/platform";
import { isUuid } from "../loaders.js";
import { roleChangeRefusal, type RoleValue } from "../roles.js";
import { setRole } from "../role-change.js";
import type { MutationResolvers, Role } from "../__generated__/resolvers-types.js";

export type { RoleChangedData } from "../role-change.js";

const storedRole = (role: Role) => role.toLowerCase() as RoleValue;

const userNotFound = () => ({ user: null, errors: [userError(["userId"], "USER_NOT_FOUND", "no user with this id")] });

export const roleMutations: Pick<MutationResolvers, "changeUserRole"> = {
  changeUserRole: async (_parent, { userId, role }, { caller, db, loaders, streams }) => {
    const admin = requireUser(caller);
    const refusal = roleChangeRefusal(admin, userId);
    if (refusal) throw forbidden(refusal);
    if (!isUuid(userId)) return userNotFound();
    const result = await setRole(db, {
      userId,
      role: storedRole(role),
      changedBy: admin.userId,
      usersStream: streams.users,
    });
    if (!result) return userNotFound();
    loaders.user.clear(userId).prime(userId, result.user);
    return { user: result.user, errors: [] };
  },
};
