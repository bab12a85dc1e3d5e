import { eq, or } from "drizzle-orm";
import { userError, type UserError } from "@fv/platform";
import { categories, products } from "../db/schema.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SKU = /^[A-Z]{2,5}\d{3,5}$/;

export const Mutation: MutationResolvers = {
  createProduct: async (_parent, { input }, { db }) => {
    const errors: UserError[] = [];
    if (!SLUG.test(input.slug))
      errors.push(userError(["input", "slug"], "INVALID_SLUG", "slug must be lowercase words joined by hyphens"));
    if (!SKU.test(input.sku)) errors.push(userError(["input", "sku"], "INVALID_SKU", "sku must look like AML001"));
    if (!input.name.trim()) errors.push(userError(["input", "name"], "REQUIRED", "name must not be empty"));
    if (!Number.isInteger(input.price) || input.price < 0)
      errors.push(userError(["input", "price"], "INVALID_PRICE", "price must be a non-negative whole number of CLP"));
    if (input.compareAtPrice != null && input.compareAtPrice <= input.price)
      errors.push(
        userError(["input", "compareAtPrice"], "INVALID_COMPARE_AT_PRICE", "compareAtPrice must be greater than price"),
      );
    if ((input.stockOnHand ?? 0) < 0)
      errors.push(userError(["input", "stockOnHand"], "INVALID_STOCK", "stockOnHand must not be negative"));
    const [category] = await db.select().from(categories).where(eq(categories.slug, input.categorySlug));
    if (!category)
      errors.push(
        userError(["input", "categorySlug"], "UNKNOWN_CATEGORY", `no category with slug "${input.categorySlug}"`),
      );
    const clashes = await db
      .select({ slug: products.slug, sku: products.sku })
      .from(products)
      .where(or(eq(products.slug, input.slug), eq(products.sku, input.sku)));
    if (clashes.some((c) => c.slug === input.slug))
      errors.push(userError(["input", "slug"], "SLUG_TAKEN", `slug "${input.slug}" is already used`));
    if (clashes.some((c) => c.sku === input.sku))
      errors.push(userError(["input", "sku"], "SKU_TAKEN", `sku "${input.sku}" is already used`));
    if (errors.length || !category) return { product: null, errors };

    const [product] = await db
      .insert(products)
      .values({
        slug: input.slug,
        sku: input.sku,
        name: input.name.trim(),
        description: input.description.trim(),
        price: input.price,
        compareAtPrice: input.compareAtPrice ?? null,
        categoryId: category.id,
        stockOnHand: input.stockOnHand ?? 0,
        featured: input.featured ?? false,
      })
      .returning();
    return { product: product!, errors: [] };
  },
};
