import { isDuplicateKeyError, type Logger, type Model } from "@fv/platform";
import type { Transporter } from "nodemailer";
import type { Delivery, DeliveryClaim, RejectedEmail, SentEmail } from "../db/mail.js";
import type { ContactMetrics } from "../metrics.js";
import type { EmailContent } from "./templates.js";
import { retryDelayMs } from "./backoff.js";

/** One email of an outbox item: `part` names it among the item's emails ("inbox", "ack"…). */
export interface OutboundEmail {
  part: string;
  /** What kind of email it is, for the metrics: contact_inbox, password_reset… */
  kind: string;
  to: string;
  replyTo?: string;
  content: EmailContent;
}

/** A collection whose documents carry a `delivery` and turn into emails. */
export interface Outbox<T extends { _id: unknown; delivery: Delivery }> {
  name: string;
  model: Model<T>;
  emails: (item: T) => OutboundEmail[];
}

export interface SenderOptions {
  transport: Pick<Transporter, "sendMail">;
  from: string;
  claims: Model<DeliveryClaim>;
  sent: Model<SentEmail>;
  rejected: Model<RejectedEmail>;
  logger: Logger;
  retryBaseMs: number;
  retryMaxMs: number;
  /** After this many attempts still failing (the server unreachable, say), an item is FAILED. */
  maxAttempts: number;
  metrics?: Pick<ContactMetrics, "emailsSent" | "deliveryFailures">;
  /** A claim older than this is taken to belong to a sender that died mid-attempt. */
  claimLeaseMs?: number;
}

const BATCH = 50;

/**
 * Whether the SMTP server refused an email for good: a 5xx answer to its recipient (RCPT TO) or to
 * its content (DATA). Other failures are retried: a refused connection, a timeout, a 4xx, and also
 * a 5xx to AUTH or MAIL FROM, which say the relay's settings are wrong, not this email.
 */
export function isPermanentRejection(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: unknown; command?: unknown };
  return (
    typeof responseCode === "number" &&
    responseCode >= 500 &&
    responseCode < 600 &&
    (command === "RCPT TO" || command === "DATA")
  );
}

const describe = (error: unknown) => String((error as Error)?.message ?? error).slice(0, 500);

/**
 * Delivers what outboxes hold. Each attempt at an item is claimed by inserting a unique claim, so
 * concurrent senders (several pods) never work the same attempt; each email is recorded as sent
 * before the item moves on, so a retry sends only what is still missing. The one window left is
 * a crash between the SMTP server's acceptance and that record, which can repeat one email.
 */
export function createSender(options: SenderOptions) {
  const { transport, from, claims, sent, logger } = options;
  const lease = options.claimLeaseMs ?? 10 * 60_000;

  async function claim(id: string): Promise<boolean> {
    try {
      await claims.create({ _id: id, claimedAt: new Date() });
      return true;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
    // A stale claim's sender died: whoever deletes it may try to take the attempt over.
    const stale = await claims.deleteOne({ _id: id, claimedAt: { $lt: new Date(Date.now() - lease) } });
    if (stale.deletedCount !== 1) return false;
    try {
      await claims.create({ _id: id, claimedAt: new Date() });
      return true;
    } catch (error) {
      if (isDuplicateKeyError(error)) return false;
      throw error;
    }
  }

  async function deliver<T extends { _id: unknown; delivery: Delivery }>(outbox: Outbox<T>, item: T) {
    const id = String(item._id);
    const attempt = item.delivery.attempts;
    if (!(await claim(`${outbox.name}:${id}#${attempt}`))) return;
    let failure: unknown = null;
    const rejections: string[] = [];
    for (const email of outbox.emails(item)) {
      const key = `${outbox.name}:${id}:${email.part}`;
      if (await sent.exists({ _id: key })) continue;
      const refused = await options.rejected.findById(key).lean<RejectedEmail>();
      if (refused) {
        rejections.push(`${email.part}: ${refused.error}`);
        continue;
      }
      try {
        const info = await transport.sendMail({
          from,
          to: email.to,
          replyTo: email.replyTo,
          subject: email.content.subject,
          text: email.content.text,
          html: email.content.html,
        });
        await sent.create({ _id: key, sentAt: new Date(), smtpMessageId: info.messageId ?? null });
        options.metrics?.emailsSent.inc({ kind: email.kind });
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        options.metrics?.deliveryFailures.inc({ kind: email.kind });
        if (!isPermanentRejection(error)) {
          // The server is down or busy: the rest would fail the same way.
          failure = error;
          break;
        }
        // Refused for good: recorded so no attempt sends it again; the item's other emails still go.
        await options.rejected
          .create({ _id: key, rejectedAt: new Date(), error: describe(error) })
          .catch((e: unknown) => {
            if (!isDuplicateKeyError(e)) throw e;
          });
        rejections.push(`${email.part}: ${describe(error)}`);
        logger.error(
          { err: error, outbox: outbox.name, id, part: email.part, kind: email.kind },
          "email refused for good by the mail server; not retried",
        );
      }
    }
    const now = Date.now();
    const attempts = attempt + 1;
    let delivery: Delivery;
    if (failure && attempts < options.maxAttempts) {
      delivery = {
        state: "PENDING",
        attempts,
        nextAttemptAt: new Date(now + retryDelayMs(attempts, options.retryBaseMs, options.retryMaxMs)),
        lastError: describe(failure),
      };
      logger.warn({ err: failure, outbox: outbox.name, id, attempt }, "email delivery failed; will retry");
    } else if (failure) {
      delivery = {
        state: "FAILED",
        attempts,
        nextAttemptAt: new Date(now),
        lastError: [`gave up after ${attempts} attempts: ${describe(failure)}`, ...rejections].join("; "),
      };
      logger.error({ err: failure, outbox: outbox.name, id, attempts }, "email delivery failed; giving up");
    } else if (rejections.length) {
      delivery = { state: "FAILED", attempts, nextAttemptAt: new Date(now), lastError: rejections.join("; ") };
    } else {
      delivery = { state: "SENT", attempts, nextAttemptAt: new Date(now), lastError: null };
    }
    // Only this attempt's claimant gets here, and only while the item is still at this attempt.
    await outbox.model.updateOne(
      { _id: item._id, "delivery.state": "PENDING", "delivery.attempts": attempt } as never,
      { $set: { delivery } },
    );
  }

  /** Delivers every item whose attempt is due now; returns how many it looked at. */
  async function deliverDue<T extends { _id: unknown; delivery: Delivery }>(outbox: Outbox<T>): Promise<number> {
    const due = await outbox.model
      .find({ "delivery.state": "PENDING", "delivery.nextAttemptAt": { $lte: new Date() } } as never)
      .sort({ "delivery.nextAttemptAt": 1 })
      .limit(BATCH)
      .lean<T[]>();
    for (const item of due) await deliver(outbox, item);
    return due.length;
  }

  return { deliverDue };
}

export type Sender = ReturnType<typeof createSender>;

/** Runs the sender over the outboxes every `pollMs` until stopped; a failing round is logged and retried. */
export function startSenderLoop(
  sender: Sender,
  outboxes: Outbox<any>[],
  { pollMs, logger }: { pollMs: number; logger: Logger },
) {
  let running = true;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    while (running) {
      try {
        // One batch per round: items another sender holds stay due until it finishes, and must not make this spin.
        for (const outbox of outboxes) if (running) await sender.deliverDue(outbox);
      } catch (error) {
        if (running) logger.warn({ err: error }, "email sender round failed; retrying");
      }
      if (!running) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, pollMs).unref();
      });
    }
  })();
  return {
    stop: async () => {
      running = false;
      wake?.();
      await loop;
    },
  };
}
