import { describe, expect, it } from "vitest";
import { normaliseLabels, productFieldErrors } from "../src/product-rules.js";

const fields = (errors: ReturnType<typeof productFieldErrors>) => errors.map((e) => `${e.field?.join(".")}:${e.code}`);

describe("productFieldErrors", () => {
  it("accepts a well-formed product", () => {
    expect(
      productFieldErrors({ slug: "ramo-rosas", sku: "RAM001", name: "Ramo", price: 10, stockOnHand: 0 }, 10),
    ).toEqual([]);
  });

  it("names each wrong field", () => {
    expect(
      fields(
        productFieldErrors(
          {
            slug: "Ramo Rosas",
            sku: "x1",
            name: " ",
            price: -1,
            compareAtPrice: 5,
            stockOnHand: -2,
            images: [{ path: "https://evil.example/x.jpg", alt: "" }],
          },
          10,
        ),
      ),
    ).toEqual([
      "input.slug:INVALID_SLUG",
      "input.sku:INVALID_SKU",
      "input.name:REQUIRED",
      "input.price:INVALID_PRICE",
      "input.compareAtPrice:INVALID_COMPARE_AT_PRICE",
      "input.stockOnHand:INVALID_STOCK",
      "input.images.0.path:INVALID_IMAGE_PATH",
    ]);
  });
});

describe("normaliseLabels", () => {
  it("lowercases, trims and removes duplicates and blanks", () => {
    expect(normaliseLabels([" Rojo", "rojo", "", "Blanco "])).toEqual(["rojo", "blanco"]);
  });
});
