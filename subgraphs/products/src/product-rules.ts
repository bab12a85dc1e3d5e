import { userError, type UserError } from "@fv/platform";

export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SKU = /^[A-Z]{2,5}\d{3,5}$/;

export interface ProductFields {
  slug?: string | null;
  sku?: string | null;
  name?: string | null;
  price?: number | null;
  compareAtPrice?: number | null;
  stockOnHand?: number | null;
  images?: readonly { path: string; alt: string }[] | null;
}

/** Checks what can be checked without the database; `price` is the price the product will have. */
export function productFieldErrors(input: ProductFields, price: number | undefined): UserError[] {
  const errors: UserError[] = [];
  if (input.slug != null && !SLUG.test(input.slug))
    errors.push(userError(["input", "slug"], "INVALID_SLUG", "slug must be lowercase words joined by hyphens"));
  if (input.sku != null && !SKU.test(input.sku))
    errors.push(userError(["input", "sku"], "INVALID_SKU", "sku must look like AML001"));
  if (input.name != null && !input.name.trim())
    errors.push(userError(["input", "name"], "REQUIRED", "name must not be empty"));
  if (input.price != null && (!Number.isInteger(input.price) || input.price < 0))
    errors.push(userError(["input", "price"], "INVALID_PRICE", "price must be a non-negative whole number of CLP"));
  if (input.compareAtPrice != null && price !== undefined && input.compareAtPrice <= price)
    errors.push(
      userError(["input", "compareAtPrice"], "INVALID_COMPARE_AT_PRICE", "compareAtPrice must be greater than price"),
    );
  if (input.stockOnHand != null && (!Number.isInteger(input.stockOnHand) || input.stockOnHand < 0))
    errors.push(userError(["input", "stockOnHand"], "INVALID_STOCK", "stockOnHand must not be negative"));
  input.images?.forEach((image, i) => {
    if (!image.path.trim() || image.path.includes("..") || /^[a-z]+:/i.test(image.path))
      errors.push(
        userError(
          ["input", "images", String(i), "path"],
          "INVALID_IMAGE_PATH",
          "path must be relative to the image base URL",
        ),
      );
  });
  return errors;
}

/** Labels are compared lowercase so a filter finds "Rojo" and "rojo" alike. */
export const normaliseLabels = (labels: readonly string[]) => [
  ...new Set(labels.map((l) => l.trim().toLowerCase()).filter(Boolean)),
];
