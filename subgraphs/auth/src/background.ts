import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { isNotNull } from "drizzle-orm";
import type { Redis } from "ioredis";
import { STREAMS, outbox, startConsumer, startOutboxRelay, type Logger } from "@fv/platform";
import { createRoleChangeHandler } from "./role-changes.js";
import type { AuthDb } from "./context.js";

/** The consumer group on STREAMS.users: one per consuming service. */
export const CONSUMER_GROUP = "auth";
const PRUNE_INTERVAL_MS = 10_000;

/**
 * Published outbox rows are deleted rather than kept: reset and verification events carry raw
 * tokens, which must not stay readable in the database (only their hashes are kept).
 */
export const pruneOutbox = (db: AuthDb) => db.delete(outbox).where(isNotNull(outbox.publishedAt));

/**
 * What the service runs beside its requests: the outbox relay publishing to STREAMS.auth, and
 * the consumer of role changes. `consumerRedis` is its own connection (XREADGROUP BLOCK holds it).
 */
export function startBackgroundWork(options: { db: AuthDb; publisher: Redis; consumerRedis: Redis; logger: Logger }) {
  const { db, logger } = options;
  const relay = startOutboxRelay({ db, redis: options.publisher, logger });
  const consumer = startConsumer({
    redis: options.consumerRedis,
    stream: STREAMS.users,
    group: CONSUMER_GROUP,
    // Unique per process: a restarted pod must not inherit another's pending entries by name.
    consumer: `auth-${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`,
    logger,
    handle: createRoleChangeHandler(db, logger, options.publisher),
  });
  const pruner = setInterval(() => {
    pruneOutbox(db).catch((error: unknown) => logger.warn({ err: error }, "outbox pruning failed; retrying"));
  }, PRUNE_INTERVAL_MS);
  pruner.unref();
  return {
    stop: async () => {
      clearInterval(pruner);
      await Promise.all([relay.stop(), consumer.stop()]);
    },
  };
}
