import { hasPermission, type Caller } from "@fv/platform";

/**
 * Who may read an account: its owner, staff who may view every user, and other services. Anyone
 * else gets null, as if it did not exist (by id and through _entities alike).
 */
export const canReadAccount = (caller: Caller, accountId: string) =>
  caller.kind === "service" ||
  (caller.kind === "user" && (caller.userId === accountId || hasPermission(caller, "users:view_all")));
