import { requirePermission } from "@fv/platform";
import type { ContactMessageResolvers } from "../__generated__/resolvers-types.js";

export const ContactMessage: ContactMessageResolvers = {
  __resolveReference: ({ id }, { loaders, caller }) => {
    requirePermission(caller, "contact:view_all");
    return loaders.contactMessage.load(id);
  },
  history: (message, _args, { loaders }) => loaders.history.load(message.id),
  emailDelivery: (message) => message.delivery.state,
  emailDeliveryError: (message) => message.delivery.lastError ?? null,
};
