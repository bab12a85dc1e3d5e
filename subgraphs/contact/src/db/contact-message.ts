import { Schema, type MongoConnection, type Types } from "@fv/platform";
import { EMAIL_MAX_LENGTH } from "@fv/platform";
import { MESSAGE_LENGTH, NAME_LENGTH, SUBJECT_LENGTH } from "../contact-rules.js";

export const CONTACT_MESSAGE_STATUSES = ["NEW", "IN_PROGRESS", "RESOLVED", "CLOSED"] as const;
export type ContactMessageStatus = (typeof CONTACT_MESSAGE_STATUSES)[number];
export const DELIVERY_STATES = ["PENDING", "SENT", "FAILED"] as const;

/**
 * The message and its email delivery are one document written by one insert: a stored message
 * is always PENDING delivery, so a crash or a mail server outage can delay it, never lose it.
 */
export interface Delivery {
  state: (typeof DELIVERY_STATES)[number];
  attempts: number;
  nextAttemptAt: Date;
}

export interface StoredContactMessage {
  _id: Types.ObjectId;
  name: string;
  email: string;
  phone: string | null;
  subject: string;
  message: string;
  consent: boolean;
  status: ContactMessageStatus;
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
    delivery: {
      type: new Schema<Delivery>(
        {
          state: { type: String, enum: DELIVERY_STATES, required: true, default: "PENDING" },
          attempts: { type: Number, required: true, default: 0 },
          nextAttemptAt: { type: Date, required: true, default: () => new Date() },
        },
        { _id: false },
      ),
      required: true,
      default: () => ({}),
    },
  },
  { collection: "contact_messages", timestamps: true, versionKey: false, autoIndex: false },
);
// What the sender polls for, and what support staff list.
contactMessageSchema.index({ "delivery.state": 1, "delivery.nextAttemptAt": 1 });
contactMessageSchema.index({ status: 1, createdAt: -1 });

export function createModels(connection: MongoConnection) {
  return { ContactMessage: connection.model<StoredContactMessage>("ContactMessage", contactMessageSchema) };
}

export type Models = ReturnType<typeof createModels>;

/** GraphQL mapper type: a plain object, not a mongoose document. */
export type ContactMessageDocument = Omit<StoredContactMessage, "_id"> & { id: string };

export const toContactMessageDocument = ({ _id, ...message }: StoredContactMessage): ContactMessageDocument => ({
  id: _id.toHexString(),
  ...message,
});
