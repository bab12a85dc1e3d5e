import type { StoredContactMessage } from "../db/contact-message.js";
import type { TransactionalEmail } from "../db/mail.js";
import type { Models } from "../db/contact-message.js";
import type { Outbox } from "./sender.js";
import type { OrderPlaced, OrderStatusChanged } from "../order-events.js";
import { orderConfirmationEmail, orderStatusEmail } from "./order-templates.js";
import {
  contactAcknowledgementEmail,
  contactInboxEmail,
  emailVerificationEmail,
  passwordResetEmail,
  type EmailContent,
} from "./templates.js";

/** A contact message becomes two emails: the shop's copy (reply goes to the sender) and the sender's receipt. */
export const contactOutbox = (models: Models, shopInbox: string): Outbox<StoredContactMessage> => ({
  name: "contact",
  model: models.ContactMessage,
  emails: (message) => [
    {
      part: "inbox",
      kind: "contact_inbox",
      to: shopInbox,
      replyTo: message.email,
      content: contactInboxEmail(message),
    },
    { part: "ack", kind: "contact_ack", to: message.email, content: contactAcknowledgementEmail(message) },
  ],
});

const renderTransactional = (email: TransactionalEmail): EmailContent => {
  const link = { url: email.url ?? "", expiresAt: email.expiresAt };
  switch (email.kind) {
    case "PASSWORD_RESET":
      return passwordResetEmail(link);
    case "EMAIL_VERIFICATION":
      return emailVerificationEmail(link);
    // Stored as validated by order-events.ts.
    case "ORDER_CONFIRMATION":
      return orderConfirmationEmail(email.order as OrderPlaced);
    case "ORDER_STATUS_CHANGED":
      return orderStatusEmail(email.order as OrderStatusChanged);
  }
};

export const transactionalOutbox = (models: Models): Outbox<TransactionalEmail> => ({
  name: "transactional",
  model: models.TransactionalEmail,
  emails: (email) => [
    { part: "main", kind: email.kind.toLowerCase(), to: email.to, content: renderTransactional(email) },
  ],
});
