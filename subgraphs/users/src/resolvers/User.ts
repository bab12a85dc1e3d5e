import type { RoleValue } from "../roles.js";
import type { Role, UserResolvers } from "../__generated__/resolvers-types.js";

const graphqlRole: Record<RoleValue, Role> = {
  customer: "CUSTOMER",
  delivery: "DELIVERY",
  florist: "FLORIST",
  support: "SUPPORT",
  manager: "MANAGER",
  admin: "ADMIN",
};

export const User: UserResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.user.load(id),
  role: (row) => graphqlRole[row.role],
  addresses: (row, _args, { loaders }) => loaders.addressesByUser.load(row.id),
};
