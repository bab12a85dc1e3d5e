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
  publishEvent(ctx.redis, `${ctx.eventsPrefix}${STREAMS.orders}`, event);
const mailsTo = (address: string) => smtp.received.filter((m) => m.to.includes(address)).map((m) => parseMail(m.raw));

const placed = (email: string) => ({
  orderId: randomUUID(),
  number: "FV-000123",
  email,
  customerName: "Josefa <Muñoz>",
  lines: [
    { name: "Ramo de rosas rojas", quantity: 2, unitPrice: 24990, subtotal: 49980 },
    { name: "Tarjeta", quantity: 1, unitPrice: 1500, subtotal: 1500 },
  ],
  subtotal: 51480,
  deliveryFee: 3990,
  discount: 5000,
  total: 50470,
  deliveryDate: "2026-12-04",
  deliverySlot: "AFTERNOON",
});

describe("order email from orders' events", () => {
  it("confirms a placed order with its lines, totals, delivery date and slot, once per event", async () => {
    const email = `${randomUUID()}@example.cl`;
    const event = newEvent("orders.order_placed", placed(email));
    await publish(event);
    await publish(event);
    const marker = newEvent("orders.status_changed", {
      orderId: event.data.orderId,
      number: "FV-000123",
      email,
      status: "PREPARING",
    });
    await publish(marker);
    await eventually(
      async () => (await ctx.store.models.TransactionalEmail.findById(marker.id).lean())?.delivery.state === "SENT",
    );

    const mails = mailsTo(email);
    expect(mails.map((m) => m.headers.subject)).toEqual([
      "Confirmamos tu pedido FV-000123",
      "Pedido FV-000123: se está preparando",
    ]);
    const [confirmation, status] = mails;
    expect(confirmation!.text).toContain("2 × Ramo de rosas rojas ($24.990): $49.980");
    expect(confirmation!.text).toContain("Descuento: -$5.000");
    expect(confirmation!.text).toContain("Total: $50.470");
    expect(confirmation!.text).toContain("Entrega: viernes, 4 de diciembre de 2026, entre 15:00–18:00.");
    expect(confirmation!.html).toContain("Hola Josefa &lt;Muñoz&gt;:");
    expect(status!.text).toContain("Tu pedido FV-000123 se está preparando.");
  });

  it("skips a malformed order event", async () => {
    const email = `${randomUUID()}@example.cl`;
    const bad = newEvent("orders.order_placed", { ...placed(email), lines: [] });
    const good = newEvent("orders.status_changed", { orderId: "o", number: "FV-9", email, status: "DELIVERED" });
    await publish(bad);
    await publish(good);
    await eventually(() => mailsTo(email).length === 1);
    expect(mailsTo(email)[0]!.headers.subject).toBe("Pedido FV-9: fue entregado");
    expect(await ctx.store.models.TransactionalEmail.exists({ _id: bad.id })).toBeNull();
  });
});
