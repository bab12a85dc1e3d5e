import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { PeerError, type Logger } from "@fv/platform";
import { reservationTasks } from "./db/schema.js";
import { settleReservation, type Peers } from "./peers.js";
import type { OrdersDb, OrdersTx } from "./context.js";

export type ReservationAction = "CONFIRM" | "RELEASE";

/** A claimed task is left alone this long by other workers, in case the one holding it dies mid-call. */
const LEASE_SECONDS = 60;
/** Longest wait between two attempts. */
const MAX_BACKOFF_MS = 5 * 60_000;
/**
 * A release can reach products before the reserve it undoes (a reserve that timed out here may
 * still be running there): NOT_FOUND is retried this many times before it counts as "nothing held".
 */
const NOT_FOUND_RETRIES = 5;

/** Records that products must be told to confirm or release `orderRef`; in the caller's transaction. */
export async function enqueueReservationTask(tx: OrdersTx | OrdersDb, orderRef: string, action: ReservationAction) {
  await tx.insert(reservationTasks).values({ orderRef, action }).onConflictDoNothing();
}

export const backoffMs = (attempts: number) => Math.min(MAX_BACKOFF_MS, 1_000 * 2 ** Math.max(0, attempts - 1));

/**
 * Carries out the due tasks once: each is claimed with a lease (so replicas share the work without
 * holding a transaction across a network call), sent to products, then marked done or given a later
 * attempt. Products makes confirm and release idempotent, so a task sent twice does no harm.
 */
export async function runReservationTasks(db: OrdersDb, peers: Peers, logger: Logger, limit = 20): Promise<number> {
  const due = db
    .select({ orderRef: reservationTasks.orderRef, action: reservationTasks.action })
    .from(reservationTasks)
    .where(and(isNull(reservationTasks.doneAt), lte(reservationTasks.nextAttemptAt, sql`now()`)))
    .orderBy(asc(reservationTasks.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  const claimed = await db
    .update(reservationTasks)
    .set({
      attempts: sql`${reservationTasks.attempts} + 1`,
      nextAttemptAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
    })
    .where(sql`(${reservationTasks.orderRef}, ${reservationTasks.action}) in (${due})`)
    .returning();
  for (const task of claimed) {
    const where = and(eq(reservationTasks.orderRef, task.orderRef), eq(reservationTasks.action, task.action));
    const done = (note: string | null) =>
      db
        .update(reservationTasks)
        .set({ doneAt: sql`now()`, lastError: note })
        .where(where);
    try {
      const answer = await settleReservation(peers, task.orderRef, task.action);
      const code = answer.errors[0]?.code;
      if (!code) {
        await done(null);
      } else if (code === "NOT_FOUND" && task.attempts < NOT_FOUND_RETRIES) {
        await db
          .update(reservationTasks)
          .set({ lastError: code, nextAttemptAt: new Date(Date.now() + backoffMs(task.attempts)) })
          .where(where);
      } else {
        // Settled otherwise already (released after expiry, nothing ever held…): nothing more to do here.
        if (task.action === "CONFIRM")
          logger.error({ orderRef: task.orderRef, code }, "a paid order's reservation could not be confirmed");
        await done(code);
      }
    } catch (error) {
      const message = error instanceof PeerError ? error.message : String(error);
      logger.warn({ orderRef: task.orderRef, action: task.action, err: error }, "reservation call failed; retrying");
      await db
        .update(reservationTasks)
        .set({ lastError: message.slice(0, 500), nextAttemptAt: new Date(Date.now() + backoffMs(task.attempts)) })
        .where(where);
    }
  }
  return claimed.length;
}
