import { afterAll, afterEach, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { eventually, SHOP_INBOX, startContact } from "./helpers.js";
import { freePort, parseMail, startSmtpServer, type SmtpServer } from "./smtp.js";

const SUBMIT = `mutation ($input: SubmitContactMessageInput!) {
  submitContactMessage(input: $input) { message { id } errors { field code message } }
}`;
const input = {
  name: "Josefa <b>Muñoz</b>",
  email: "josefa@example.cl",
  subject: "Pedido para el viernes",
  message: "Hola, ¿pueden entregar un ramo en Ñuñoa el viernes?\n<script>alert(1)</script>",
  consent: true,
};

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanup.length) await cleanup.pop()!();
});
afterAll(async () => {
  while (cleanup.length) await cleanup.pop()!();
});

async function submit(url: string) {
  const res = await graphql(url, SUBMIT, { input });
  expect(res.data!.submitContactMessage.errors).toEqual([]);
  return res.data!.submitContactMessage.message.id as string;
}

const mailTo = (smtp: SmtpServer, address: string) => smtp.received.filter((m) => m.to.includes(address));

describe("contact message email", () => {
  it("emails the shop inbox (reply-to the sender) and acknowledges the sender, with text and HTML parts", async () => {
    const smtp = await startSmtpServer();
    cleanup.push(smtp.stop);
    const ctx = await startContact({ smtpPort: smtp.port });
    cleanup.push(ctx.stop);
    const id = await submit(ctx.url);

    await eventually(() => smtp.received.length >= 2);
    const [toInbox] = mailTo(smtp, SHOP_INBOX);
    const [toSender] = mailTo(smtp, input.email);
    expect(toInbox!.from).toBe("hola@floresvictoria.test");

    const inbox = parseMail(toInbox!.raw);
    expect(inbox.headers.from).toBe("Flores Victoria <hola@floresvictoria.test>");
    expect(inbox.headers.to).toBe(SHOP_INBOX);
    expect(inbox.headers["reply-to"]).toBe(input.email);
    expect(inbox.headers.subject).toBe(`Contacto: ${input.subject}`);
    expect(inbox.headers["content-type"]).toMatch(/^multipart\/alternative/);
    expect(inbox.text).toContain(input.message);
    expect(inbox.text).toContain(input.name);
    // User text is escaped in the HTML part: no markup of the sender's reaches the shop's mail client.
    expect(inbox.html).toContain("Josefa &lt;b&gt;Muñoz&lt;/b&gt;");
    expect(inbox.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(inbox.html).not.toContain("<script>");

    const ack = parseMail(toSender!.raw);
    expect(ack.headers.from).toBe("Flores Victoria <hola@floresvictoria.test>");
    expect(ack.headers.to).toBe(input.email);
    expect(ack.headers["reply-to"]).toBeUndefined();
    expect(ack.headers.subject).toBe(`Recibimos tu mensaje: ${input.subject}`);
    expect(ack.text).toContain("Recibimos tu mensaje");
    expect(ack.html).toContain("Hola Josefa &lt;b&gt;Muñoz&lt;/b&gt;:");

    const row = await eventually(async () => {
      const stored = await ctx.store.models.ContactMessage.findById(id).lean();
      return stored?.delivery.state === "SENT" ? stored : null;
    });
    expect(row.delivery).toMatchObject({ state: "SENT", attempts: 1 });
    const sent = await ctx.store.models.SentEmail.find().lean();
    expect(sent.map((s) => s._id).sort()).toEqual([`contact:${id}:ack`, `contact:${id}:inbox`]);
    expect(smtp.received).toHaveLength(2);
  });

  it("keeps the message while the mail server is down, then delivers it exactly once when it returns", async () => {
    const port = await freePort();
    const ctx = await startContact({ smtpPort: port });
    cleanup.push(ctx.stop);
    const id = await submit(ctx.url);

    // Attempts fail, back off and are retried; the message stays stored and pending.
    const failing = await eventually(async () => {
      const stored = await ctx.store.models.ContactMessage.findById(id).lean();
      return stored && stored.delivery.attempts >= 2 ? stored : null;
    });
    expect(failing.delivery.state).toBe("PENDING");
    expect(failing.delivery.lastError).toBeTruthy();
    expect(failing.delivery.nextAttemptAt.getTime()).toBeGreaterThan(failing.updatedAt.getTime() - 1);

    const smtp = await startSmtpServer(port);
    cleanup.push(smtp.stop);
    await eventually(
      async () => (await ctx.store.models.ContactMessage.findById(id).lean())?.delivery.state === "SENT",
    );
    expect(mailTo(smtp, SHOP_INBOX)).toHaveLength(1);
    expect(mailTo(smtp, input.email)).toHaveLength(1);

    // Later rounds of the sender find nothing left to send.
    const settled = await ctx.store.models.ContactMessage.findById(id).lean();
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.received).toHaveLength(2);
    expect((await ctx.store.models.ContactMessage.findById(id).lean())!.delivery).toEqual(settled!.delivery);
  });
});

describe("submission limit", () => {
  it("refuses a client address over the limit with a clear error, storing nothing, while others still send", async () => {
    const ctx = await startContact({ env: { CONTACT_RATE_LIMIT: "2", CONTACT_RATE_WINDOW_SECONDS: "600" } });
    cleanup.push(ctx.stop);
    const from = (address: string) => ({ "x-forwarded-for": address });
    for (let i = 0; i < 2; i++) {
      const ok = await graphql(ctx.url, SUBMIT, { input }, from("203.0.113.7"));
      expect(ok.data!.submitContactMessage.errors).toEqual([]);
    }
    const before = await ctx.store.models.ContactMessage.countDocuments();
    const refused = await graphql(ctx.url, SUBMIT, { input }, from("203.0.113.7"));
    expect(refused.data!.submitContactMessage).toEqual({
      message: null,
      errors: [
        {
          field: null,
          code: "TOO_MANY_MESSAGES",
          message: "too many messages from this address: try again in 10 minutes",
        },
      ],
    });
    expect(await ctx.store.models.ContactMessage.countDocuments()).toBe(before);
    const other = await graphql(ctx.url, SUBMIT, { input }, from("198.51.100.20"));
    expect(other.data!.submitContactMessage.errors).toEqual([]);
  });
});
