import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  // Support staff only, once auth lands: a message holds the sender's contact details.
  contactMessage: (_parent, { id }, { loaders }) => loaders.contactMessage.load(id),
};
