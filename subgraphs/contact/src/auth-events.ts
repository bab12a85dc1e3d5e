import { isDuplicateKeyError, isValidEmail, z, type EventEnvelope, type Logger } from "@fv/platform";
import type { Models } from "./db/contact-message.js";
import type { TransactionalKind } from "./db/mail.js";

/** The events that ask for an email, and which email. */
export const EMAIL_EVENTS: Record<string, TransactionalKind> = {
  "auth.password_reset_requested": "PASSWORD_RESET",
  "auth.email_verification_requested": "EMAIL_VERIFICATION",
};

const linkEventData = z.object({
  email: z.string().refine(isValidEmail, "must be an email address"),
  url: z.url({ protocol: /^https?$/ }),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});

/**
 * Queues the email an auth event asks for, under the event's id: a redelivered event finds its
 * email already queued (or sent) and adds nothing. The sender delivers it, with retries. A
 * malformed event is logged and skipped, since retrying would never fix it.
 */
export function createAuthEventHandler(models: Models, logger: Logger) {
  return async (event: EventEnvelope): Promise<void> => {
    const kind = EMAIL_EVENTS[event.type];
    if (!kind) return;
    const parsed = linkEventData.safeParse(event.data);
    if (!parsed.success || typeof event.id !== "string" || event.id === "") {
      logger.error(
        { eventId: event.id, type: event.type, issues: parsed.error?.issues },
        "malformed auth event skipped",
      );
      return;
    }
    const { email, url, expiresAt } = parsed.data;
    try {
      await models.TransactionalEmail.create({
        _id: event.id,
        kind,
        eventType: event.type,
        to: email,
        url,
        expiresAt: expiresAt ? new Date(expiresAt) : null,
      });
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  };
}
