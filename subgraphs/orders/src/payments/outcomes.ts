import { and, asc, eq, lt, sql } from "drizzle-orm";
import { z } from "@fv/platform";
import { orders } from "../db/schema.js";
import { applyStatusChange } from "../orders.js";
import type { OrdersDeps } from "../context.js";

/** What a provider reports about a payment (the webhook's JSON body). */
export const paymentReport = z.object({
  paymentId: z.string().min(1).max(100),
  outcome: z.enum(["approved", "declined"]),
  /** What was charged, in CLP: must be the order's total. */
  amount: z.number().int().min(0),
});
export type PaymentReport = z.infer<typeof paymentReport>;

export type ReportResult =
  | { status: 200; result: "APPLIED" | "ALREADY_SETTLED" | "LATE_PAYMENT_REFUND_DUE" }
  | { status: 404; result: "UNKNOWN_PAYMENT" }
  | { status: 422; result: "AMOUNT_MISMATCH" };

/**
 * Applies a provider's report to its order, once: a report repeated (providers retry webhooks)
 * finds the order already settled and changes nothing. An approval for an order already cancelled
 * (its window ran out first) keeps it cancelled and marks the money for refund.
 */
export async function applyPaymentReport(deps: OrdersDeps, report: PaymentReport): Promise<ReportResult> {
  const { db, payments, metrics, ordersStream } = deps;
  const result = await db.transaction(async (tx): Promise<ReportResult> => {
    const [order] = await tx.select().from(orders).where(eq(orders.paymentId, report.paymentId)).for("update");
    if (!order) return { status: 404, result: "UNKNOWN_PAYMENT" };
    if (report.outcome === "approved" && report.amount !== order.total)
      return { status: 422, result: "AMOUNT_MISMATCH" };
    const changedBy = `payment:${payments.name}`;
    if (order.status === "PENDING_PAYMENT") {
      await applyStatusChange(tx, order, {
        orderId: order.id,
        to: report.outcome === "approved" ? "PAID" : "CANCELLED",
        note: report.outcome === "approved" ? "payment approved" : "payment declined",
        changedBy,
        ordersStream,
        set: { paymentStatus: report.outcome === "approved" ? "APPROVED" : "DECLINED" },
      });
      return { status: 200, result: "APPLIED" };
    }
    if (report.outcome === "approved" && order.status === "CANCELLED" && order.paymentStatus !== "APPROVED") {
      await tx
        .update(orders)
        .set({ paymentStatus: "APPROVED", refundDue: true, updatedAt: sql`now()` })
        .where(eq(orders.id, order.id));
      return { status: 200, result: "LATE_PAYMENT_REFUND_DUE" };
    }
    return { status: 200, result: "ALREADY_SETTLED" };
  });
  if (result.status === 200 && result.result !== "ALREADY_SETTLED") {
    metrics.paymentOutcomes.inc({ provider: payments.name, outcome: report.outcome });
    deps.kickReservationTasks();
  }
  return result;
}

/**
 * Cancels the orders whose payment window has run out, releasing their stock. Rows are claimed
 * with `skip locked`, so replicas share the sweep and a webhook settling the same order waits.
 */
export async function expireUnpaidOrders(deps: OrdersDeps, limit = 50): Promise<number> {
  const { db, payments, metrics, ordersStream } = deps;
  const expired = await db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.status, "PENDING_PAYMENT"), lt(orders.paymentExpiresAt, sql`now()`)))
      .orderBy(asc(orders.paymentExpiresAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    for (const order of due) {
      await applyStatusChange(tx, order, {
        orderId: order.id,
        to: "CANCELLED",
        note: "payment window expired",
        changedBy: `payment:${payments.name}`,
        ordersStream,
        set: { paymentStatus: "EXPIRED" },
      });
    }
    return due.length;
  });
  if (expired) {
    metrics.paymentOutcomes.inc({ provider: payments.name, outcome: "expired" }, expired);
    deps.kickReservationTasks();
  }
  return expired;
}
