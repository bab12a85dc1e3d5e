import { asc, inArray, isNull, sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { Redis } from "ioredis";
import type { Database } from "./stores/postgres.js";
import { publishEvent, type EventEnvelope } from "./events.js";
import type { Logger } from "./logger.js";
import { registerOutbox, type OutboxBacklog } from "./instrumentation.js";

/**
 * The transactional outbox: a write that must publish an event inserts it here in the same
 * transaction, and the relay publishes it to Redis Streams afterwards. Export it from the
 * subgraph's db/schema.ts so its migrations create the table.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: uuid().primaryKey(),
    stream: text().notNull(),
    event: jsonb().$type<EventEnvelope>().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    publishedAt: timestamp({ withTimezone: true, precision: 3 }),
  },
  // The relay (twice a second) and the backlog gauge (each scrape) read only what is pending, oldest
  // first: a partial index keeps that cheap however many published rows the table holds.
  (t) => [
    index("outbox_pending_idx")
      .on(t.createdAt)
      .where(sql`published_at is null`),
  ],
);

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

/** Unpublished rows and the age of the oldest: what the outbox metrics export. */
export async function outboxBacklog(db: AnyDatabase): Promise<OutboxBacklog> {
  const result = (await db.execute(
    sql`select count(*)::int as pending, coalesce(extract(epoch from now() - min(${outbox.createdAt})), 0)::float8 as age from ${outbox} where ${outbox.publishedAt} is null`,
  )) as unknown as { rows: { pending: number | string; age: number | string }[] };
  const row = result.rows[0];
  return { pending: Number(row?.pending ?? 0), oldestAgeSeconds: Math.max(0, Number(row?.age ?? 0)) };
}

/** Runs the relay every `intervalMs` until stopped; its backlog is exported at scrape time. */
export function startOutboxRelay(options: { db: AnyDatabase; redis: Redis; logger: Logger; intervalMs?: number }) {
  const { db, redis, logger } = options;
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  let current: Promise<unknown> = Promise.resolve();
  const unregister = registerOutbox(() => outboxBacklog(db), logger);
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
      unregister();
      clearTimeout(timer);
      await current;
    },
  };
}
