import { requirePermission } from "@fv/platform";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  // A message holds the sender's contact details: support staff only.
  contactMessage: (_parent, { id }, { loaders, caller }) => {
    requirePermission(caller, "contact:view_all");
    return loaders.contactMessage.load(id);
  },
};
