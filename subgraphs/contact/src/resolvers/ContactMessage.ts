import type { ContactMessageResolvers } from "../__generated__/resolvers-types.js";

export const ContactMessage: ContactMessageResolvers = {
  __resolveReference: ({ id }, { loaders }) => loaders.contactMessage.load(id),
};
