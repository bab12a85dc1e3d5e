import { PeerError, userError, type UserError } from "@fv/platform";
import { fetchProducts, type Peers } from "../peers.js";
import type { NewOrderLine } from "../orders.js";
import { MAX_LINES, MAX_LINE_QUANTITY } from "./checkout-input.js";
import { isUuid } from "../loaders.js";

export type PricedLines = { ok: true; lines: NewOrderLine[]; subtotal: number } | { ok: false; errors: UserError[] };

export const catalogueUnavailable = () =>
  userError(null, "CATALOGUE_UNAVAILABLE", "the catalogue is not answering; nothing was ordered or held, try again");

/**
 * Prices lines from the catalogue as it is now: every unit price, name and SKU is the catalogue's.
 * A line the shop cannot sell (unknown, inactive, not enough stock) is an error on that line:
 * `fieldOf(i, "productId" | "quantity")` says which input field to name.
 */
export async function priceLines(
  deps: { peers: Peers; requestId?: string },
  lines: readonly { productId: string; quantity: number }[],
  fieldOf: string[] | ((i: number, field: string) => string[]),
): Promise<PricedLines> {
  const at = typeof fieldOf === "function" ? fieldOf : (i: number, field: string) => [...fieldOf, String(i), field];
  const errors: UserError[] = [];
  if (lines.length === 0 || lines.length > MAX_LINES)
    return {
      ok: false,
      errors: [userError(at(0, "productId").slice(0, -2), "INVALID_LINES", `1 to ${MAX_LINES} lines`)],
    };
  lines.forEach((line, i) => {
    if (!isUuid(line.productId)) errors.push(userError(at(i, "productId"), "PRODUCT_NOT_FOUND", "no such product"));
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY)
      errors.push(userError(at(i, "quantity"), "INVALID_QUANTITY", `quantity must be 1 to ${MAX_LINE_QUANTITY}`));
  });
  if (errors.length) return { ok: false, errors };
  let catalogue: Awaited<ReturnType<typeof fetchProducts>>;
  try {
    catalogue = await fetchProducts(
      deps.peers,
      lines.map((line) => line.productId),
      deps.requestId,
    );
  } catch (error) {
    if (!(error instanceof PeerError)) throw error;
    return { ok: false, errors: [catalogueUnavailable()] };
  }
  const priced: NewOrderLine[] = [];
  lines.forEach((line, i) => {
    const product = catalogue.get(line.productId.toLowerCase());
    if (!product)
      return errors.push(userError(at(i, "productId"), "PRODUCT_NOT_FOUND", `no product ${line.productId}`));
    if (!product.active)
      return errors.push(userError(at(i, "productId"), "PRODUCT_UNAVAILABLE", `${product.name} is no longer sold`));
    if (product.availableQuantity < line.quantity)
      return errors.push(
        userError(
          at(i, "quantity"),
          "OUT_OF_STOCK",
          product.availableQuantity === 0
            ? `${product.name} is out of stock`
            : `only ${product.availableQuantity} of ${product.name} left`,
        ),
      );
    priced.push({
      productId: product.id,
      sku: product.sku,
      name: product.name,
      unitPrice: product.price,
      quantity: line.quantity,
      lineTotal: product.price * line.quantity,
    });
  });
  if (errors.length) return { ok: false, errors };
  return { ok: true, lines: priced, subtotal: priced.reduce((sum, line) => sum + line.lineTotal, 0) };
}
