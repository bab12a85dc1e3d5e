import { forbidden, unauthenticated } from "../errors.js";
import type { Permission, Role } from "./permissions.js";

/** Who is asking, as every resolver sees it. */
export type Caller = AnonymousCaller | UserCaller | ServiceCaller;

export interface AnonymousCaller {
  kind: "anonymous";
}

export interface UserCaller {
  kind: "user";
  userId: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  /** The sign-in session the access token belongs to. */
  sessionId: string;
  /** When the access token was issued (seconds since the epoch), for revocation checks. */
  issuedAt?: number;
}

/** Another subgraph calling with the service credential (orders reserving stock…). */
export interface ServiceCaller {
  kind: "service";
  name: string;
}

export const anonymous: AnonymousCaller = { kind: "anonymous" };

export function requireUser(caller: Caller): UserCaller {
  if (caller.kind !== "user") throw unauthenticated();
  return caller;
}

export const hasPermission = (caller: Caller, permission: Permission) =>
  caller.kind === "user" && caller.permissions.has(permission);

/** The caller holds `permission`: UNAUTHENTICATED when anonymous, FORBIDDEN when lacking it. */
export function requirePermission(caller: Caller, permission: Permission): UserCaller {
  const user = requireUser(caller);
  if (!user.permissions.has(permission)) throw forbidden(`Requires the ${permission} permission`);
  return user;
}

/** The caller is `ownerId` themselves, or holds `permission` over everyone's data. */
export function requireSelfOr(caller: Caller, ownerId: string, permission: Permission): UserCaller {
  const user = requireUser(caller);
  if (user.userId !== ownerId && !user.permissions.has(permission)) throw forbidden();
  return user;
}

export function requireService(caller: Caller): ServiceCaller {
  if (caller.kind !== "service") throw forbidden("Only another service may do this");
  return caller;
}
