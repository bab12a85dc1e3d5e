import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import nodemailer from "nodemailer";
import { STREAMS, createRedis, startConsumer, type Logger, type OwnedStore } from "@fv/platform";
import { smtpAuth, type Config } from "./config.js";
import type { Models } from "./db/contact-message.js";
import { createAuthEventHandler } from "./auth-events.js";
import { createOrderEventHandler } from "./order-events.js";
import { contactOutbox, transactionalOutbox } from "./mail/outboxes.js";
import { createSender, startSenderLoop } from "./mail/sender.js";
import type { ContactMetrics } from "./metrics.js";

/** Consumers of one group must have distinct names; several services may share a process in tests. */
const consumerName = () => `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;

export function createTransport(config: Config) {
  return nodemailer.createTransport({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_TLS === "implicit",
    requireTLS: config.SMTP_TLS === "starttls",
    ignoreTLS: config.SMTP_TLS === "none",
    auth: smtpAuth(config),
    // A mail server that hangs must not hold an attempt for long: it fails and is retried.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
}

/**
 * The contact service's work beside GraphQL: delivering the outboxes (contact messages,
 * transactional email) and consuming auth's and orders' events into the transactional outbox. Nothing here
 * waits for SMTP, MongoDB or Redis: each retries until they answer. Close stops it all.
 */
export function startBackgroundWork(
  config: Config,
  models: Models,
  logger: Logger,
  metrics?: ContactMetrics,
): OwnedStore {
  const transport = createTransport(config);
  const sender = createSender({
    transport,
    from: config.MAIL_FROM,
    claims: models.DeliveryClaim,
    sent: models.SentEmail,
    rejected: models.RejectedEmail,
    logger,
    retryBaseMs: config.MAIL_RETRY_BASE_MS,
    retryMaxMs: config.MAIL_RETRY_MAX_MS,
    maxAttempts: config.MAIL_MAX_ATTEMPTS,
    metrics,
  });
  const loop = startSenderLoop(sender, [contactOutbox(models, config.SHOP_INBOX), transactionalOutbox(models)], {
    pollMs: config.MAIL_POLL_MS,
    logger,
  });
  // XREADGROUP BLOCK holds its connection: the consumer has one of its own.
  const consumerRedis = createRedis({
    url: config.REDIS_URL,
    keyPrefix: config.EVENTS_PREFIX,
    logger,
    name: "redis-events",
  });
  const ordersRedis = createRedis({
    url: config.REDIS_URL,
    keyPrefix: config.EVENTS_PREFIX,
    logger,
    name: "redis-order-events",
  });
  const consumers = [
    startConsumer({
      redis: consumerRedis.redis,
      stream: STREAMS.auth,
      group: "contact",
      consumer: consumerName(),
      logger,
      handle: createAuthEventHandler(models, logger),
      retryAfterMs: config.EVENTS_RETRY_AFTER_MS,
    }),
    startConsumer({
      redis: ordersRedis.redis,
      stream: STREAMS.orders,
      group: "contact",
      consumer: consumerName(),
      logger,
      handle: createOrderEventHandler(models, logger),
      retryAfterMs: config.EVENTS_RETRY_AFTER_MS,
    }),
  ];
  return {
    // Redis itself is checked on the service's own connection; the consumers' are blocked in XREADGROUP.
    readiness: { name: "mail-sender", check: async () => undefined },
    close: async () => {
      await Promise.all([loop.stop(), ...consumers.map((consumer) => consumer.stop())]);
      transport.close();
    },
  };
}
