import { Schema, type MongoConnection } from "@fv/platform";

export const DELIVERY_STATES = ["PENDING", "SENT", "FAILED"] as const;

/**
 * Where something that must be emailed stands. Written by the insert that stores the thing, so a
 * stored thing is always PENDING delivery: a crash or a mail server outage delays it, never loses it.
 * FAILED is final: the SMTP server refused one of its emails for good (a 5xx to the recipient or the
 * content), or it was still failing after MAIL_MAX_ATTEMPTS attempts; `lastError` says which.
 */
export interface Delivery {
  state: (typeof DELIVERY_STATES)[number];
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string | null;
}

export const deliverySchema = () =>
  new Schema<Delivery>(
    {
      state: { type: String, enum: DELIVERY_STATES, required: true, default: "PENDING" },
      attempts: { type: Number, required: true, default: 0 },
      nextAttemptAt: { type: Date, required: true, default: () => new Date() },
      lastError: { type: String, default: null },
    },
    { _id: false },
  );

/**
 * One delivery attempt, taken by inserting it: `_id` is `<outbox>:<id>#<attempt>`, and the unique
 * `_id` lets exactly one sender win it (FerretDB's findOneAndUpdate would let several).
 */
export interface DeliveryClaim {
  _id: string;
  claimedAt: Date;
}

/** An email handed to the SMTP server: `_id` is `<outbox>:<id>:<part>`; once here, never sent again. */
export interface SentEmail {
  _id: string;
  sentAt: Date;
  smtpMessageId: string | null;
}

/**
 * An email the SMTP server refused for good (a 5xx answer to its recipient or its content): `_id`
 * is `<outbox>:<id>:<part>`, like SentEmail's, so no later attempt tries it again.
 */
export interface RejectedEmail {
  _id: string;
  rejectedAt: Date;
  error: string;
}

export const TRANSACTIONAL_KINDS = [
  "PASSWORD_RESET",
  "EMAIL_VERIFICATION",
  "ORDER_CONFIRMATION",
  "ORDER_STATUS_CHANGED",
] as const;
export type TransactionalKind = (typeof TRANSACTIONAL_KINDS)[number];

/** An email an event asked for: `_id` is the event's id, so a redelivered event adds nothing. */
export interface TransactionalEmail {
  _id: string;
  kind: TransactionalKind;
  eventType: string;
  to: string;
  /** Link emails (password reset, verification). */
  url: string | null;
  expiresAt: Date | null;
  /** Order emails: the event's data as validated (order-events.ts). */
  order: unknown;
  delivery: Delivery;
  createdAt: Date;
}

const claimSchema = new Schema<DeliveryClaim>(
  { _id: { type: String, required: true }, claimedAt: { type: Date, required: true } },
  { collection: "delivery_claims", versionKey: false, autoIndex: false },
);
const sentSchema = new Schema<SentEmail>(
  {
    _id: { type: String, required: true },
    sentAt: { type: Date, required: true },
    smtpMessageId: { type: String, default: null },
  },
  { collection: "sent_emails", versionKey: false, autoIndex: false },
);
const rejectedSchema = new Schema<RejectedEmail>(
  {
    _id: { type: String, required: true },
    rejectedAt: { type: Date, required: true },
    error: { type: String, required: true },
  },
  { collection: "rejected_emails", versionKey: false, autoIndex: false },
);
const transactionalSchema = new Schema<TransactionalEmail>(
  {
    _id: { type: String, required: true },
    kind: { type: String, enum: TRANSACTIONAL_KINDS, required: true },
    eventType: { type: String, required: true },
    to: { type: String, required: true },
    url: { type: String, default: null },
    expiresAt: { type: Date, default: null },
    order: { type: Schema.Types.Mixed, default: null },
    delivery: { type: deliverySchema(), required: true, default: () => ({}) },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: "transactional_emails", versionKey: false, autoIndex: false },
);
transactionalSchema.index({ "delivery.state": 1, "delivery.nextAttemptAt": 1 });

export function createMailModels(connection: MongoConnection) {
  return {
    DeliveryClaim: connection.model<DeliveryClaim>("DeliveryClaim", claimSchema),
    SentEmail: connection.model<SentEmail>("SentEmail", sentSchema),
    RejectedEmail: connection.model<RejectedEmail>("RejectedEmail", rejectedSchema),
    TransactionalEmail: connection.model<TransactionalEmail>("TransactionalEmail", transactionalSchema),
  };
}
