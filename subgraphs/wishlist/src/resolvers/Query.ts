import { requireUser } from "@fv/platform";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  wishlist: (_parent, _args, { loaders, caller }) => loaders.wishlistByOwner.load(requireUser(caller).userId),
};
