import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Redis } from "ioredis";
import { isRole, revokeUserTokensBefore, type EventEnvelope, type Logger } from "@fv/platform";
import { credentials } from "./db/schema.js";
import { isUuid } from "./loaders.js";
import type { AuthDb } from "./context.js";

export const ROLE_CHANGED = "users.role_changed";

/**
 * Keeps the replica of each account's role from the users subgraph's users.role_changed events.
 * Idempotent and order-proof: a change applies only when it happened after the one applied, so a
 * repeated delivery, or an older event delivered late, changes nothing. The person's access tokens
 * issued before the change are marked revoked (the router refuses them), so the next one, taken at
 * refresh, carries the new role.
 */
export function createRoleChangeHandler(db: AuthDb, logger: Logger, revocations: Redis) {
  return async (event: EventEnvelope) => {
    if (event.type !== ROLE_CHANGED) return;
    const { userId, role } = (event.data ?? {}) as { userId?: unknown; role?: unknown };
    const occurredAt = new Date(event.occurredAt);
    if (typeof userId !== "string" || !isUuid(userId) || !isRole(role) || Number.isNaN(occurredAt.getTime())) {
      // Retrying cannot fix a malformed event: acknowledge it, loudly.
      logger.error({ eventId: event.id, type: event.type }, "malformed users.role_changed event skipped");
      return;
    }
    // Taken before the update: every token carrying the new role is issued after it, so none is refused.
    const appliedFrom = new Date();
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
    // Marked when this very change is the one applied, also on a redelivery: a failed mark (Redis down)
    // throws, and the event's retry marks again.
    if (applied.length > 0 || (await isLatestChange(db, userId, occurredAt)))
      await revokeUserTokensBefore(revocations, userId, appliedFrom);
    logger.info({ eventId: event.id, userId, role, applied: applied.length > 0 }, "role change received");
  };
}

async function isLatestChange(db: AuthDb, userId: string, occurredAt: Date) {
  const [row] = await db.select({ at: credentials.roleChangedAt }).from(credentials).where(eq(credentials.id, userId));
  return row?.at?.getTime() === occurredAt.getTime();
}
