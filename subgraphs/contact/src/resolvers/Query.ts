import { decodeCursor, isObjectId, pageSize, requirePermission, toConnection, Types } from "@fv/platform";
import { toContactMessageDocument, type StoredContactMessage } from "../db/contact-message.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

/** [createdAt ISO, message id]: the sort key, with the id breaking ties within a millisecond. */
type MessageCursor = [string, string];
const isMessageCursor = (v: unknown): v is MessageCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  isObjectId(v[1]);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const Query: QueryResolvers = {
  // A message holds the sender's contact details: support staff only.
  contactMessage: (_parent, { id }, { loaders, caller }) => {
    requirePermission(caller, "contact:view_all");
    return loaders.contactMessage.load(id);
  },
  contactMessages: async (_parent, { filter, first, after }, { models, caller }) => {
    requirePermission(caller, "contact:view_all");
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isMessageCursor) : null;
    const match: Record<string, unknown> = {};
    if (filter?.status?.length) match.status = { $in: filter.status };
    if (filter?.emailDelivery?.length) match["delivery.state"] = { $in: filter.emailDelivery };
    const email = filter?.email?.trim();
    if (email) match.email = { $regex: `^${escapeRegExp(email)}$`, $options: "i" };
    const page = cursor
      ? {
          $or: [
            { createdAt: { $lt: new Date(cursor[0]) } },
            { createdAt: new Date(cursor[0]), _id: { $lt: new Types.ObjectId(cursor[1]) } },
          ],
        }
      : {};
    const [rows, total] = await Promise.all([
      models.ContactMessage.find({ ...match, ...page })
        .sort({ createdAt: -1, _id: -1 })
        .limit(size + 1)
        .lean<StoredContactMessage[]>(),
      models.ContactMessage.countDocuments(match),
    ]);
    return toConnection(
      rows.map(toContactMessageDocument),
      size,
      (message) => [message.createdAt.toISOString(), message.id],
      cursor !== null,
      total,
    );
  },
};
