import { Gauge, Histogram, type Metric, type Registry } from "prom-client";
import type pg from "pg";
import type { Redis } from "ioredis";
import type { Logger } from "./logger.js";

/**
 * Store, event-stream and outbox metrics. Stores, consumers and relays are created before the service
 * that owns them builds its registry (and several services share a process in tests), so each one
 * registers here under the service its logger names (`createLogger(service)` binds `service`), and
 * `createMetrics(service)` exports what is registered under that name. Every label is bounded: store and
 * connection names come from code, command names are capped, streams and groups are fixed per deployment.
 */

const commandBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
const MAX_COMMAND_NAMES = 64;

export interface ConsumerLagState {
  stream: string;
  group: string;
  /** Entries of the stream not yet delivered to the group (XINFO GROUPS `lag`); undefined when unknown. */
  lag?: number;
  /** Entries delivered to the group and not yet acknowledged. */
  pending?: number;
}

export interface OutboxBacklog {
  pending: number;
  oldestAgeSeconds: number;
}

interface ServiceInstruments {
  redisCommands: Histogram<"connection" | "command" | "outcome">;
  mongoCommands: Histogram<"command" | "outcome">;
  pgPools: Set<{ pool: pg.Pool; store: string }>;
  consumers: Set<ConsumerLagState>;
  outboxes: Set<() => Promise<OutboxBacklog>>;
  commandNames: Set<string>;
  /** A service's own metrics declared at module level (exportWithService). */
  own: Set<Metric>;
}

const instruments = new Map<string, ServiceInstruments>();

/** The service a logger belongs to (`createLogger` binds it); "unknown" for loggers made elsewhere. */
export function serviceOfLogger(logger: Pick<Logger, "bindings"> | undefined): string {
  try {
    const service = logger?.bindings?.().service;
    return typeof service === "string" && service ? service : "unknown";
  } catch {
    return "unknown";
  }
}

export function instrumentsOf(service: string): ServiceInstruments {
  let found = instruments.get(service);
  if (!found) {
    found = {
      // Not registered anywhere yet: createMetrics adds them to the service's registry.
      redisCommands: new Histogram({
        name: "redis_command_duration_seconds",
        help: "Redis commands by connection, command and outcome (blocking reads excluded)",
        labelNames: ["connection", "command", "outcome"],
        buckets: commandBuckets,
        registers: [],
      }),
      mongoCommands: new Histogram({
        name: "mongodb_command_duration_seconds",
        help: "MongoDB commands by command name and outcome, from the driver's command monitoring",
        labelNames: ["command", "outcome"],
        buckets: commandBuckets,
        registers: [],
      }),
      pgPools: new Set(),
      consumers: new Set(),
      outboxes: new Set(),
      commandNames: new Set(),
      own: new Set(),
    };
    instruments.set(service, found);
  }
  return found;
}

/**
 * Exports a metric (created with `registers: []`) from every registry `createMetrics(service)` makes,
 * so a module can declare its service's metric where it is counted, without reaching the registry.
 */
export function exportWithService<T extends Metric>(service: string, metric: T): T {
  instrumentsOf(service).own.add(metric);
  return metric;
}

/** A command name as a label: lower case, and "other" once a service has seen too many distinct ones. */
function commandLabel(service: ServiceInstruments, name: string): string {
  const command = name.toLowerCase();
  if (!/^[a-z][a-z0-9_.-]{0,39}$/.test(command)) return "other";
  if (service.commandNames.has(command)) return command;
  if (service.commandNames.size >= MAX_COMMAND_NAMES) return "other";
  service.commandNames.add(command);
  return command;
}

/** Commands that wait for data by design: their duration says nothing about Redis's health. */
const BLOCKING_COMMANDS = new Set([
  "blpop",
  "brpop",
  "brpoplpush",
  "blmove",
  "blmpop",
  "bzpopmin",
  "bzpopmax",
  "bzmpop",
  "xread",
  "xreadgroup",
  "wait",
  "waitaof",
  "subscribe",
  "psubscribe",
  "ssubscribe",
  "monitor",
]);

interface SentCommand {
  name: string;
  promise: Promise<unknown>;
}

/** Times every command an ioredis client sends (pipelines and transactions included). */
export function instrumentRedis(redis: Redis, connection: string, logger: Logger): void {
  const service = instrumentsOf(serviceOfLogger(logger));
  const seen = new WeakSet<object>();
  const client = redis as unknown as { sendCommand: (command: SentCommand, ...rest: unknown[]) => unknown };
  const send = client.sendCommand.bind(redis);
  client.sendCommand = (command, ...rest) => {
    const result = send(command, ...rest);
    // A command sent again after a reconnection is the same object: time it once.
    if (!seen.has(command) && !BLOCKING_COMMANDS.has(command.name)) {
      seen.add(command);
      const end = service.redisCommands.startTimer({ connection, command: commandLabel(service, command.name) });
      command.promise.then(
        () => end({ outcome: "success" }),
        () => end({ outcome: "error" }),
      );
    }
    return result;
  };
}

interface CommandEvent {
  commandName: string;
  duration: number;
}
interface MonitoredClient {
  on(event: "commandSucceeded" | "commandFailed", listener: (event: CommandEvent) => void): unknown;
}

/** Times every command of a MongoDB client (it must be created with `monitorCommands: true`). */
export function instrumentMongoClient(client: MonitoredClient, logger: Logger): void {
  const service = instrumentsOf(serviceOfLogger(logger));
  const observe = (outcome: string) => (event: CommandEvent) =>
    service.mongoCommands.observe(
      { command: commandLabel(service, event.commandName), outcome },
      Number(event.duration) / 1000,
    );
  client.on("commandSucceeded", observe("success"));
  client.on("commandFailed", observe("error"));
}

/** Exports a node-postgres pool's usage; returns the unregistration to call when the pool ends. */
export function instrumentPgPool(pool: pg.Pool, store: string, logger: Logger): () => void {
  const entry = { pool, store };
  const set = instrumentsOf(serviceOfLogger(logger)).pgPools;
  set.add(entry);
  return () => set.delete(entry);
}

/** Registers a consumer's lag state (updated by the consumer); returns the unregistration. */
export function registerConsumerLag(state: ConsumerLagState, logger: Logger): () => void {
  const set = instrumentsOf(serviceOfLogger(logger)).consumers;
  set.add(state);
  return () => set.delete(state);
}

/** Registers an outbox whose backlog is read at scrape time; returns the unregistration. */
export function registerOutbox(read: () => Promise<OutboxBacklog>, logger: Logger): () => void {
  const set = instrumentsOf(serviceOfLogger(logger)).outboxes;
  set.add(read);
  return () => set.delete(read);
}

/** The stream's name without the deployment's key prefix: `fv:events:auth` → `events:auth`. */
export const streamLabel = (stream: string) => {
  const at = stream.lastIndexOf("events:");
  return at >= 0 ? stream.slice(at) : stream;
};

const OUTBOX_SCRAPE_TIMEOUT_MS = 2_000;

/** Adds the store, stream and outbox metrics of `service` to its registry. */
export function registerInstrumentMetrics(registry: Registry, service: string): void {
  const found = instrumentsOf(service);
  registry.registerMetric(found.redisCommands);
  registry.registerMetric(found.mongoCommands);
  for (const metric of found.own) registry.registerMetric(metric);

  new Gauge({
    name: "pg_pool_clients",
    help: "node-postgres pool clients by state: total (open), idle, waiting (callers queued for a client)",
    labelNames: ["store", "state"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { pool, store } of found.pgPools) {
        this.set({ store, state: "total" }, pool.totalCount);
        this.set({ store, state: "idle" }, pool.idleCount);
        this.set({ store, state: "waiting" }, pool.waitingCount);
      }
    },
  });
  new Gauge({
    name: "pg_pool_max_clients",
    help: "node-postgres pool size limit",
    labelNames: ["store"],
    registers: [registry],
    collect() {
      this.reset();
      for (const { pool, store } of found.pgPools) this.set({ store }, pool.options.max ?? 10);
    },
  });
  new Gauge({
    name: "event_stream_lag",
    help: "Events of a Redis stream not yet delivered to a consumer group (XINFO GROUPS lag), sampled by the consumer",
    labelNames: ["stream", "group"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of found.consumers)
        if (c.lag !== undefined) this.set({ stream: streamLabel(c.stream), group: c.group }, c.lag);
    },
  });
  new Gauge({
    name: "event_stream_pending",
    help: "Events delivered to a consumer group and not yet acknowledged (XINFO GROUPS pending), sampled by the consumer",
    labelNames: ["stream", "group"],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of found.consumers)
        if (c.pending !== undefined) this.set({ stream: streamLabel(c.stream), group: c.group }, c.pending);
    },
  });

  // One query per scrape serves both outbox gauges: the first collect reads, the second reuses it.
  let reading: Promise<OutboxBacklog | undefined> | undefined;
  const readOutboxes = () =>
    (reading ??= (async () => {
      if (found.outboxes.size === 0) return undefined;
      const results = await Promise.all(
        [...found.outboxes].map((read) =>
          Promise.race([
            read(),
            new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), OUTBOX_SCRAPE_TIMEOUT_MS).unref()),
          ]).catch(() => undefined),
        ),
      );
      const known = results.filter((r): r is OutboxBacklog => r !== undefined);
      if (known.length === 0) return undefined;
      return {
        pending: known.reduce((sum, r) => sum + r.pending, 0),
        oldestAgeSeconds: Math.max(...known.map((r) => r.oldestAgeSeconds)),
      };
    })().finally(() => setTimeout(() => (reading = undefined), 100).unref()));
  new Gauge({
    name: "outbox_pending_events",
    help: "Outbox rows not yet published to the event streams (read at scrape time; absent while the database does not answer)",
    labelNames: ["store"],
    registers: [registry],
    async collect() {
      this.reset();
      const backlog = await readOutboxes();
      if (backlog) this.set({ store: "postgres" }, backlog.pending);
    },
  });
  new Gauge({
    name: "outbox_oldest_pending_age_seconds",
    help: "Age of the oldest unpublished outbox row, 0 when none is waiting",
    labelNames: ["store"],
    registers: [registry],
    async collect() {
      this.reset();
      const backlog = await readOutboxes();
      if (backlog) this.set({ store: "postgres" }, backlog.oldestAgeSeconds);
    },
  });
}
