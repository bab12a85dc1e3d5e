import { createHmac, timingSafeEqual } from "node:crypto";

/*
 * Webhook signatures in the scheme most providers use (Stripe's shape): the header carries a
 * timestamp and an HMAC-SHA256 of `${timestamp}.${raw body}` under the shared secret, so a body
 * cannot be altered and an old delivery cannot be replayed outside the tolerance.
 */
export const SIGNATURE_HEADER = "x-payment-signature";
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const mac = (secret: string, timestamp: number, body: string) =>
  createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");

export const signWebhook = (secret: string, body: string, now = new Date()) => {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
};

export type SignatureCheck = "OK" | "MISSING" | "MALFORMED" | "STALE" | "MISMATCH";

export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  now = new Date(),
): SignatureCheck {
  if (!header) return "MISSING";
  const parts = Object.fromEntries(header.split(",").map((part) => part.trim().split("=", 2) as [string, string]));
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || !/^[0-9a-f]{64}$/.test(parts.v1 ?? "")) return "MALFORMED";
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return "STALE";
  const expected = Buffer.from(mac(secret, timestamp, body), "hex");
  return timingSafeEqual(expected, Buffer.from(parts.v1!, "hex")) ? "OK" : "MISMATCH";
}
