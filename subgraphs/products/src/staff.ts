import { and, eq, inArray, ne, or, sql } from "drizzle-orm";
import { userError, type UserError } from "@fv/platform";
import { categories, occasions, productOccasions, products, stockAdjustments, type ProductRow } from "./db/schema.js";
import { isUuid } from "./loaders.js";
import { normaliseLabels, productFieldErrors, SLUG } from "./product-rules.js";
import type { ProductsDb } from "./context.js";
import type { CreateProductInput, TaxonomyInput, UpdateProductInput } from "./__generated__/resolvers-types.js";

export interface ProductResult {
  product: ProductRow | null;
  errors: UserError[];
}

/** Database checks shared by create and update: unique slug/SKU, known category and occasions. */
async function referenceErrors(db: ProductsDb, input: UpdateProductInput, selfId: string | null) {
  const errors: UserError[] = [];
  let categoryId: string | undefined;
  let occasionIds: string[] | undefined;
  if (input.categorySlug != null) {
    const [category] = await db.select().from(categories).where(eq(categories.slug, input.categorySlug));
    if (category) categoryId = category.id;
    else
      errors.push(
        userError(["input", "categorySlug"], "UNKNOWN_CATEGORY", `no category with slug "${input.categorySlug}"`),
      );
  }
  if (input.occasionSlugs != null) {
    const slugs = [...new Set(input.occasionSlugs)];
    const found = slugs.length ? await db.select().from(occasions).where(inArray(occasions.slug, slugs)) : [];
    const unknown = slugs.filter((s) => !found.some((o) => o.slug === s));
    if (unknown.length)
      errors.push(
        userError(["input", "occasionSlugs"], "UNKNOWN_OCCASION", `unknown occasions: ${unknown.join(", ")}`),
      );
    occasionIds = found.map((o) => o.id);
  }
  const unique = [
    input.slug != null ? eq(products.slug, input.slug) : undefined,
    input.sku != null ? eq(products.sku, input.sku) : undefined,
  ].filter(Boolean);
  if (unique.length) {
    const clashes = await db
      .select({ slug: products.slug, sku: products.sku })
      .from(products)
      .where(and(or(...unique), selfId ? ne(products.id, selfId) : undefined));
    if (clashes.some((c) => c.slug === input.slug))
      errors.push(userError(["input", "slug"], "SLUG_TAKEN", `slug "${input.slug}" is already used`));
    if (clashes.some((c) => c.sku === input.sku))
      errors.push(userError(["input", "sku"], "SKU_TAKEN", `sku "${input.sku}" is already used`));
  }
  return { errors, categoryId, occasionIds };
}

const isUniqueViolation = (error: unknown) =>
  typeof error === "object" &&
  error !== null &&
  ("code" in error ? error.code : (error as { cause?: { code?: string } }).cause?.code) === "23505";

export async function createProduct(db: ProductsDb, input: CreateProductInput): Promise<ProductResult> {
  const errors = productFieldErrors(input, input.price);
  const refs = await referenceErrors(db, input, null);
  errors.push(...refs.errors);
  if (errors.length || !refs.categoryId) return { product: null, errors };
  try {
    const product = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(products)
        .values({
          slug: input.slug,
          sku: input.sku,
          name: input.name.trim(),
          description: input.description.trim(),
          price: input.price,
          compareAtPrice: input.compareAtPrice ?? null,
          categoryId: refs.categoryId!,
          colours: normaliseLabels(input.colours ?? []),
          flowerTypes: normaliseLabels(input.flowerTypes ?? []),
          size: input.size ?? "MEDIUM",
          careInstructions: (input.careInstructions ?? "").trim(),
          extras: (input.extras ?? []).map((e) => e.trim()).filter(Boolean),
          images: (input.images ?? []).map((i) => ({ path: i.path.trim(), alt: i.alt.trim() })),
          stockOnHand: input.stockOnHand ?? 0,
          featured: input.featured ?? false,
        })
        .returning();
      if (refs.occasionIds?.length)
        await tx
          .insert(productOccasions)
          .values(refs.occasionIds.map((occasionId) => ({ productId: row!.id, occasionId })));
      return row!;
    });
    return { product, errors: [] };
  } catch (error) {
    // Another staff member took the slug or SKU between the check and the insert.
    if (isUniqueViolation(error))
      return {
        product: null,
        errors: [userError(["input", "slug"], "SLUG_OR_SKU_TAKEN", "slug or sku is already used")],
      };
    throw error;
  }
}

export async function updateProduct(db: ProductsDb, id: string, input: UpdateProductInput): Promise<ProductResult> {
  const [current] = isUuid(id) ? await db.select().from(products).where(eq(products.id, id)) : [];
  if (!current) return { product: null, errors: [userError("id", "NOT_FOUND", "no such product")] };
  const price = input.price ?? current.price;
  const errors = productFieldErrors(input, price);
  // A lower compare-at price left from before would turn a price rise into a fake discount.
  if (
    input.compareAtPrice === undefined &&
    input.price != null &&
    current.compareAtPrice !== null &&
    current.compareAtPrice <= price
  )
    errors.push(userError(["input", "price"], "INVALID_PRICE", "price must stay below compareAtPrice (or clear it)"));
  const refs = await referenceErrors(db, input, id);
  errors.push(...refs.errors);
  if (errors.length) return { product: null, errors };
  const product = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(products)
      .set({
        ...(input.slug != null && { slug: input.slug }),
        ...(input.sku != null && { sku: input.sku }),
        ...(input.name != null && { name: input.name.trim() }),
        ...(input.description != null && { description: input.description.trim() }),
        ...(input.price != null && { price: input.price }),
        ...(input.compareAtPrice !== undefined && { compareAtPrice: input.compareAtPrice }),
        ...(refs.categoryId && { categoryId: refs.categoryId }),
        ...(input.colours != null && { colours: normaliseLabels(input.colours) }),
        ...(input.flowerTypes != null && { flowerTypes: normaliseLabels(input.flowerTypes) }),
        ...(input.size != null && { size: input.size }),
        ...(input.careInstructions != null && { careInstructions: input.careInstructions.trim() }),
        ...(input.extras != null && { extras: input.extras.map((e) => e.trim()).filter(Boolean) }),
        ...(input.images != null && { images: input.images.map((i) => ({ path: i.path.trim(), alt: i.alt.trim() })) }),
        ...(input.featured != null && { featured: input.featured }),
        updatedAt: new Date(),
      })
      .where(eq(products.id, id))
      .returning();
    if (refs.occasionIds) {
      await tx.delete(productOccasions).where(eq(productOccasions.productId, id));
      if (refs.occasionIds.length)
        await tx.insert(productOccasions).values(refs.occasionIds.map((occasionId) => ({ productId: id, occasionId })));
    }
    return row!;
  });
  return { product, errors: [] };
}

export async function setProductActive(db: ProductsDb, id: string, active: boolean): Promise<ProductResult> {
  const [row] = isUuid(id)
    ? await db.update(products).set({ active, updatedAt: new Date() }).where(eq(products.id, id)).returning()
    : [];
  return row
    ? { product: row, errors: [] }
    : { product: null, errors: [userError("id", "NOT_FOUND", "no such product")] };
}

/** Stock never drops below what is reserved: the row's check constraint refuses, we explain. */
export async function adjustStock(
  db: ProductsDb,
  productId: string,
  delta: number,
  reason: string,
  adjustedBy: string,
): Promise<ProductResult> {
  const errors: UserError[] = [];
  if (!isUuid(productId)) errors.push(userError("productId", "NOT_FOUND", "no such product"));
  if (!Number.isInteger(delta) || delta === 0)
    errors.push(userError("delta", "INVALID_DELTA", "delta must be a non-zero whole number"));
  if (reason.trim().length < 3) errors.push(userError("reason", "REQUIRED", "say why the stock changes"));
  if (errors.length) return { product: null, errors };
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(products)
      .set({ stockOnHand: sql`${products.stockOnHand} + ${delta}`, updatedAt: new Date() })
      .where(and(eq(products.id, productId), sql`${products.stockOnHand} + ${delta} >= ${products.reserved}`))
      .returning();
    if (!row) {
      const [exists] = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId));
      return {
        product: null,
        errors: [
          exists
            ? userError("delta", "INSUFFICIENT_STOCK", "stock would fall below zero or below what is reserved")
            : userError("productId", "NOT_FOUND", "no such product"),
        ],
      };
    }
    await tx
      .insert(stockAdjustments)
      .values({ productId, delta, reason: reason.trim(), adjustedBy, stockAfter: row.stockOnHand });
    return { product: row, errors: [] };
  });
}

type Taxonomy = typeof categories | typeof occasions;

/** Categories and occasions are the same shape: a unique slug and a name. */
export async function saveTaxonomy(db: ProductsDb, table: Taxonomy, id: string | null, input: TaxonomyInput) {
  const errors: UserError[] = [];
  if (!SLUG.test(input.slug))
    errors.push(userError(["input", "slug"], "INVALID_SLUG", "slug must be lowercase words joined by hyphens"));
  if (!input.name.trim()) errors.push(userError(["input", "name"], "REQUIRED", "name must not be empty"));
  if (id !== null && !isUuid(id)) errors.push(userError("id", "NOT_FOUND", "not found"));
  if (errors.length) return { row: null, errors };
  const [clash] = await db
    .select({ id: table.id })
    .from(table)
    .where(and(eq(table.slug, input.slug), id ? ne(table.id, id) : undefined));
  if (clash)
    return { row: null, errors: [userError(["input", "slug"], "SLUG_TAKEN", `slug "${input.slug}" is already used`)] };
  const values = { slug: input.slug, name: input.name.trim() };
  const [row] = id
    ? await db.update(table).set(values).where(eq(table.id, id)).returning()
    : await db.insert(table).values(values).returning();
  return row ? { row, errors: [] } : { row: null, errors: [userError("id", "NOT_FOUND", "not found")] };
}
