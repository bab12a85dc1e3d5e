import { describe, expect, it } from "vitest";
import { retryDelayMs } from "../src/mail/backoff.js";
import {
  formatClp,
  formatDeliveryDate,
  orderConfirmationEmail,
  orderStatusEmail,
} from "../src/mail/order-templates.js";
import {
  contactAcknowledgementEmail,
  contactInboxEmail,
  emailVerificationEmail,
  escapeHtml,
  passwordResetEmail,
} from "../src/mail/templates.js";

const message = {
  name: `Ana "<img src=x onerror=alert(1)>"`,
  email: "ana@example.cl",
  phone: null,
  subject: "Consulta & <pedido>",
  message: "Primera línea\nsegunda línea\n\nOtro párrafo <a href='x'>link</a>",
  createdAt: new Date("2026-11-29T15:00:00Z"),
};

describe("retryDelayMs", () => {
  it("doubles from the base for each failure, up to the cap", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 1_000, 10_000))).toEqual([
      0, 1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
    expect(retryDelayMs(500, 30_000, 3_600_000)).toBe(3_600_000);
  });
});

describe("email templates", () => {
  it("escapes every HTML-special character", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("puts the contact message in both parts of the shop's email, escaped in HTML only", () => {
    const email = contactInboxEmail(message);
    expect(email.subject).toBe("Contacto: Consulta & <pedido>");
    expect(email.text).toContain(message.message);
    expect(email.text).toContain(`Nombre: ${message.name}`);
    expect(email.text).toContain("Teléfono: —");
    expect(email.html).not.toContain("<img");
    expect(email.html).not.toContain("<a href='x'>");
    expect(email.html).toContain("<p>Primera línea<br>segunda línea</p>");
    expect(email.html).toContain("&lt;a href=&#39;x&#39;&gt;link&lt;/a&gt;");
  });

  it("acknowledges the sender by name, in Spanish", () => {
    const email = contactAcknowledgementEmail(message);
    expect(email.subject).toBe("Recibimos tu mensaje: Consulta & <pedido>");
    expect(email.text.startsWith(`Hola ${message.name}:`)).toBe(true);
    expect(email.html).toContain("Hola Ana &quot;&lt;img src=x onerror=alert(1)&gt;&quot;:");
  });

  it("links password resets and email verifications, with the expiry in Chilean time", () => {
    const data = {
      url: "https://floresvictoria.cl/reset-password?token=a&b=c",
      expiresAt: new Date("2026-11-29T15:00:00Z"),
    };
    const reset = passwordResetEmail(data);
    expect(reset.subject).toBe("Restablece tu contraseña");
    expect(reset.text).toContain(data.url);
    expect(reset.text).toMatch(/El enlace vence el 29 de noviembre de 2026.* 12:00/);
    expect(reset.html).toContain('href="https://floresvictoria.cl/reset-password?token=a&amp;b=c"');
    const verify = emailVerificationEmail({ ...data, expiresAt: null });
    expect(verify.subject).toBe("Confirma tu correo");
    expect(verify.text).not.toContain("vence");
  });
});

describe("order email templates", () => {
  it("formats pesos and calendar dates the Chilean way", () => {
    expect(formatClp(1234567)).toBe("$1.234.567");
    expect(formatClp(0)).toBe("$0");
    expect(formatDeliveryDate("2026-12-04")).toBe("viernes, 4 de diciembre de 2026");
  });

  it("leaves the discount line out when there is none, and escapes item names in HTML", () => {
    const email = orderConfirmationEmail({
      orderId: "o",
      number: "FV-1",
      email: "ana@example.cl",
      customerName: null,
      lines: [{ name: "Rosas <rojas>", quantity: 1, unitPrice: 10000, subtotal: 10000 }],
      subtotal: 10000,
      deliveryFee: 2000,
      discount: 0,
      total: 12000,
      deliveryDate: "2026-12-05",
      deliverySlot: "MORNING",
    });
    expect(email.text).not.toContain("Descuento");
    expect(email.text.startsWith("Hola:")).toBe(true);
    expect(email.text).toContain("Entrega: sábado, 5 de diciembre de 2026, entre 09:00–12:00.");
    expect(email.html).toContain("Rosas &lt;rojas&gt;");
    expect(orderStatusEmail({ orderId: "o", number: "FV-1", email: "a@b.cl", status: "CANCELLED" }).subject).toBe(
      "Pedido FV-1: fue cancelado",
    );
  });
  it("says when an express order arrives (no slot) and that a pickup is collected in store", () => {
    const order = {
      orderId: "o",
      number: "FV-2",
      email: "ana@example.cl",
      lines: [{ name: "Girasoles", quantity: 1, unitPrice: 30000, subtotal: 30000 }],
      subtotal: 30000,
      deliveryFee: 5985,
      discount: 0,
      total: 35985,
      deliveryDate: "2026-12-04",
    };
    const express = orderConfirmationEmail({ ...order, deliveryMethod: "EXPRESS", deliverySlot: null });
    expect(express.text).toContain("Entrega: viernes, 4 de diciembre de 2026, dentro de 2 horas desde tu pedido.");
    const pickup = orderConfirmationEmail({ ...order, deliveryMethod: "PICKUP", deliverySlot: "MIDDAY" });
    expect(pickup.text).toContain("Entrega: retiro en tienda, viernes, 4 de diciembre de 2026, entre 12:00–15:00.");
  });
});
