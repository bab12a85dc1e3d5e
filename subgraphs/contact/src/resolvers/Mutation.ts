import type { UserError } from "@fv/platform";
import { toContactMessageDocument } from "../db/contact-message.js";
import { isHoneypotFilled, validateContactMessage } from "../contact-rules.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const inInput = (error: UserError): UserError => ({ ...error, field: ["input", ...(error.field ?? [])] });

export const Mutation: MutationResolvers = {
  submitContactMessage: async (_parent, { input }, { models, log }) => {
    // A bot gets what a person gets on success, minus the message, so it learns nothing to adapt to.
    if (isHoneypotFilled(input.website)) {
      log.info("contact message dropped: honeypot filled");
      return { message: null, errors: [] };
    }
    const { value, errors } = validateContactMessage(input);
    if (errors.length) return { message: null, errors: errors.map(inInput) };
    const stored = await models.ContactMessage.create(value);
    return { message: toContactMessageDocument(stored.toObject()), errors: [] };
  },
};
