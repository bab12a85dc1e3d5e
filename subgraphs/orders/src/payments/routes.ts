import express, { type Express } from "express";
import { eq } from "drizzle-orm";
import type { Logger } from "@fv/platform";
import { orders } from "../db/schema.js";
import { applyPaymentReport, paymentReport } from "./outcomes.js";
import { SIGNATURE_HEADER, signWebhook, verifyWebhook } from "./signature.js";
import type { OrdersDeps } from "../context.js";

export const WEBHOOK_PATH = "/payments/webhook/sandbox";

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The provider's side of payments on this service's HTTP server, beside /graphql (not behind the
 * service credential: a provider holds the webhook secret instead).
 * - POST /payments/webhook/sandbox: the signed report of a payment's outcome.
 * - GET/POST /payments/sandbox/:paymentId: the sandbox's payment page, where a developer or a test
 *   approves, declines or lets the payment time out; it reports through the same signed webhook.
 */
export function paymentRoutes(deps: OrdersDeps, secret: string, logger: Logger) {
  /** Verifies and applies one webhook delivery: what the HTTP route and the sandbox both go through. */
  async function receive(rawBody: string, signature: string | undefined) {
    const check = verifyWebhook(secret, signature, rawBody);
    if (check !== "OK") {
      logger.warn({ check }, "payment webhook refused: bad signature");
      return { status: 401, body: { error: `signature ${check.toLowerCase()}` } };
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch {
      return { status: 400, body: { error: "body is not JSON" } };
    }
    const report = paymentReport.safeParse(json);
    if (!report.success) return { status: 400, body: { error: report.error.issues[0]?.message ?? "invalid report" } };
    const result = await applyPaymentReport(deps, report.data);
    logger.info(
      { paymentId: report.data.paymentId, outcome: report.data.outcome, result: result.result },
      "payment report",
    );
    return { status: result.status, body: { result: result.result } };
  }

  return (app: Express) => {
    app.post(WEBHOOK_PATH, express.text({ type: "*/*", limit: "64kb" }), async (req, res, next) => {
      try {
        const rawBody = typeof req.body === "string" ? req.body : "";
        const { status, body } = await receive(rawBody, req.get(SIGNATURE_HEADER));
        res.status(status).json(body);
      } catch (error) {
        next(error);
      }
    });

    const findPayment = async (paymentId: string) =>
      (await deps.db.select().from(orders).where(eq(orders.paymentId, paymentId)))[0];

    app.get("/payments/sandbox/:paymentId", async (req, res, next) => {
      try {
        const order = await findPayment(req.params.paymentId);
        if (!order) return void res.status(404).type("text/plain").send("unknown payment");
        const id = escapeHtml(req.params.paymentId);
        res
          .type("html")
          .send(
            `<!doctype html><meta charset="utf-8"><title>Sandbox payment</title>` +
              `<h1>Pedido ${escapeHtml(order.number)}: $${order.total.toLocaleString("es-CL")}</h1>` +
              `<p>Payment ${id} is ${order.paymentStatus}.</p>` +
              ["approve", "decline", "timeout"]
                .map(
                  (outcome) =>
                    `<form method="post" action="/payments/sandbox/${id}"><button name="outcome" value="${outcome}">${outcome}</button></form>`,
                )
                .join(""),
          );
      } catch (error) {
        next(error);
      }
    });

    app.post(
      "/payments/sandbox/:paymentId",
      express.urlencoded({ extended: false, limit: "4kb" }),
      express.json({ limit: "4kb" }),
      async (req, res, next) => {
        try {
          const outcome = (req.body as { outcome?: unknown } | undefined)?.outcome;
          if (outcome !== "approve" && outcome !== "decline" && outcome !== "timeout")
            return void res.status(400).json({ error: "outcome must be approve, decline or timeout" });
          const order = await findPayment(req.params.paymentId);
          if (!order) return void res.status(404).json({ error: "unknown payment" });
          // A timed-out payment is one the provider never reports: the order's window runs out.
          if (outcome === "timeout") return void res.status(202).json({ result: "WILL_TIME_OUT" });
          const rawBody = JSON.stringify({
            paymentId: order.paymentId,
            outcome: outcome === "approve" ? "approved" : "declined",
            amount: order.total,
          });
          const { status, body } = await receive(rawBody, signWebhook(secret, rawBody));
          res.status(status).json(body);
        } catch (error) {
          next(error);
        }
      },
    );
  };
}
