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

/** Units across all lines. */
export const totalQuantity = (lines: readonly { quantity: number }[]) =>
  lines.reduce((sum, line) => sum + line.quantity, 0);
