import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { STREAMS, createRedis, startConsumer, startOutboxRelay, type Logger, type OwnedStore } from "@fv/platform";
import type { Config } from "./config.js";
import type { UsersDb } from "./context.js";
import { createAuthEventHandler } from "./auth-events.js";

/** Stream keys as every service of the deployment names them. */
export const streamKeys = (prefix: string) => ({
  auth: `${prefix}${STREAMS.auth}`,
  users: `${prefix}${STREAMS.users}`,
});

/** Consumers of one group must have distinct names; several services may share a process in tests. */
const consumerName = () => `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;

/**
 * The users service's work beside GraphQL: consuming auth's events into profiles, and relaying
 * the outbox to the streams. Neither waits for Redis or PostgreSQL: both retry until they answer.
 * Returns Redis as a store (readiness) whose close stops the work first.
 */
export function startBackgroundWork(
  config: Pick<Config, "REDIS_URL" | "EVENTS_PREFIX" | "EVENTS_RETRY_AFTER_MS">,
  db: UsersDb,
  logger: Logger,
): OwnedStore {
  const streams = streamKeys(config.EVENTS_PREFIX);
  // No key prefix on either connection: the stream keys are shared with the other services.
  const redis = createRedis({ url: config.REDIS_URL, logger, name: "redis" });
  // XREADGROUP BLOCK holds its connection, so the consumer has one of its own.
  const consumerRedis = createRedis({ url: config.REDIS_URL, logger, name: "redis-events" });
  const consumer = startConsumer({
    redis: consumerRedis.redis,
    stream: streams.auth,
    group: "users",
    consumer: consumerName(),
    logger,
    handle: createAuthEventHandler(db, logger),
    retryAfterMs: config.EVENTS_RETRY_AFTER_MS,
  });
  const relay = startOutboxRelay({ db, redis: redis.redis, logger });
  return {
    readiness: redis.readiness,
    close: async () => {
      await Promise.all([consumer.stop(), relay.stop()]);
      await redis.close();
    },
  };
}
