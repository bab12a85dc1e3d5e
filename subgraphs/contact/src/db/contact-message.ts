import { Schema, type MongoConnection, type Types } from "@fv/platform";
import { EMAIL_MAX_LENGTH } from "@fv/platform";
import { MESSAGE_LENGTH, NAME_LENGTH, SUBJECT_LENGTH } from "../contact-rules.js";
import { createMailModels, deliverySchema, type Delivery } from "./mail.js";

export { DELIVERY_STATES, type Delivery } from "./mail.js";

export const CONTACT_MESSAGE_STATUSES = ["NEW", "IN_PROGRESS", "RESOLVED", "CLOSED"] as const;
export type ContactMessageStatus = (typeof CONTACT_MESSAGE_STATUSES)[number];
export interface StoredContactMessage {
  _id: Types.ObjectId;
  name: string;
  email: string;
  phone: string | null;
  subject: string;
  message: string;
  consent: boolean;
  status: ContactMessageStatus;
  /** How many status changes the message has had: the number the next change claims. */
  statusVersion: number;
  delivery: Delivery;
  createdAt: Date;
  updatedAt: Date;
}

// The resolvers validate first (contact-rules.ts); these constraints only keep the collection sane.
const contactMessageSchema = new Schema<StoredContactMessage>(
  {
    name: { type: String, required: true, maxlength: NAME_LENGTH.max },
    email: { type: String, required: true, maxlength: EMAIL_MAX_LENGTH },
    phone: { type: String, default: null },
    subject: { type: String, required: true, maxlength: SUBJECT_LENGTH.max },
    message: { type: String, required: true, maxlength: MESSAGE_LENGTH.max },
    consent: { type: Boolean, required: true },
    status: { type: String, enum: CONTACT_MESSAGE_STATUSES, required: true, default: "NEW" },
    statusVersion: { type: Number, required: true, default: 0 },
    // The message and its email delivery are one document written by one insert.
    delivery: { type: deliverySchema(), required: true, default: () => ({}) },
  },
  { collection: "contact_messages", timestamps: true, versionKey: false, autoIndex: false },
);
// What the sender polls for, and what support staff list.
contactMessageSchema.index({ "delivery.state": 1, "delivery.nextAttemptAt": 1 });
contactMessageSchema.index({ status: 1, createdAt: -1 });
contactMessageSchema.index({ createdAt: -1 });

/**
 * A status change, inserted before the message is updated: `_id` is `<message id>#<statusVersion>`,
 * so of two staff moving the same message at once exactly one wins (FerretDB's conditional
 * updates would let both).
 */
export interface StoredStatusChange {
  _id: string;
  messageId: Types.ObjectId;
  from: ContactMessageStatus;
  to: ContactMessageStatus;
  note: string | null;
  changedBy: string;
  changedAt: Date;
}

const statusChangeSchema = new Schema<StoredStatusChange>(
  {
    _id: { type: String, required: true },
    messageId: { type: Schema.Types.ObjectId, required: true },
    from: { type: String, enum: CONTACT_MESSAGE_STATUSES, required: true },
    to: { type: String, enum: CONTACT_MESSAGE_STATUSES, required: true },
    note: { type: String, default: null },
    changedBy: { type: String, required: true },
    changedAt: { type: Date, required: true },
  },
  { collection: "contact_status_changes", versionKey: false, autoIndex: false },
);
statusChangeSchema.index({ messageId: 1, changedAt: 1 });

export function createModels(connection: MongoConnection) {
  return {
    ContactMessage: connection.model<StoredContactMessage>("ContactMessage", contactMessageSchema),
    StatusChange: connection.model<StoredStatusChange>("ContactStatusChange", statusChangeSchema),
    ...createMailModels(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** GraphQL mapper type: a plain object, not a mongoose document. */
export type ContactMessageDocument = Omit<StoredContactMessage, "_id"> & { id: string };

export const toContactMessageDocument = ({ _id, ...message }: StoredContactMessage): ContactMessageDocument => ({
  id: _id.toHexString(),
  ...message,
});
