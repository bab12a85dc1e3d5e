import { randomBytes } from "node:crypto";

/**
 * A payment provider (Webpay, Mercado Pago, a bank transfer desk…): checkout starts a payment and
 * sends the buyer to `redirectUrl`; the provider reports the outcome later to the signed webhook
 * (routes.ts). Real providers' networks are out of reach here; the sandbox stands in for them.
 */
export interface PaymentProvider {
  readonly name: string;
  startPayment(payment: {
    orderId: string;
    number: string;
    amount: number;
    method: string;
    expiresAt: Date;
  }): Promise<{ paymentId: string; redirectUrl: string }>;
}

/**
 * The development and test provider. Its payment page (routes.ts, /payments/sandbox/:paymentId)
 * is told what to do with each payment: approve, decline, or time out (never call back, so the
 * order's payment window runs out), and calls the webhook signed as a real provider would.
 */
export function createSandboxProvider(publicUrl: string): PaymentProvider {
  return {
    name: "sandbox",
    startPayment: async () => {
      const paymentId = `sbx_${randomBytes(12).toString("base64url")}`;
      return { paymentId, redirectUrl: `${publicUrl.replace(/\/$/, "")}/${paymentId}` };
    },
  };
}
