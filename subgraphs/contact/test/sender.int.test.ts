import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@fv/platform";
import { startContact } from "./helpers.js";
import { createSender } from "../src/mail/sender.js";
import { contactOutbox } from "../src/mail/outboxes.js";

let ctx: Awaited<ReturnType<typeof startContact>>;
beforeAll(async () => {
  ctx = await startContact();
});
afterAll(() => ctx?.stop());

const message = (i: number) => ({
  name: "Ana",
  email: `ana${i}@example.cl`,
  subject: `Consulta ${i}`,
  message: "Un mensaje de prueba.",
  consent: true,
});

describe("email sender", () => {
  it("sends each email once when several senders work the same outbox at the same time", async () => {
    const stored = await ctx.store.models.ContactMessage.insertMany(Array.from({ length: 5 }, (_, i) => message(i)));
    const sent: string[] = [];
    const senders = Array.from({ length: 4 }, () =>
      createSender({
        transport: {
          sendMail: async (mail: { to?: unknown; subject?: unknown }) => {
            sent.push(`${String(mail.to)}|${String(mail.subject)}`);
            return { messageId: null } as never;
          },
        } as never,
        from: "hola@floresvictoria.test",
        claims: ctx.store.models.DeliveryClaim,
        sent: ctx.store.models.SentEmail,
        rejected: ctx.store.models.RejectedEmail,
        logger: createLogger("sender-test", "silent"),
        retryBaseMs: 100,
        retryMaxMs: 400,
        maxAttempts: 10,
      }),
    );
    const outbox = contactOutbox(ctx.store.models, "tienda@floresvictoria.test");
    await Promise.all(senders.map((sender) => sender.deliverDue(outbox)));
    await Promise.all(senders.map((sender) => sender.deliverDue(outbox)));

    expect(sent.sort()).toEqual(
      stored
        .flatMap((m) => [
          `${m.email}|Recibimos tu mensaje: ${m.subject}`,
          `tienda@floresvictoria.test|Contacto: ${m.subject}`,
        ])
        .sort(),
    );
    const rows = await ctx.store.models.ContactMessage.find({ _id: { $in: stored.map((m) => m._id) } }).lean();
    expect(rows.map((r) => r.delivery.state)).toEqual(["SENT", "SENT", "SENT", "SENT", "SENT"]);
  });

  it("sends only the emails still missing when an attempt failed halfway", async () => {
    const [stored] = await ctx.store.models.ContactMessage.insertMany([message(9)]);
    const sent: string[] = [];
    let failNext = false;
    const sender = createSender({
      transport: {
        sendMail: async (mail: { to?: unknown }) => {
          if (failNext) throw new Error("451 try again later");
          sent.push(String(mail.to));
          failNext = true;
          return { messageId: null } as never;
        },
      } as never,
      from: "hola@floresvictoria.test",
      claims: ctx.store.models.DeliveryClaim,
      sent: ctx.store.models.SentEmail,
      rejected: ctx.store.models.RejectedEmail,
      logger: createLogger("sender-test", "silent"),
      retryBaseMs: 10,
      retryMaxMs: 10,
      maxAttempts: 10,
    });
    const outbox = contactOutbox(ctx.store.models, "tienda@floresvictoria.test");
    await sender.deliverDue(outbox);
    const afterFailure = await ctx.store.models.ContactMessage.findById(stored!._id).lean();
    expect(afterFailure!.delivery).toMatchObject({ state: "PENDING", attempts: 1, lastError: "451 try again later" });

    failNext = false;
    await new Promise((r) => setTimeout(r, 20));
    await sender.deliverDue(outbox);
    expect(sent).toEqual(["tienda@floresvictoria.test", "ana9@example.cl"]);
    expect((await ctx.store.models.ContactMessage.findById(stored!._id).lean())!.delivery).toMatchObject({
      state: "SENT",
      attempts: 2,
    });
  });
});
