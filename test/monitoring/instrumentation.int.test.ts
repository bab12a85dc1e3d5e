/**
 * The platform's store, event-stream and outbox metrics against the real stores: a service's registry exports
 * the latency of the Redis and MongoDB commands its stores ran, its PostgreSQL pool's usage, its consumers' lag
 * and pending counts as Redis reports them, and its outbox backlog as the table holds it. Only the service
 * whose logger created a store exports it; a closed store stops being exported.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import {
  createLogger,
  createMetrics,
  createMongo,
  createPostgres,
  createRedis,
  enqueueEvent,
  newEvent,
  operationOutcome,
  outbox,
  publishEvent,
  startConsumer,
  startOutboxRelay,
} from "@fv/platform";
import { createTestDatabase, testMongoDatabase, testStores, uniqueName } from "@fv/platform/testing";

const service = uniqueName("instr");
const logger = createLogger(service, "silent");
const prefix = `${service}:`;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const admin = new Redis(testStores.redisUrl);

/** The samples of one family: each with its labels (service's default label included) and value. */
async function samples(name: string, metrics = createMetrics(service)) {
  const text = await metrics.registry.metrics();
  const found: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    const match = /^(\w+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (match?.[1] !== name) continue;
    const labels = Object.fromEntries([...(match[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    found.push({ labels, value: Number(match[3]) });
  }
  return found;
}

/** The value of the one sample of `name` whose labels include `labels` (undefined when none). */
async function value(name: string, labels: Record<string, string> = {}) {
  const matching = (await samples(name)).filter((s) =>
    Object.entries({ ...labels, service }).every(([k, v]) => s.labels[k] === v),
  );
  expect(matching.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
  return matching[0]?.value;
}

beforeAll(async () => {
  database = await createTestDatabase("instr");
});

afterAll(async () => {
  const keys = await admin.keys(`${prefix}*`);
  if (keys.length) await admin.del(...keys);
  await admin.quit();
  await database?.drop();
});

describe("store metrics", () => {
  it("times Redis commands per connection and command, blocking reads excluded", async () => {
    const store = createRedis({ url: testStores.redisUrl, keyPrefix: prefix, logger, name: "redis-cache" });
    try {
      await store.redis.set("k", "v");
      await store.redis.get("k");
      await store.redis.pipeline().get("k").get("k").exec();
      await store.redis.xread("BLOCK", 50, "STREAMS", "nothing", "$");
      await expect(store.redis.call("nosuchcommand")).rejects.toThrow();
      const count = "redis_command_duration_seconds_count";
      expect(await value(count, { connection: "redis-cache", command: "set", outcome: "success" })).toBe(1);
      expect(await value(count, { connection: "redis-cache", command: "get", outcome: "success" })).toBe(3);
      expect(await value(count, { command: "nosuchcommand", outcome: "error" })).toBe(1);
      expect((await samples(count)).some((s) => s.labels.command === "xread")).toBe(false);
    } finally {
      await store.close();
    }
  });

  it("times MongoDB commands from the driver's command monitoring", async () => {
    const { url, dbName } = testMongoDatabase("instr");
    const mongo = createMongo({ url, dbName, logger });
    try {
      await mongo.connected;
      await mongo.connection.db!.collection("things").insertOne({ a: 1 });
      await mongo.connection.db!.collection("things").find({}).toArray();
      const count = "mongodb_command_duration_seconds_count";
      expect(await value(count, { command: "insert", outcome: "success" })).toBeGreaterThanOrEqual(1);
      expect(await value(count, { command: "find", outcome: "success" })).toBeGreaterThanOrEqual(1);
      await mongo.connection.db!.dropDatabase();
    } finally {
      await mongo.close();
    }
  });

  it("exports a node-postgres pool's usage while it is open, and not after", async () => {
    const store = createPostgres({ url: database.url, schema: {}, logger, poolSize: 7 });
    const client = await store.pool!.connect();
    try {
      expect(await value("pg_pool_clients", { store: "postgres", state: "total" })).toBe(1);
      expect(await value("pg_pool_clients", { store: "postgres", state: "idle" })).toBe(0);
      expect(await value("pg_pool_clients", { store: "postgres", state: "waiting" })).toBe(0);
      expect(await value("pg_pool_max_clients", { store: "postgres" })).toBe(7);
    } finally {
      client.release();
      await store.close();
    }
    expect(await samples("pg_pool_clients")).toEqual([]);
  });

  it("another service's registry does not export this one's stores", async () => {
    const store = createPostgres({ url: database.url, schema: {}, logger });
    try {
      const other = await createMetrics(uniqueName("other")).registry.metrics();
      expect(other).not.toMatch(new RegExp(`service="${service}"`));
      expect(other).not.toMatch(/^pg_pool_clients\{/m);
    } finally {
      await store.close();
    }
  });
});

describe("event stream and outbox metrics", () => {
  it("reports a consumer group's lag and pending entries as Redis counts them", async () => {
    const stream = `${prefix}events:orders`;
    const consumerRedis = createRedis({ url: testStores.redisUrl, logger, name: "redis-events" });
    const consumer = startConsumer({
      redis: consumerRedis.redis,
      stream,
      group: "mail",
      consumer: "c1",
      logger,
      // Every handling fails: each event read stays pending, one per read (batches of one).
      handle: () => Promise.reject(new Error("mail server down")),
      batchSize: 1,
      blockMs: 50,
      lagSampleMs: 0,
    });
    try {
      await expect.poll(() => admin.exists(stream), { timeout: 5_000 }).toBe(1);
      for (let i = 0; i < 5; i++) await publishEvent(admin, stream, newEvent("order.placed", { i }));
      const group = { stream: "events:orders", group: "mail" };
      await expect.poll(() => value("event_stream_pending", group), { timeout: 5_000 }).toBe(5);
      await expect.poll(() => value("event_stream_lag", group), { timeout: 5_000 }).toBe(0);
      const info = (await admin.xinfo("GROUPS", stream)) as unknown[][];
      expect(info[0]).toEqual(expect.arrayContaining(["pending", 5]));
    } finally {
      await consumer.stop();
    }
    expect(await samples("event_stream_lag")).toEqual([]);
  });

  it("reports the outbox's unpublished rows and the age of the oldest at scrape time", async () => {
    const store = createPostgres({ url: database.url, schema: { outbox }, logger });
    await store.pool!.query(
      `create table outbox (id uuid primary key, stream text not null, event jsonb not null,
        created_at timestamptz(3) not null default now(), published_at timestamptz(3))`,
    );
    for (let i = 0; i < 3; i++) await enqueueEvent(store.db, `${prefix}events:users`, newEvent("user.x", { i }));
    await store.pool!.query(`update outbox set created_at = now() - interval '90 seconds'`);
    // A relay that cannot publish (its Redis is closed) leaves the rows waiting.
    const deadRedis = new Redis({ port: 1, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    deadRedis.on("error", () => undefined);
    const relay = startOutboxRelay({ db: store.db, redis: deadRedis, logger, intervalMs: 60_000 });
    try {
      expect(await value("outbox_pending_events", { store: "postgres" })).toBe(3);
      const age = await value("outbox_oldest_pending_age_seconds", { store: "postgres" });
      expect(age).toBeGreaterThanOrEqual(89);
      expect(age).toBeLessThan(120);
      await store.pool!.query(`update outbox set published_at = now()`);
      expect(await value("outbox_pending_events", { store: "postgres" })).toBe(0);
    } finally {
      await relay.stop();
      deadRedis.disconnect();
      await store.close();
    }
  });
});

describe("GraphQL outcome", () => {
  it("tells client errors from faults", () => {
    expect(operationOutcome([])).toBe("success");
    expect(
      operationOutcome([{ extensions: { code: "UNAUTHENTICATED" } }, { extensions: { code: "BAD_USER_INPUT" } }]),
    ).toBe("client_error");
    expect(
      operationOutcome([{ extensions: { code: "FORBIDDEN" } }, { extensions: { code: "INTERNAL_SERVER_ERROR" } }]),
    ).toBe("error");
    expect(operationOutcome([{}])).toBe("error");
  });
});
