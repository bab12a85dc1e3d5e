import { eq } from "drizzle-orm";
import { enqueueEvent, forbidden, newEvent, requireUser, userError } from "@fv/platform";
import { roleChanges, users } from "../db/schema.js";
import { isUuid } from "../loaders.js";
import { roleChangeRefusal, type RoleValue } from "../roles.js";
import type { MutationResolvers, Role } from "../__generated__/resolvers-types.js";

const storedRole = (role: Role) => role.toLowerCase() as RoleValue;

/** What `users.role_changed` carries: the role as tokens and permissions.ts spell it. */
export interface RoleChangedData {
  userId: string;
  role: RoleValue;
  changedBy: string;
}

const userNotFound = () => ({ user: null, errors: [userError(["userId"], "USER_NOT_FOUND", "no user with this id")] });

export const roleMutations: Pick<MutationResolvers, "changeUserRole"> = {
  changeUserRole: async (_parent, { userId, role }, { caller, db, loaders, streams }) => {
    const admin = requireUser(caller);
    const refusal = roleChangeRefusal(admin, userId);
    if (refusal) throw forbidden(refusal);
    if (!isUuid(userId)) return userNotFound();
    const to = storedRole(role);

    const row = await db.transaction(async (tx) => {
      const [target] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
      // The same role again changes nothing, so it is neither recorded nor announced.
      if (!target || target.role === to) return target ?? null;
      const [updated] = await tx.update(users).set({ role: to }).where(eq(users.id, userId)).returning();
      await tx.insert(roleChanges).values({ userId, fromRole: target.role, toRole: to, changedBy: admin.userId });
      // Committed with the change or not at all; the outbox relay publishes it afterwards.
      await enqueueEvent(
        tx,
        streams.users,
        newEvent<RoleChangedData>("users.role_changed", { userId, role: to, changedBy: admin.userId }),
      );
      return updated!;
    });

    if (!row) return userNotFound();
    loaders.user.clear(userId).prime(userId, row);
    return { user: row, errors: [] };
  },
};
