/*
 * What a cart line costs and whether it can be ordered, from the catalogue's view of its product at the
 * moment the cart is read. The cart stores no prices: these are computed on every read.
 */

/** What the cart asks the products subgraph about each product of its lines. */
export interface CatalogueProduct {
  id: string;
  price: number;
  active: boolean;
  inStock: boolean;
  availableQuantity: number;
}

export type UnavailableReason = "PRODUCT_NOT_FOUND" | "PRODUCT_INACTIVE" | "OUT_OF_STOCK" | "INSUFFICIENT_STOCK";

export interface LinePricing {
  /** The catalogue price of one unit; null when the product does not exist. */
  unitPrice: number | null;
  /** unitPrice × quantity for an available line; null otherwise (it does not count in the subtotal). */
  lineTotal: number | null;
  available: boolean;
  unavailableReason: UnavailableReason | null;
  /** Units the catalogue can still sell: 0 for a product it does not sell, null for an unknown one. */
  availableQuantity: number | null;
}

/** Prices a line of `quantity` units of `product` (null: the catalogue does not know it). */
export function priceLine(quantity: number, product: CatalogueProduct | null): LinePricing {
  if (!product)
    return {
      unitPrice: null,
      lineTotal: null,
      available: false,
      unavailableReason: "PRODUCT_NOT_FOUND",
      availableQuantity: null,
    };
  const unavailable = (unavailableReason: UnavailableReason, availableQuantity: number): LinePricing => ({
    unitPrice: product.price,
    lineTotal: null,
    available: false,
    unavailableReason,
    availableQuantity,
  });
  if (!product.active) return unavailable("PRODUCT_INACTIVE", 0);
  const left = Math.max(0, product.availableQuantity);
  if (!product.inStock || left === 0) return unavailable("OUT_OF_STOCK", 0);
  if (left < quantity) return unavailable("INSUFFICIENT_STOCK", left);
  return {
    unitPrice: product.price,
    lineTotal: product.price * quantity,
    available: true,
    unavailableReason: null,
    availableQuantity: left,
  };
}

/** The subtotal of the available lines, and whether every line can be ordered. */
export function cartTotals(lines: readonly LinePricing[]): { subtotal: number; available: boolean } {
  return {
    subtotal: lines.reduce((sum, line) => sum + (line.lineTotal ?? 0), 0),
    available: lines.every((line) => line.available),
  };
}
