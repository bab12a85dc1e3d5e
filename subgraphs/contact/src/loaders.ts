import DataLoader from "dataloader";
import { Types } from "@fv/platform";
import { isObjectId } from "@fv/platform";
import {
  toContactMessageDocument,
  type ContactMessageDocument,
  type Models,
  type StoredContactMessage,
  type StoredStatusChange,
} from "./db/contact-message.js";

/** One query per request for all the contact messages (and their histories) a request asks for. */
export function createLoaders({ ContactMessage, StatusChange }: Models) {
  return {
    contactMessage: new DataLoader<string, ContactMessageDocument | null>(async (ids) => {
      const valid = ids.filter(isObjectId).map((id) => new Types.ObjectId(id));
      const rows = valid.length
        ? await ContactMessage.find({ _id: { $in: valid } }).lean<StoredContactMessage[]>()
        : [];
      const byId = new Map(rows.map((row) => [row._id.toHexString(), toContactMessageDocument(row)]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
    history: new DataLoader<string, StoredStatusChange[]>(async (messageIds) => {
      const rows = await StatusChange.find({ messageId: { $in: messageIds.map((id) => new Types.ObjectId(id)) } })
        .sort({ changedAt: 1, _id: 1 })
        .lean<StoredStatusChange[]>();
      return messageIds.map((id) => rows.filter((row) => row.messageId.toHexString() === id));
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
