import DataLoader from "dataloader";
import { inArray } from "drizzle-orm";
import { categories, products, type CategoryRow, type ProductRow } from "./db/schema.js";
import type { ProductsDb } from "./context.js";

const byId = <T extends { id: string }>(ids: readonly string[], rows: T[]) => {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
};

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** One query per request for all the products (or categories) federation asks for. */
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
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
