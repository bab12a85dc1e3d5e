import type { AccountResolvers } from "../__generated__/resolvers-types.js";

export const Account: AccountResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.account.load(id),
  emailVerified: (row) => row.emailVerifiedAt !== null,
};
