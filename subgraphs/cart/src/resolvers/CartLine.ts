import { priceLine, type LinePricing } from "../cart-pricing.js";
import { CatalogueUnavailableError } from "../catalogue.js";
import type { Context } from "../context.js";
import type { CartLineRecord } from "../store.js";
import type { CartLineResolvers } from "../__generated__/resolvers-types.js";

/** The line priced from the catalogue; a clear error on the asking field when the catalogue cannot be reached. */
export async function pricing(line: CartLineRecord, { loaders }: Context): Promise<LinePricing> {
  let product;
  try {
    product = await loaders.product.load(line.productId);
  } catch {
    throw new CatalogueUnavailableError();
  }
  return priceLine(line.quantity, product);
}

export const CartLine: CartLineResolvers = {
  product: (line) => ({ id: line.productId }),
  unitPrice: async (line, _args, context) => (await pricing(line, context)).unitPrice,
  lineTotal: async (line, _args, context) => (await pricing(line, context)).lineTotal,
  available: async (line, _args, context) => (await pricing(line, context)).available,
  unavailableReason: async (line, _args, context) => (await pricing(line, context)).unavailableReason,
  availableQuantity: async (line, _args, context) => (await pricing(line, context)).availableQuantity,
};
