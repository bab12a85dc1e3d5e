import { and, eq, isNull, ne, or, sql } from "drizzle-orm";
import { normalizeEmail, z, type EventEnvelope, type Logger } from "@fv/platform";
import { users } from "./db/schema.js";
import { isUuid } from "./loaders.js";
import { profileFromRegistration } from "./profile.js";
import type { UsersDb } from "./context.js";

const userId = z.string().refine(isUuid, "must be a UUID");
const userRegistered = z.object({
  userId,
  email: z.string().min(3),
  name: z.string().nullish(),
  phone: z.string().nullish(),
});
const emailVerified = z.object({ userId, email: z.string().min(3) });

/** When the event happened; its publisher's clock, or ours if it sent something unreadable. */
const occurredAt = (event: EventEnvelope) => {
  const time = Date.parse(event.occurredAt);
  return new Date(Number.isNaN(time) ? Date.now() : time);
};

/** An event that cannot be applied now but may later (its profile has not arrived yet): retried. */
class NotYetApplicable extends Error {}

/**
 * Applies auth's events to the profiles. Every handler is idempotent: the stream delivers at
 * least once, so the same event may come twice, and a retried event may come after later ones.
 * Malformed data is logged and skipped (retrying would never fix it); a failure of the database
 * throws, and the event is delivered again.
 */
export function createAuthEventHandler(db: UsersDb, logger: Logger) {
  const skip = (event: EventEnvelope, issues: unknown) =>
    logger.error({ eventId: event.id, type: event.type, issues }, "malformed auth event skipped");

  return async (event: EventEnvelope): Promise<void> => {
    switch (event.type) {
      case "auth.user_registered": {
        const parsed = userRegistered.safeParse(event.data);
        if (!parsed.success) return skip(event, parsed.error.issues);
        // Same id as the account: a second delivery finds the profile there and changes nothing,
        // not even a name the person has edited since.
        await db
          .insert(users)
          .values({ ...profileFromRegistration(parsed.data), createdAt: occurredAt(event) })
          .onConflictDoNothing({ target: users.id });
        return;
      }
      case "auth.email_verified": {
        const parsed = emailVerified.safeParse(event.data);
        if (!parsed.success) return skip(event, parsed.error.issues);
        const id = parsed.data.userId;
        const email = normalizeEmail(parsed.data.email);
        const [exists] = await db.select({ id: users.id }).from(users).where(eq(users.id, id));
        // Its registration was retried and comes later: this event waits and is retried too.
        if (!exists) throw new NotYetApplicable(`no profile ${id} yet to mark verified`);
        // The first verification's time is kept, and a redelivery changes nothing at all.
        await db
          .update(users)
          .set({
            email,
            emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${occurredAt(event).toISOString()}::timestamptz)`,
          })
          .where(and(eq(users.id, id), or(isNull(users.emailVerifiedAt), ne(users.email, email))));
        return;
      }
      default:
        // Other auth events (password resets…) are for other consumers.
        return;
    }
  };
}
