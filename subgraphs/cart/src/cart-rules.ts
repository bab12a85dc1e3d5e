/** How many units of one product a cart line may hold. */
export const MIN_LINE_QUANTITY = 1;
export const MAX_LINE_QUANTITY = 99;

export interface QuantityProblem {
  code: "INVALID_QUANTITY" | "QUANTITY_LIMIT";
  message: string;
}

export type LineQuantity = { ok: true; quantity: number } | { ok: false; problem: QuantityProblem };

/**
 * The line's quantity after adding `quantity` units to the `current` ones. Going past the limit is
 * refused, not clamped: the customer asked for a number the shop will not sell in one line, and
 * should know rather than silently get fewer.
 */
export function addToLine(current: number, quantity: number): LineQuantity {
  if (!Number.isInteger(quantity) || quantity < MIN_LINE_QUANTITY)
    return {
      ok: false,
      problem: {
        code: "INVALID_QUANTITY",
        message: `quantity must be a whole number of at least ${MIN_LINE_QUANTITY}`,
      },
    };
  const wanted = current + quantity;
  if (wanted > MAX_LINE_QUANTITY)
    return {
      ok: false,
      problem: {
        code: "QUANTITY_LIMIT",
        message:
          current > 0
            ? `a line holds at most ${MAX_LINE_QUANTITY} units; it has ${current}, so at most ${MAX_LINE_QUANTITY - current} more can be added`
            : `a line holds at most ${MAX_LINE_QUANTITY} units`,
      },
    };
  return { ok: true, quantity: wanted };
}

/**
 * The quantity a line may be set to: 1 to 99. Zero is refused rather than taken as "remove": a client
 * that sends 0 by mistake (an emptied input) should not lose the line, and removeFromCart says what it means.
 */
export function setLine(quantity: number): LineQuantity {
  if (!Number.isInteger(quantity) || quantity < MIN_LINE_QUANTITY)
    return {
      ok: false,
      problem: {
        code: "INVALID_QUANTITY",
        message: `quantity must be a whole number from ${MIN_LINE_QUANTITY} to ${MAX_LINE_QUANTITY}; removeFromCart removes a line`,
      },
    };
  if (quantity > MAX_LINE_QUANTITY)
    return {
      ok: false,
      problem: { code: "QUANTITY_LIMIT", message: `a line holds at most ${MAX_LINE_QUANTITY} units` },
    };
  return { ok: true, quantity };
}

/** A line of a guest cart merged into a customer's: the sum, kept at the line limit. */
export function mergedQuantity(customer: number, guest: number): { quantity: number; capped: boolean } {
  const sum = customer + guest;
  return sum > MAX_LINE_QUANTITY ? { quantity: MAX_LINE_QUANTITY, capped: true } : { quantity: sum, capped: false };
}

/** Units across all lines. */
export const totalQuantity = (lines: readonly { quantity: number }[]) =>
  lines.reduce((sum, line) => sum + line.quantity, 0);
