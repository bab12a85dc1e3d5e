import { describe, expect, it } from "vitest";
import { cartTotals, priceLine, type CatalogueProduct } from "../src/cart-pricing.js";

const product = (over: Partial<CatalogueProduct> = {}): CatalogueProduct => ({
  id: "p",
  price: 25_990,
  active: true,
  inStock: true,
  availableQuantity: 10,
  ...over,
});

describe("priceLine", () => {
  it("prices an available line from the catalogue", () => {
    expect(priceLine(3, product())).toEqual({
      unitPrice: 25_990,
      lineTotal: 77_970,
      available: true,
      unavailableReason: null,
      availableQuantity: 10,
    });
    expect(priceLine(10, product()).available).toBe(true);
  });

  it("says PRODUCT_NOT_FOUND, without a price, for a product the catalogue does not know", () => {
    expect(priceLine(1, null)).toEqual({
      unitPrice: null,
      lineTotal: null,
      available: false,
      unavailableReason: "PRODUCT_NOT_FOUND",
      availableQuantity: null,
    });
  });

  it("says PRODUCT_INACTIVE before anything about stock, with the price but no line total", () => {
    expect(priceLine(1, product({ active: false, availableQuantity: 0, inStock: false }))).toEqual({
      unitPrice: 25_990,
      lineTotal: null,
      available: false,
      unavailableReason: "PRODUCT_INACTIVE",
      availableQuantity: 0,
    });
  });

  it("says OUT_OF_STOCK when no unit is left", () => {
    expect(priceLine(1, product({ inStock: false, availableQuantity: 0 }))).toMatchObject({
      available: false,
      unavailableReason: "OUT_OF_STOCK",
      availableQuantity: 0,
      lineTotal: null,
    });
  });

  it("says INSUFFICIENT_STOCK with how many are left when fewer than the line holds", () => {
    expect(priceLine(5, product({ availableQuantity: 2 }))).toEqual({
      unitPrice: 25_990,
      lineTotal: null,
      available: false,
      unavailableReason: "INSUFFICIENT_STOCK",
      availableQuantity: 2,
    });
  });
});

describe("cartTotals", () => {
  it("sums the available lines only, and is available only when every line is", () => {
    const lines = [priceLine(2, product({ price: 1_000 })), priceLine(1, product({ price: 500 }))];
    expect(cartTotals(lines)).toEqual({ subtotal: 2_500, available: true });
    expect(cartTotals([...lines, priceLine(5, product({ price: 9_999, availableQuantity: 1 }))])).toEqual({
      subtotal: 2_500,
      available: false,
    });
    expect(cartTotals([])).toEqual({ subtotal: 0, available: true });
  });
});
