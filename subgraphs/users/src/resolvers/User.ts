import { maySeeUser } from "../access.js";
import type { RoleValue } from "../roles.js";
import type { Role, UserResolvers } from "../__generated__/resolvers-types.js";

export const graphqlRole: Record<RoleValue, Role> = {
  customer: "CUSTOMER",
  delivery: "DELIVERY",
  florist: "FLORIST",
  support: "SUPPORT",
  manager: "MANAGER",
  admin: "ADMIN",
};

export const User: UserResolvers = {
  // The router asks here for any id a query names: another person's profile is null, not data.
  __resolveReference: ({ id }, { caller, loaders }) => (maySeeUser(caller, id) ? loaders.user.load(id) : null),
  emailVerified: (row) => row.emailVerifiedAt !== null,
  role: (row) => graphqlRole[row.role],
  addresses: (row, _args, { loaders }) => loaders.addressesByUser.load(row.id),
};
