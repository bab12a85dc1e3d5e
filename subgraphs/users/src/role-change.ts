import { eq } from "drizzle-orm";
import { enqueueEvent, newEvent } from "@fv/platform";
import { roleChanges, users, type UserRow } from "./db/schema.js";
import type { RoleValue } from "./roles.js";
import type { UsersDb } from "./context.js";

/** What `users.role_changed` carries: the role as tokens and permissions.ts spell it. */
export interface RoleChangedData {
  userId: string;
  role: RoleValue;
  /** The admin's user id, or "cli" (src/promote.ts). */
  changedBy: string;
}

/**
 * Sets a person's role, records who and when, and announces `users.role_changed` through the
 * outbox, all in one transaction under the person's row lock: the relay publishes the event, and
 * auth signs the new role into the person's next token. The same role again changes, records and
 * announces nothing. Null when there is no such person. Who may do it is the caller's to decide.
 */
export async function setRole(
  db: UsersDb,
  change: { userId: string; role: RoleValue; changedBy: string; usersStream: string },
): Promise<{ user: UserRow; changed: boolean } | null> {
  const { userId, role, changedBy } = change;
  return db.transaction(async (tx) => {
    const [target] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!target) return null;
    if (target.role === role) return { user: target, changed: false };
    const [updated] = await tx.update(users).set({ role }).where(eq(users.id, userId)).returning();
    await tx.insert(roleChanges).values({ userId, fromRole: target.role, toRole: role, changedBy });
    // Committed with the change or not at all; the outbox relay publishes it afterwards.
    await enqueueEvent(
      tx,
      change.usersStream,
      newEvent<RoleChangedData>("users.role_changed", { userId, role, changedBy }),
    );
    return { user: updated!, changed: true };
  });
}
