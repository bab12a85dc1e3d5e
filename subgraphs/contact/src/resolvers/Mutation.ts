import { isDuplicateKeyError, isObjectId, requirePermission, userError, type UserError } from "@fv/platform";
import { validateStatusChange } from "../status-rules.js";
import { takeSubmission } from "../rate-limit.js";
import { toContactMessageDocument, type StoredContactMessage, type StoredStatusChange } from "../db/contact-message.js";
import { isHoneypotFilled, validateContactMessage } from "../contact-rules.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const inInput = (error: UserError): UserError => ({ ...error, field: ["input", ...(error.field ?? [])] });

export const Mutation: MutationResolvers = {
  submitContactMessage: async (_parent, { input }, { models, log, redis, clientAddress, submissionLimit, metrics }) => {
    // A bot gets what a person gets on success, minus the message, so it learns nothing to adapt to.
    if (isHoneypotFilled(input.website)) {
      log.info("contact message dropped: honeypot filled");
      return { message: null, errors: [] };
    }
    const { value, errors } = validateContactMessage(input);
    if (errors.length) return { message: null, errors: errors.map(inInput) };
    // Only well-formed messages count: a person fixing a typo is not held back by the limit.
    const limit = await takeSubmission(redis, clientAddress ?? "unknown", submissionLimit);
    if (!limit.allowed) {
      const minutes = Math.ceil(limit.retryAfterSeconds / 60);
      return {
        message: null,
        errors: [
          userError(
            null,
            "TOO_MANY_MESSAGES",
            `too many messages from this address: try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
          ),
        ],
      };
    }
    const stored = await models.ContactMessage.create(value);
    metrics.messagesReceived.inc();
    return { message: toContactMessageDocument(stored.toObject()), errors: [] };
  },
  changeContactMessageStatus: async (_parent, { input }, { models, caller }) => {
    const staff = requirePermission(caller, "contact:respond");
    const missing = {
      message: null,
      errors: [userError(["input", "id"], "NOT_FOUND", "no contact message has this id")],
    };
    if (!isObjectId(input.id)) return missing;
    const current = await models.ContactMessage.findById(input.id).lean<StoredContactMessage>();
    if (!current) return missing;
    const { note, errors } = validateStatusChange(current.status, input.status, input.note);
    if (errors.length) return { message: null, errors: errors.map(inInput) };

    const version = current.statusVersion;
    const applied = async (change: Pick<StoredStatusChange, "to">) =>
      models.ContactMessage.updateOne(
        { _id: current._id, statusVersion: version },
        { $set: { status: change.to, statusVersion: version + 1 } },
      );
    try {
      // The insert decides which of concurrent changes happens; the update then only follows it.
      await models.StatusChange.create({
        _id: `${current._id.toHexString()}#${version}`,
        messageId: current._id,
        from: current.status,
        to: input.status,
        note,
        changedBy: staff.userId,
        changedAt: new Date(),
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // Someone else's change won. If its writer died before updating the message, finish it for them.
      const winner = await models.StatusChange.findById(`${current._id.toHexString()}#${version}`).lean();
      if (winner) await applied(winner);
      return {
        message: null,
        errors: [
          userError(["input", "status"], "STATUS_CHANGED", "someone changed this message's status just now: reload it"),
        ],
      };
    }
    await applied({ to: input.status });
    const updated = await models.ContactMessage.findById(current._id).lean<StoredContactMessage>();
    return { message: toContactMessageDocument(updated!), errors: [] };
  },
};
