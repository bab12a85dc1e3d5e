import { isDuplicateKeyError, type Logger, type Model } from "@fv/platform";
import type { Transporter } from "nodemailer";
import type { Delivery, DeliveryClaim, SentEmail } from "../db/mail.js";
import type { EmailContent } from "./templates.js";
import { retryDelayMs } from "./backoff.js";

/** One email of an outbox item: `part` names it among the item's emails ("inbox", "ack"…). */
export interface OutboundEmail {
  part: string;
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
  logger: Logger;
  retryBaseMs: number;
  retryMaxMs: number;
  /** A claim older than this is taken to belong to a sender that died mid-attempt. */
  claimLeaseMs?: number;
}

const BATCH = 50;

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
    for (const email of outbox.emails(item)) {
      const key = `${outbox.name}:${id}:${email.part}`;
      if (await sent.exists({ _id: key })) continue;
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
      } catch (error) {
        if (isDuplicateKeyError(error)) continue;
        failure = error;
        break;
      }
    }
    const now = Date.now();
    const delivery: Delivery = failure
      ? {
          state: "PENDING",
          attempts: attempt + 1,
          nextAttemptAt: new Date(now + retryDelayMs(attempt + 1, options.retryBaseMs, options.retryMaxMs)),
          lastError: String((failure as Error).message ?? failure).slice(0, 500),
        }
      : { state: "SENT", attempts: attempt + 1, nextAttemptAt: new Date(now), lastError: null };
    if (failure) logger.warn({ err: failure, outbox: outbox.name, id, attempt }, "email delivery failed; will retry");
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
