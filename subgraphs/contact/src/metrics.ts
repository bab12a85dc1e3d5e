import { Counter, Gauge } from "prom-client";
import type { Logger } from "@fv/platform";
import type { Models } from "./db/contact-message.js";

/**
 * The contact service's business metrics (alerts are written against these names), registered on
 * the service's own registry once the service is built. `kind` is an email's kind: contact_inbox,
 * contact_ack, password_reset, email_verification, order_confirmation, order_status_changed.
 */
export function createContactMetrics(models: Pick<Models, "ContactMessage" | "TransactionalEmail">, logger: Logger) {
  let lastPending = 0;
  return {
    messagesReceived: new Counter({
      name: "contact_messages_received_total",
      help: "Contact messages stored (bots caught by the honeypot and refused submissions are not counted)",
      registers: [],
    }),
    emailsSent: new Counter({
      name: "emails_sent_total",
      help: "Emails the SMTP server accepted, by kind",
      labelNames: ["kind"] as const,
      registers: [],
    }),
    deliveryFailures: new Counter({
      name: "email_delivery_failures_total",
      help: "Failed attempts to hand an email to the SMTP server (refused or unreachable), by kind",
      labelNames: ["kind"] as const,
      registers: [],
    }),
    outboxPending: new Gauge({
      name: "email_outbox_pending",
      help: "Contact messages and transactional emails not delivered yet (every replica reports the same total)",
      registers: [],
      // Counted when scraped; with MongoDB down the last count stays rather than failing the scrape.
      async collect() {
        try {
          const pending = { "delivery.state": "PENDING" as const };
          const [messages, emails] = await Promise.all([
            models.ContactMessage.countDocuments(pending),
            models.TransactionalEmail.countDocuments(pending),
          ]);
          lastPending = messages + emails;
        } catch (error) {
          logger.warn({ err: error }, "email_outbox_pending not counted: MongoDB did not answer");
        }
        this.set(lastPending);
      },
    }),
  };
}

export type ContactMetrics = ReturnType<typeof createContactMetrics>;
