import DataLoader from "dataloader";
import { and, count, eq, inArray } from "drizzle-orm";
import {
  categories,
  occasions,
  productOccasions,
  products,
  type CategoryRow,
  type OccasionRow,
  type ProductRow,
} from "./db/schema.js";
import type { ProductsDb } from "./context.js";

const byId = <T extends { id: string }>(ids: readonly string[], rows: T[]) => {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
};

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** One query per request for each kind of thing federation or a list asks for. */
export function createLoaders(db: ProductsDb) {
  return {
    product: new DataLoader<string, ProductRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.select().from(products).where(inArray(products.id, valid)) : [];
      return byId(ids, rows);
    }),
    category: new DataLoader<string, CategoryRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.select().from(categories).where(inArray(categories.id, valid)) : [];
      return byId(ids, rows);
    }),
    occasion: new DataLoader<string, OccasionRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.select().from(occasions).where(inArray(occasions.id, valid)) : [];
      return byId(ids, rows);
    }),
    occasionsOfProduct: new DataLoader<string, OccasionRow[]>(async (productIds) => {
      const rows = await db
        .select({ productId: productOccasions.productId, occasion: occasions })
        .from(productOccasions)
        .innerJoin(occasions, eq(occasions.id, productOccasions.occasionId))
        .where(inArray(productOccasions.productId, [...productIds]))
        .orderBy(occasions.name);
      return productIds.map((id) => rows.filter((r) => r.productId === id).map((r) => r.occasion));
    }),
    activeCountByCategory: new DataLoader<string, number>(async (ids) => {
      const rows = await db
        .select({ id: products.categoryId, n: count() })
        .from(products)
        .where(and(eq(products.active, true), inArray(products.categoryId, [...ids])))
        .groupBy(products.categoryId);
      const found = new Map(rows.map((r) => [r.id, r.n]));
      return ids.map((id) => found.get(id) ?? 0);
    }),
    activeCountByOccasion: new DataLoader<string, number>(async (ids) => {
      const rows = await db
        .select({ id: productOccasions.occasionId, n: count() })
        .from(productOccasions)
        .innerJoin(products, eq(products.id, productOccasions.productId))
        .where(and(eq(products.active, true), inArray(productOccasions.occasionId, [...ids])))
        .groupBy(productOccasions.occasionId);
      const found = new Map(rows.map((r) => [r.id, r.n]));
      return ids.map((id) => found.get(id) ?? 0);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
