import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { SHOP_INBOX, startContact } from "./helpers.js";
import { parseMail, startSmtpServer, type SmtpServer } from "./smtp.js";

/** A mail server that refuses one address for good (550), as a real one does for a mailbox that does not exist. */
const NO_SUCH_MAILBOX = "no.existe@example.cl";

let smtp: SmtpServer;
let ctx: Awaited<ReturnType<typeof startContact>>;
beforeAll(async () => {
  smtp = await startSmtpServer(0, { rejects: (address) => address === NO_SUCH_MAILBOX });
  ctx = await startContact({ smtpPort: smtp.port });
});
afterAll(async () => {
  await ctx?.stop();
  await smtp?.stop();
});

const SUBMIT = `mutation ($input: SubmitContactMessageInput!) {
  submitContactMessage(input: $input) { message { id } errors { code } }
}`;
const MESSAGE = `query ($id: ID!) { contactMessage(id: $id) { emailDelivery emailDeliveryError } }`;
const LIST = `query ($filter: ContactMessageFilter) {
  contactMessages(filter: $filter, first: 100) { edges { node { id emailDelivery } } }
}`;

async function submit(email: string, subject: string) {
  const res = await graphql(ctx.url, SUBMIT, {
    input: { name: "Valentina", email, subject, message: "¿Entregan en Ñuñoa el domingo?", consent: true },
  });
  expect(res.errors).toBeUndefined();
  expect(res.data!.submitContactMessage.errors).toEqual([]);
  return res.data!.submitContactMessage.message.id as string;
}

/** What staff see of a message's delivery. */
async function delivery(id: string) {
  const res = await graphql(ctx.url, MESSAGE, { id }, await ctx.signIn(undefined, "support"));
  expect(res.errors).toBeUndefined();
  return res.data!.contactMessage as { emailDelivery: string; emailDeliveryError: string | null };
}

/** A sample of the service's /metrics: the value of `name` with these labels (0 when absent). */
async function metric(name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${ctx.url}/metrics`)).text();
  const line = text
    .split("\n")
    .find(
      (l) =>
        (l.startsWith(`${name} `) || l.startsWith(`${name}{`)) &&
        Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("an address the mail server refuses for good", () => {
  it("is not retried: the message is FAILED with the server's answer, while the shop still gets its copy", async () => {
    const before = {
      received: await metric("contact_messages_received_total"),
      inboxSent: await metric("emails_sent_total", { kind: "contact_inbox" }),
      ackSent: await metric("emails_sent_total", { kind: "contact_ack" }),
      ackFailures: await metric("email_delivery_failures_total", { kind: "contact_ack" }),
    };
    const refused = await submit(NO_SUCH_MAILBOX, "Consulta con dirección inexistente");

    await expect.poll(async () => (await delivery(refused)).emailDelivery, { timeout: 10_000 }).toBe("FAILED");
    const seen = await delivery(refused);
    expect(seen.emailDeliveryError).toMatch(/^ack: .*550.*no such mailbox/);
    // The shop's copy went out (reply-to the sender), and only it.
    const copies = smtp.received.filter((mail) =>
      parseMail(mail.raw).headers.subject?.includes("dirección inexistente"),
    );
    expect(copies.map((mail) => mail.to)).toEqual([[SHOP_INBOX]]);
    expect(parseMail(copies[0]!.raw).headers["reply-to"]).toContain(NO_SUCH_MAILBOX);

    // Another message delivered afterwards proves the sender went round again: the refused one was not.
    const later = await submit("valentina@example.cl", "Otra consulta");
    await expect.poll(async () => (await delivery(later)).emailDelivery, { timeout: 10_000 }).toBe("SENT");
    expect(smtp.recipients.filter((address) => address === NO_SUCH_MAILBOX)).toHaveLength(1);
    expect(await delivery(refused)).toEqual(seen);

    // Staff can list the messages whose emails failed.
    const failed = await graphql(
      ctx.url,
      LIST,
      { filter: { emailDelivery: ["FAILED"] } },
      await ctx.signIn(undefined, "support"),
    );
    const ids = failed.data!.contactMessages.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(refused);
    expect(ids).not.toContain(later);

    // The metrics alerts read.
    expect((await metric("contact_messages_received_total")) - before.received).toBe(2);
    expect((await metric("emails_sent_total", { kind: "contact_inbox" })) - before.inboxSent).toBe(2);
    expect((await metric("emails_sent_total", { kind: "contact_ack" })) - before.ackSent).toBe(1);
    expect((await metric("email_delivery_failures_total", { kind: "contact_ack" })) - before.ackFailures).toBe(1);
  });

  it("email_outbox_pending counts what is waiting to be sent", async () => {
    // Everything submitted so far is SENT or FAILED.
    await expect.poll(() => metric("email_outbox_pending"), { timeout: 10_000 }).toBe(0);
    // A message whose next attempt is an hour away waits in the outbox.
    const [waiting] = await ctx.store.models.ContactMessage.insertMany([
      {
        name: "Ana",
        email: "ana@example.cl",
        subject: "En espera",
        message: "Un mensaje que espera.",
        consent: true,
        delivery: { state: "PENDING", attempts: 1, nextAttemptAt: new Date(Date.now() + 3_600_000) },
      },
    ]);
    expect(await metric("email_outbox_pending")).toBe(1);
    await ctx.store.models.ContactMessage.deleteOne({ _id: waiting!._id });
    expect(await metric("email_outbox_pending")).toBe(0);
  });
});

describe("a mail server that stays unreachable", () => {
  it("is given up after MAIL_MAX_ATTEMPTS attempts: FAILED, saying why, counted as failures", async () => {
    // Port 1: nothing listens there.
    const down = await startContact({ env: { MAIL_MAX_ATTEMPTS: "2", MAIL_POLL_MS: "50" } });
    try {
      const res = await graphql(down.url, SUBMIT, {
        input: {
          name: "Valentina",
          email: "valentina@example.cl",
          subject: "Sin servidor",
          message: "Hola, ¿siguen abiertos?",
          consent: true,
        },
      });
      const id = res.data!.submitContactMessage.message.id;
      const stored = () => down.store.models.ContactMessage.findById(id).lean();
      await expect.poll(async () => (await stored())!.delivery.state, { timeout: 10_000 }).toBe("FAILED");
      const { delivery } = (await stored())!;
      expect(delivery.attempts).toBe(2);
      expect(delivery.lastError).toMatch(/^gave up after 2 attempts: .*ECONNREFUSED/);
      const text = await (await fetch(`${down.url}/metrics`)).text();
      expect(text).toMatch(/^email_delivery_failures_total\{kind="contact_inbox"[^}]*\} 2$/m);
    } finally {
      await down.stop();
    }
  });
});
