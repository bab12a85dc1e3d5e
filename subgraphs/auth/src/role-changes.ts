import { and, eq, isNull, lt, or } from "drizzle-orm";
import { isRole, type EventEnvelope, type Logger } from "@fv/platform";
import { credentials } from "./db/schema.js";
import { isUuid } from "./loaders.js";
import type { AuthDb } from "./context.js";

export const ROLE_CHANGED = "users.role_changed";

/**
 * Keeps the replica of each account's role from the users subgraph's users.role_changed events.
 * Idempotent and order-proof: a change applies only when it happened after the one applied, so a
 * repeated delivery, or an older event delivered late, changes nothing. The next access token
 * (at sign-in or refresh) carries the new role.
 */
export function createRoleChangeHandler(db: AuthDb, logger: Logger) {
  return async (event: EventEnvelope) => {
    if (event.type !== ROLE_CHANGED) return;
    const { userId, role } = (event.data ?? {}) as { userId?: unknown; role?: unknown };
    const occurredAt = new Date(event.occurredAt);
    if (typeof userId !== "string" || !isUuid(userId) || !isRole(role) || Number.isNaN(occurredAt.getTime())) {
      // Retrying cannot fix a malformed event: acknowledge it, loudly.
      logger.error({ eventId: event.id, type: event.type }, "malformed users.role_changed event skipped");
      return;
    }
    const applied = await db
      .update(credentials)
      .set({ role, roleChangedAt: occurredAt })
      .where(
        and(
          eq(credentials.id, userId),
          or(isNull(credentials.roleChangedAt), lt(credentials.roleChangedAt, occurredAt)),
        ),
      )
      .returning({ id: credentials.id });
    logger.info({ eventId: event.id, userId, role, applied: applied.length > 0 }, "role change received");
  };
}
