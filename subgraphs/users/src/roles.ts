import type { UserCaller } from "@fv/platform";

/** Roles, lowest to highest, as stored in the database and carried by tokens and events. */
export { ROLES, type Role as RoleValue } from "@fv/platform";

/**
 * Why `actor` may not set `targetUserId`'s role, or null when they may. Only an admin changes
 * roles, and never their own: no one can raise themselves, and the last admin cannot be demoted
 * by mistake.
 */
export function roleChangeRefusal(actor: UserCaller, targetUserId: string): string | null {
  if (!actor.permissions.has("users:manage_roles")) return "Requires the users:manage_roles permission";
  if (actor.userId === targetUserId) return "Nobody may change their own role";
  return null;
}
