/** Percentage saved against the compare-at price, rounded down so the shop never overstates a discount. */
export function discountPercent(price: number, compareAtPrice: number | null): number | null {
  if (compareAtPrice === null || compareAtPrice <= price || compareAtPrice <= 0) return null;
  return Math.floor(((compareAtPrice - price) * 100) / compareAtPrice);
}
