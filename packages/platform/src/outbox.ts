import { asc, inArray, isNull } from "drizzle-orm";
import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Redis } from "ioredis";
import type { Database } from "./stores/postgres.js";
import { publishEvent, type EventEnvelope } from "./events.js";
import type { Logger } from "./logger.js";

/**
 * The transactional outbox: a write that must publish an event inserts it here in the same
 * transaction, and the relay publishes it to Redis Streams afterwards. Export it from the
 * subgraph's db/schema.ts so its migrations create the table.
 */
export const outbox = pgTable("outbox", {
  id: uuid().primaryKey(),
  stream: text().notNull(),
  event: jsonb().$type<EventEnvelope>().notNull(),
  createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  publishedAt: timestamp({ withTimezone: true, precision: 3 }),
});

type AnyDatabase = Database<Record<string, unknown>>;

/** Records an event to publish, inside the caller's transaction. */
export async function enqueueEvent(tx: Pick<AnyDatabase, "insert">, stream: string, event: EventEnvelope) {
  await tx.insert(outbox).values({ id: event.id, stream, event });
}

/**
 * Publishes pending outbox rows, oldest first. Rows are locked (`for update skip locked`) so
 * several replicas share the work; a row published but not yet marked (a crash in between) is
 * published again: consumers are idempotent by event id.
 */
export async function relayOutbox(db: AnyDatabase, redis: Redis, batchSize = 100): Promise<number> {
  return db.transaction(async (tx) => {
    const pending = await tx
      .select()
      .from(outbox)
      .where(isNull(outbox.publishedAt))
      .orderBy(asc(outbox.createdAt))
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (pending.length === 0) return 0;
    for (const row of pending) await publishEvent(redis, row.stream, row.event);
    await tx
      .update(outbox)
      .set({ publishedAt: new Date() })
      .where(
        inArray(
          outbox.id,
          pending.map((row) => row.id),
        ),
      );
    return pending.length;
  });
}

/** Runs the relay every `intervalMs` until stopped. */
export function startOutboxRelay(options: { db: AnyDatabase; redis: Redis; logger: Logger; intervalMs?: number }) {
  const { db, redis, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = relayOutbox(db, redis)
      .catch((error: unknown) => logger.warn({ err: error }, "outbox relay failed; retrying"))
      .finally(() => {
        if (running) timer = setTimeout(tick, options.intervalMs ?? 500);
      });
  };
  tick();
  return {
    stop: async () => {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
}
