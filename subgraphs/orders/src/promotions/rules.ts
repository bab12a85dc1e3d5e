/**
 * Promotion codes (DOMAIN.md): percentage or fixed amount, optional minimum subtotal, validity window,
 * usage limit, optionally once per customer. Pure rules; the caller loads the promotion and the
 * customer's past use, and counts a use only when the order is placed.
 */
export const PROMOTION_KINDS = ["PERCENTAGE", "FIXED"] as const;

export type PromotionKind = (typeof PROMOTION_KINDS)[number];

export interface Promotion {
  readonly code: string;
  readonly kind: PromotionKind;
  /** PERCENTAGE: 1–100 (%); FIXED: CLP. */
  readonly value: number;
  readonly minSubtotal?: number | null;
  /** Valid from `startsAt` (inclusive) until `endsAt` (exclusive); either may be open. */
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
  readonly usageLimit?: number | null;
  readonly timesUsed: number;
  readonly onePerCustomer: boolean;
  readonly active: boolean;
}

export const PROMOTION_CODE_PATTERN = /^[A-Z0-9_-]{3,32}$/;

/** "  verano10 " → "VERANO10"; null when the code cannot be one (wrong characters or length). */
export function normalizePromotionCode(raw: string): string | null {
  if (typeof raw !== "string") return null;
  const code = raw.trim().toUpperCase();
  return PROMOTION_CODE_PATTERN.test(code) ? code : null;
}

export type PromotionRefusalCode =
  | "PROMOTION_INACTIVE"
  | "PROMOTION_NOT_STARTED"
  | "PROMOTION_EXPIRED"
  | "PROMOTION_USAGE_LIMIT_REACHED"
  | "PROMOTION_REQUIRES_SIGN_IN"
  | "PROMOTION_ALREADY_USED"
  | "PROMOTION_MINIMUM_NOT_MET";

export interface PromotionContext {
  /** Merchandise subtotal in CLP (the delivery fee is never discounted). */
  readonly subtotal: number;
  readonly now: Date;
  /** Whether this signed-in customer already has an order with the code (ignored unless onePerCustomer). */
  readonly customerHasUsed: boolean;
  readonly isGuest: boolean;
}

export type PromotionResult =
  { ok: true; discount: number } | { ok: false; code: PromotionRefusalCode; message: string };

const clp = (amount: number): string => `CLP ${new Intl.NumberFormat("en-US").format(amount)}`;

/**
 * The discount a promotion gives on the merchandise subtotal, or why it does not apply. Checks run
 * from what the customer cannot change to what they can (the minimum last, with the amount missing).
 */
export function promotionDiscount(promo: Promotion, ctx: PromotionContext): PromotionResult {
  const { subtotal, now } = ctx;
  // The subtotal is the server's own sum of catalogue prices: a bad one is a bug, not a customer's error.
  if (!Number.isSafeInteger(subtotal) || subtotal < 0) throw new RangeError(`invalid subtotal: ${subtotal}`);
  const refuse = (code: PromotionRefusalCode, message: string): PromotionResult => ({ ok: false, code, message });
  const code = promo.code;

  if (!promo.active) return refuse("PROMOTION_INACTIVE", `The code ${code} is not active.`);
  if (promo.startsAt != null && now < promo.startsAt)
    return refuse("PROMOTION_NOT_STARTED", `The code ${code} is valid from ${promo.startsAt.toISOString()}.`);
  if (promo.endsAt != null && now >= promo.endsAt)
    return refuse("PROMOTION_EXPIRED", `The code ${code} expired on ${promo.endsAt.toISOString()}.`);
  if (promo.usageLimit != null && promo.timesUsed >= promo.usageLimit)
    return refuse("PROMOTION_USAGE_LIMIT_REACHED", `The code ${code} has reached its usage limit.`);
  // A guest is known only by an unverified email, which anyone can vary: "once per customer" can
  // only be enforced for an account.
  if (promo.onePerCustomer && ctx.isGuest)
    return refuse("PROMOTION_REQUIRES_SIGN_IN", `The code ${code} is once per customer; sign in to use it.`);
  if (promo.onePerCustomer && ctx.customerHasUsed)
    return refuse("PROMOTION_ALREADY_USED", `You have already used the code ${code}; it is once per customer.`);
  const minimum = promo.minSubtotal ?? 0;
  if (subtotal < minimum)
    return refuse(
      "PROMOTION_MINIMUM_NOT_MET",
      `The code ${code} needs a subtotal of at least ${clp(minimum)}; add ${clp(minimum - subtotal)} more.`,
    );

  // Percentages round half up to whole pesos (10 % of 12,345 = 1,235); never more than the merchandise.
  const raw = promo.kind === "PERCENTAGE" ? Math.round((subtotal * promo.value) / 100) : promo.value;
  return { ok: true, discount: Math.max(0, Math.min(raw, subtotal)) };
}

export interface PromotionInput {
  readonly code: string;
  readonly kind: PromotionKind;
  readonly value: number;
  readonly minSubtotal?: number | null;
  readonly startsAt?: Date | null;
  readonly endsAt?: Date | null;
  readonly usageLimit?: number | null;
}

export type PromotionInputField = "code" | "kind" | "value" | "minSubtotal" | "startsAt" | "endsAt" | "usageLimit";

export type PromotionInputErrorCode =
  | "INVALID_CODE"
  | "INVALID_KIND"
  | "NOT_AN_INTEGER"
  | "NOT_POSITIVE"
  | "NEGATIVE"
  | "PERCENTAGE_ABOVE_100"
  | "INVALID_DATE"
  | "ENDS_BEFORE_START"
  | "USAGE_LIMIT_BELOW_1";

export interface PromotionInputError {
  readonly field: PromotionInputField;
  readonly code: PromotionInputErrorCode;
  readonly message: string;
}

const isInvalidDate = (d: Date | null | undefined): boolean =>
  d != null && (!(d instanceof Date) || isNaN(d.getTime()));

/** Every problem with a promotion a manager is creating or editing (empty when it can be saved). */
export function validatePromotionInput(input: PromotionInput): PromotionInputError[] {
  const errors: PromotionInputError[] = [];
  const add = (field: PromotionInputField, code: PromotionInputErrorCode, message: string) =>
    errors.push({ field, code, message });

  if (normalizePromotionCode(input.code) === null)
    add("code", "INVALID_CODE", "The code must be 3 to 32 letters, digits, '-' or '_' (no spaces or accents).");

  const kindKnown = (PROMOTION_KINDS as readonly string[]).includes(input.kind);
  if (!kindKnown) add("kind", "INVALID_KIND", `The kind must be PERCENTAGE or FIXED (got ${String(input.kind)}).`);
  if (!Number.isSafeInteger(input.value)) add("value", "NOT_AN_INTEGER", "The value must be a whole number.");
  else if (input.value <= 0) add("value", "NOT_POSITIVE", "The value must be greater than 0.");
  else if (input.kind === "PERCENTAGE" && input.value > 100)
    add("value", "PERCENTAGE_ABOVE_100", "A percentage cannot exceed 100.");

  const min = input.minSubtotal;
  if (min != null && !Number.isSafeInteger(min))
    add("minSubtotal", "NOT_AN_INTEGER", "The minimum subtotal must be a whole number of pesos.");
  else if (min != null && min < 0) add("minSubtotal", "NEGATIVE", "The minimum subtotal cannot be negative.");

  const startsAt = input.startsAt ?? null;
  const endsAt = input.endsAt ?? null;
  if (isInvalidDate(startsAt)) add("startsAt", "INVALID_DATE", "The start is not a valid date.");
  if (isInvalidDate(endsAt)) add("endsAt", "INVALID_DATE", "The end is not a valid date.");
  const bothValid = startsAt !== null && endsAt !== null && !isInvalidDate(startsAt) && !isInvalidDate(endsAt);
  if (bothValid && endsAt <= startsAt) add("endsAt", "ENDS_BEFORE_START", "The end must be after the start.");

  const limit = input.usageLimit;
  if (limit != null && !Number.isSafeInteger(limit))
    add("usageLimit", "NOT_AN_INTEGER", "The usage limit must be a whole number.");
  else if (limit != null && limit < 1) add("usageLimit", "USAGE_LIMIT_BELOW_1", "The usage limit must be at least 1.");

  return errors;
}
