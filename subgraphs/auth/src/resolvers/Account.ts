import type { AccountResolvers } from "../__generated__/resolvers-types.js";
import { canReadAccount } from "../account-access.js";

export const Account: AccountResolvers = {
  // _entities is a door too: an account the caller may not read resolves to null.
  __resolveReference: ({ id }, { caller, loaders }) => (canReadAccount(caller, id) ? loaders.account.load(id) : null),
  emailVerified: (row) => row.emailVerifiedAt !== null,
};
