import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import {
  createTestIssuer,
  listenForTest,
  testMongoDatabase,
  testServiceEnv,
  testStores,
  uniqueName,
} from "@fv/platform/testing";
import { createLogger, parseConfig, type Role, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildContactService, createStore } from "../src/server.js";

export const SHOP_INBOX = "tienda@floresvictoria.test";
export const MAIL_FROM = '"Flores Victoria" <hola@floresvictoria.test>';

/**
 * A contact service on a MongoDB database of its own, a Redis key prefix and an event-stream
 * prefix of its own, listening on loopback, trusting a test issuer's keys: `signIn` gives the
 * headers of a user with that id and role. Mail goes to `smtpPort` (nothing need listen there).
 */
export async function startContact(options: { smtpPort?: number; env?: Record<string, string> } = {}) {
  const database = testMongoDatabase("contact");
  const issuer = await createTestIssuer();
  const redisPrefix = `${uniqueName("test_contact")}:`;
  const eventsPrefix = `${uniqueName("test_contact_events")}:`;
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
    REDIS_URL: testStores.redisUrl,
    REDIS_PREFIX: redisPrefix,
    EVENTS_PREFIX: eventsPrefix,
    CONTACT_RATE_LIMIT: "1000",
    // Port 1: nothing listens there, so mail stays pending unless a test gives its server.
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(options.smtpPort ?? 1),
    SMTP_TLS: "none",
    MAIL_FROM,
    SHOP_INBOX,
    MAIL_RETRY_BASE_MS: "100",
    MAIL_RETRY_MAX_MS: "400",
    // Without a mail server the sender looks once, at start: stored messages stay as submitted.
    MAIL_POLL_MS: options.smtpPort === undefined ? "600000" : "50",
    EVENTS_RETRY_AFTER_MS: "200",
    LOG_LEVEL: "silent",
    ...options.env,
  });
  // Indexes exist before the first request, as in a ready service.
  const store = createStore(config, createLogger("contact-test", "silent"));
  await store.connected;
  await store.ensureIndexes();
  const redis = new Redis(testStores.redisUrl);
  const service: Service = await buildContactService(config, createLogger("contact", "silent"));
  const url = await listenForTest(service);
  const deleteKeys = async (prefix: string) => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  };
  return {
    url,
    store,
    service,
    config,
    /** Test's own Redis connection, without prefix. */
    redis,
    eventsPrefix,
    signIn: async (userId: string = randomUUID(), role: Role = "customer") => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    stop: async () => {
      await service.stop();
      await issuer.stop();
      await deleteKeys(redisPrefix);
      await deleteKeys(eventsPrefix);
      await redis.quit();
      await store.connection.dropDatabase();
      await store.close();
    },
  };
}

/** Polls until `check` returns something truthy, failing after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}
