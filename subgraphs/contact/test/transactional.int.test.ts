import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STREAMS, newEvent, publishEvent } from "@fv/platform";
import { eventually, startContact } from "./helpers.js";
import { parseMail, startSmtpServer } from "./smtp.js";

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let ctx: Awaited<ReturnType<typeof startContact>>;
beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await startContact({ smtpPort: smtp.port });
});
afterAll(async () => {
  await ctx?.stop();
  await smtp?.stop();
});

const publish = (event: ReturnType<typeof newEvent>) =>
  publishEvent(ctx.redis, `${ctx.eventsPrefix}${STREAMS.auth}`, event);
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address)).map((m) => parseMail(m.raw));

describe("transactional email from auth events", () => {
  it.each([
    ["auth.password_reset_requested", "reset-password", "Restablece tu contraseña", "Restablecer contraseña"],
    ["auth.email_verification_requested", "verify-email", "Confirma tu correo", "Confirmar correo"],
  ])("sends %s's link by email, in both parts", async (type, page, subject, action) => {
    const email = `${randomUUID()}@example.cl`;
    const url = `https://floresvictoria.test/${page}?token=abc&x=<y>`;
    await publish(
      newEvent(type, { userId: randomUUID(), email, token: "abc", expiresAt: "2026-11-30T15:00:00.000Z", url }),
    );
    const [mail] = await eventually(() => (mailsTo(email).length ? mailsTo(email) : null));
    expect(mail!.headers.subject).toBe(subject);
    expect(mail!.headers.to).toBe(email);
    expect(mail!.text).toContain(url);
    expect(mail!.html).toContain(`href="https://floresvictoria.test/${page}?token=abc&amp;x=&lt;y&gt;"`);
    expect(mail!.html).toContain(action);
  });

  it("sends a redelivered event's email once", async () => {
    const email = `${randomUUID()}@example.cl`;
    const event = newEvent("auth.password_reset_requested", {
      userId: randomUUID(),
      email,
      token: "t",
      expiresAt: "2026-11-30T15:00:00.000Z",
      url: "https://floresvictoria.test/reset-password?token=t",
    });
    await publish(event);
    await eventually(
      async () => (await ctx.store.models.TransactionalEmail.findById(event.id).lean())?.delivery.state === "SENT",
    );
    await publish(event);
    // A later event to the same address, published after the repeat, marks when the repeat was handled.
    const marker = newEvent("auth.email_verification_requested", {
      userId: randomUUID(),
      email,
      token: "m",
      expiresAt: null,
      url: "https://floresvictoria.test/verify-email?token=m",
    });
    await publish(marker);
    await eventually(
      async () => (await ctx.store.models.TransactionalEmail.findById(marker.id).lean())?.delivery.state === "SENT",
    );
    expect(mailsTo(email).map((m) => m.headers.subject)).toEqual(["Restablece tu contraseña", "Confirma tu correo"]);
    expect(await ctx.store.models.TransactionalEmail.countDocuments({ to: email })).toBe(2);
  });

  it("skips a malformed event and other event types, and goes on with the next", async () => {
    const email = `${randomUUID()}@example.cl`;
    const bad = newEvent("auth.password_reset_requested", { userId: randomUUID(), email, url: "javascript:alert(1)" });
    const other = newEvent("auth.user_registered", { userId: randomUUID(), email, name: "Ana", phone: null });
    const good = newEvent("auth.email_verification_requested", {
      userId: randomUUID(),
      email,
      token: "g",
      expiresAt: "2026-11-30T15:00:00.000Z",
      url: "https://floresvictoria.test/verify-email?token=g",
    });
    for (const event of [bad, other, good]) await publish(event);
    await eventually(() => mailsTo(email).length === 1);
    expect(await ctx.store.models.TransactionalEmail.find({ to: email }).distinct("_id")).toEqual([good.id]);
  });
});
