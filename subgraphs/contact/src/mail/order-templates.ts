import type { OrderPlaced, OrderStatusChanged } from "../order-events.js";
import { escapeHtml, layout, type EmailContent } from "./templates.js";

const SLOTS: Record<NonNullable<OrderPlaced["deliverySlot"]>, string> = {
  MORNING: "09:00–12:00",
  MIDDAY: "12:00–15:00",
  AFTERNOON: "15:00–18:00",
  EVENING: "18:00–21:00",
};

const STATUS_TEXT: Record<OrderStatusChanged["status"], string> = {
  PENDING_PAYMENT: "está esperando el pago",
  PAID: "fue pagado",
  PREPARING: "se está preparando",
  OUT_FOR_DELIVERY: "va en camino",
  DELIVERED: "fue entregado",
  CANCELLED: "fue cancelado",
};

/** Whole pesos as Chileans write them: $12.990. */
export const formatClp = (amount: number) => `$${amount.toLocaleString("es-CL", { maximumFractionDigits: 0 })}`;

/** 2026-12-04 → "viernes 4 de diciembre de 2026" (a calendar date: no time zone shifts it). */
export const formatDeliveryDate = (date: string) =>
  new Intl.DateTimeFormat("es-CL", { dateStyle: "full", timeZone: "UTC" }).format(new Date(`${date}T12:00:00Z`));

const greeting = (name: string | null | undefined) => (name ? `Hola ${name}:` : "Hola:");

export function orderConfirmationEmail(order: OrderPlaced): EmailContent {
  const subject = `Confirmamos tu pedido ${order.number}`;
  const when = order.deliverySlot ? `entre ${SLOTS[order.deliverySlot]}` : "dentro de 2 horas desde tu pedido";
  const pickup = order.deliveryMethod === "PICKUP" ? "retiro en tienda, " : "";
  const delivery = `${pickup}${formatDeliveryDate(order.deliveryDate)}, ${when}`;
  const totals: [string, number][] = [
    ["Subtotal", order.subtotal],
    ["Despacho", order.deliveryFee],
    ...(order.discount ? [["Descuento", -order.discount] as [string, number]] : []),
    ["Total", order.total],
  ];
  const money = (n: number) => (n < 0 ? `-${formatClp(-n)}` : formatClp(n));
  return {
    subject,
    text: [
      greeting(order.customerName),
      "",
      `Recibimos tu pedido ${order.number}. Este es el detalle:`,
      "",
      ...order.lines.map((l) => `${l.quantity} × ${l.name} (${formatClp(l.unitPrice)}): ${formatClp(l.subtotal)}`),
      "",
      ...totals.map(([label, amount]) => `${label}: ${money(amount)}`),
      "",
      `Entrega: ${delivery}.`,
      "",
      "Flores Victoria",
    ].join("\n"),
    html: layout(
      subject,
      `<p>${escapeHtml(greeting(order.customerName))}</p>
<p>Recibimos tu pedido <strong>${escapeHtml(order.number)}</strong>. Este es el detalle:</p>
<table cellpadding="4">
${order.lines.map((l) => `<tr><td>${l.quantity} × ${escapeHtml(l.name)}</td><td align="right">${formatClp(l.unitPrice)}</td><td align="right">${formatClp(l.subtotal)}</td></tr>`).join("\n")}
${totals.map(([label, amount]) => `<tr><th align="left" colspan="2">${label}</th><td align="right">${money(amount)}</td></tr>`).join("\n")}
</table>
<p>Entrega: <strong>${escapeHtml(delivery)}</strong>.</p>`,
    ),
  };
}

export function orderStatusEmail(change: OrderStatusChanged): EmailContent {
  const sentence = `Tu pedido ${change.number} ${STATUS_TEXT[change.status]}.`;
  return {
    subject: `Pedido ${change.number}: ${STATUS_TEXT[change.status]}`,
    text: [greeting(change.customerName), "", sentence, "", "Flores Victoria"].join("\n"),
    html: layout(sentence, `<p>${escapeHtml(greeting(change.customerName))}</p>\n<p>${escapeHtml(sentence)}</p>`),
  };
}
