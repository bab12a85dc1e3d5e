import { hasPermission, type Caller } from "@fv/platform";

/**
 * Who may read a profile: the person themselves, staff who see every profile, and other services
 * (they hold the service credential and act for no one in particular). Anyone else gets null, as
 * if the profile did not exist.
 */
export const maySeeUser = (caller: Caller, userId: string) =>
  caller.kind === "service" ||
  (caller.kind === "user" && (caller.userId === userId || hasPermission(caller, "users:view_all")));
