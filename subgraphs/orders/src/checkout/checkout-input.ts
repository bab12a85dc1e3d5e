import { isValidEmail, normalizeEmail, parseChileanPhone, userError, type UserError } from "@fv/platform";
import { normalizePromotionCode } from "../promotions/rules.js";
import { isUuid } from "../loaders.js";
import type { CheckoutInput } from "../__generated__/resolvers-types.js";

/** A checkout's input, checked and normalised: what the rest of checkout works from. */
export interface CheckoutRequest {
  idempotencyKey: string;
  cartId: string | null;
  lines: { productId: string; quantity: number }[] | null;
  buyer: { name: string; email: string; phone: string };
  recipient: { name: string; phone: string } | null;
  address: { street: string; commune: string; notes: string | null } | null;
  delivery: { method: CheckoutInput["delivery"]["method"]; date: string; slot: CheckoutInput["delivery"]["slot"] };
  giftMessage: string | null;
  promotionCode: string | null;
  paymentMethod: CheckoutInput["paymentMethod"];
}

export const MAX_LINES = 50;
export const MAX_LINE_QUANTITY = 99;
const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,128}$/;

const text = (value: string | null | undefined) => value?.trim() || null;

/** Every problem of the input at once, each naming its field; or the normalised request. */
export function parseCheckoutInput(input: CheckoutInput): { request: CheckoutRequest } | { errors: UserError[] } {
  const errors: UserError[] = [];
  const at = (...path: string[]) => ["input", ...path];
  const bounded = (value: string | null, path: string[], max: number, required: boolean) => {
    if (value === null) {
      if (required) errors.push(userError(path, "REQUIRED", `${path.at(-1)} is required`));
    } else if (value.length > max) {
      errors.push(userError(path, "TOO_LONG", `${path.at(-1)} must be at most ${max} characters`));
    }
    return value;
  };

  if (!IDEMPOTENCY_KEY.test(input.idempotencyKey))
    errors.push(
      userError(
        at("idempotencyKey"),
        "INVALID_IDEMPOTENCY_KEY",
        "idempotencyKey must be 8 to 128 letters, digits, '-' or '_' (a UUID will do)",
      ),
    );

  const cartId = text(input.cartId);
  let lines: CheckoutRequest["lines"] = null;
  if ((cartId === null) === (input.lines == null))
    errors.push(userError(at("lines"), "LINES_REQUIRED", "give either cartId or lines, not both and not neither"));
  if (input.lines) {
    if (input.lines.length === 0 || input.lines.length > MAX_LINES)
      errors.push(userError(at("lines"), "INVALID_LINES", `an order has 1 to ${MAX_LINES} lines`));
    const seen = new Set<string>();
    input.lines.forEach((line, i) => {
      const productId = line.productId.trim().toLowerCase();
      if (!isUuid(productId))
        errors.push(userError(at("lines", String(i), "productId"), "PRODUCT_NOT_FOUND", "no such product"));
      else if (seen.has(productId))
        errors.push(userError(at("lines", String(i), "productId"), "DUPLICATE_PRODUCT", "one line per product"));
      seen.add(productId);
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY)
        errors.push(
          userError(
            at("lines", String(i), "quantity"),
            "INVALID_QUANTITY",
            `quantity must be 1 to ${MAX_LINE_QUANTITY}`,
          ),
        );
    });
    lines = input.lines.map((line) => ({ productId: line.productId.trim().toLowerCase(), quantity: line.quantity }));
  }

  const name = bounded(text(input.buyer.name), at("buyer", "name"), 100, true);
  const email = normalizeEmail(input.buyer.email);
  if (!isValidEmail(email))
    errors.push(userError(at("buyer", "email"), "INVALID_EMAIL", "email must be an email address"));
  const phone = parseChileanPhone(input.buyer.phone);
  if (!phone)
    errors.push(
      userError(at("buyer", "phone"), "INVALID_PHONE", "phone must be a Chilean number, e.g. +56 9 1234 5678"),
    );

  let recipient: CheckoutRequest["recipient"] = null;
  if (input.recipient) {
    const recipientName = bounded(text(input.recipient.name), at("recipient", "name"), 100, true);
    const recipientPhone = parseChileanPhone(input.recipient.phone);
    if (!recipientPhone)
      errors.push(userError(at("recipient", "phone"), "INVALID_PHONE", "phone must be a Chilean number"));
    recipient = { name: recipientName ?? "", phone: recipientPhone ?? "" };
  }

  const pickup = input.delivery.method === "PICKUP";
  let address: CheckoutRequest["address"] = null;
  if (input.address) {
    address = {
      street: bounded(text(input.address.street), at("address", "street"), 200, true) ?? "",
      commune: bounded(text(input.address.commune), at("address", "commune"), 60, true) ?? "",
      notes: bounded(text(input.address.notes), at("address", "notes"), 300, false),
    };
  } else if (!pickup) {
    errors.push(userError(at("address"), "ADDRESS_REQUIRED", "an address is needed unless the order is picked up"));
  }

  const giftMessage = bounded(text(input.giftMessage), at("giftMessage"), 500, false);
  const rawCode = text(input.promotionCode);
  const promotionCode = rawCode === null ? null : normalizePromotionCode(rawCode);
  if (rawCode !== null && promotionCode === null)
    errors.push(userError(at("promotionCode"), "PROMOTION_NOT_FOUND", `no promotion code "${rawCode}"`));

  if (errors.length) return { errors };
  return {
    request: {
      idempotencyKey: input.idempotencyKey,
      cartId,
      lines,
      buyer: { name: name!, email, phone: phone! },
      recipient,
      address: pickup ? null : address,
      delivery: { method: input.delivery.method, date: input.delivery.date.trim(), slot: input.delivery.slot ?? null },
      giftMessage,
      promotionCode,
      paymentMethod: input.paymentMethod,
    },
  };
}
