import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "./logger.js";
import { registerConsumerLag, type ConsumerLagState } from "./instrumentation.js";

/**
 * Cross-domain events on Redis Streams: at-least-once delivery to consumer groups. Consumers must
 * be idempotent (by `event.id`): a handler that fails leaves the event pending, and it is
 * delivered again.
 */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

/** Stream names, one per publishing domain. */
export const STREAMS = {
  auth: "events:auth",
  users: "events:users",
  orders: "events:orders",
  reviews: "events:reviews",
  contact: "events:contact",
} as const;

export const newEvent = <T>(type: string, data: T): EventEnvelope<T> => ({
  id: randomUUID(),
  type,
  occurredAt: new Date().toISOString(),
  data,
});

/** Appends an event to a stream (trimmed to roughly the last `maxLength` entries). */
export async function publishEvent(
  redis: Redis,
  stream: string,
  event: EventEnvelope,
  maxLength = 100_000,
): Promise<string> {
  const id = await redis.xadd(stream, "MAXLEN", "~", String(maxLength), "*", "event", JSON.stringify(event));
  return id!;
}

export interface ConsumerOptions {
  redis: Redis;
  stream: string;
  group: string;
  consumer: string;
  logger: Logger;
  handle: (event: EventEnvelope) => Promise<void>;
  /** How long a delivered but unacknowledged event waits before another consumer retries it. */
  retryAfterMs?: number;
  blockMs?: number;
  batchSize?: number;
  /** How often the consumer samples its group's lag and pending count for the metrics. */
  lagSampleMs?: number;
}

/** The `lag` and `pending` of one group, from XINFO GROUPS (Redis 7+ reports lag; older servers leave it unknown). */
export async function readGroupLag(
  redis: Redis,
  stream: string,
  group: string,
): Promise<Pick<ConsumerLagState, "lag" | "pending">> {
  const groups = (await redis.xinfo("GROUPS", stream)) as unknown[][];
  for (const fields of groups) {
    const info = new Map<string, unknown>();
    for (let i = 0; i + 1 < fields.length; i += 2) info.set(String(fields[i]), fields[i + 1]);
    if (info.get("name") !== group) continue;
    const lag = info.get("lag");
    return {
      pending: Number(info.get("pending") ?? 0),
      lag: lag === null || lag === undefined ? undefined : Number(lag),
    };
  }
  return {};
}

type StreamEntries = [id: string, fields: string[]][];

/**
 * Reads a stream as a member of a consumer group until stopped. Entries are acknowledged only
 * after the handler succeeded; failed or abandoned ones are claimed again after `retryAfterMs`.
 * The consumer needs a connection of its own: XREADGROUP BLOCK holds it.
 */
export function startConsumer(options: ConsumerOptions) {
  const { redis, stream, group, consumer, logger, handle } = options;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const blockMs = options.blockMs ?? 2_000;
  const count = options.batchSize ?? 20;
  let running = true;
  const lagSampleMs = options.lagSampleMs ?? 10_000;
  const lagState: ConsumerLagState = { stream, group };
  const unregister = registerConsumerLag(lagState, logger);
  let lastSample = 0;
  // On the consumer's own connection, between reads: XREADGROUP BLOCK holds it the rest of the time.
  const sampleLag = async () => {
    if (Date.now() - lastSample < lagSampleMs) return;
    lastSample = Date.now();
    try {
      Object.assign(lagState, { lag: undefined, pending: undefined }, await readGroupLag(redis, stream, group));
    } catch (error) {
      logger.debug({ err: error, stream, group }, "could not sample consumer lag");
    }
  };

  const processEntries = async (entries: StreamEntries) => {
    for (const [entryId, fields] of entries) {
      const raw = fields[fields.indexOf("event") + 1];
      let event: EventEnvelope;
      try {
        event = JSON.parse(raw ?? "") as EventEnvelope;
      } catch {
        logger.error({ stream, entryId }, "unreadable event: acknowledged and skipped");
        await redis.xack(stream, group, entryId);
        continue;
      }
      try {
        await handle(event);
        await redis.xack(stream, group, entryId);
      } catch (error) {
        logger.warn({ err: error, stream, eventId: event.id, type: event.type }, "event handler failed; will retry");
      }
    }
  };

  const ensureGroup = async () => {
    try {
      await redis.xgroup("CREATE", stream, group, "0", "MKSTREAM");
    } catch (error) {
      if (!String((error as Error).message).includes("BUSYGROUP")) throw error;
    }
  };

  const loop = (async () => {
    let groupReady = false;
    while (running) {
      try {
        if (!groupReady) {
          await ensureGroup();
          groupReady = true;
        }
        const claimed = (await redis.xautoclaim(stream, group, consumer, retryAfterMs, "0", "COUNT", count)) as [
          string,
          StreamEntries,
        ];
        if (claimed[1].length) await processEntries(claimed[1]);
        const read = (await redis.xreadgroup(
          "GROUP",
          group,
          consumer,
          "COUNT",
          count,
          "BLOCK",
          blockMs,
          "STREAMS",
          stream,
          ">",
        )) as [string, StreamEntries][] | null;
        if (read?.[0]) await processEntries(read[0][1]);
        await sampleLag();
      } catch (error) {
        if (!running) break;
        logger.warn({ err: error, stream, group }, "event consumer error; retrying");
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  })();

  return {
    stop: async () => {
      running = false;
      unregister();
      // XREADGROUP BLOCK returns within blockMs; disconnecting ends it at once.
      redis.disconnect();
      await loop;
    },
  };
}
