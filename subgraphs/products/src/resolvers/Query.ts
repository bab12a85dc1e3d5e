import { and, asc, count, desc, eq, lt, or } from "drizzle-orm";
import { decodeCursor, pageSize, toConnection } from "@fv/platform";
import { categories, products } from "../db/schema.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

type ProductCursor = [string, string];
const isProductCursor = (v: unknown): v is ProductCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  /^[0-9a-f-]{36}$/i.test(v[1]);

export const Query: QueryResolvers = {
  products: async (_parent, { first, after }, { db }) => {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isProductCursor) : null;
    const visible = eq(products.active, true);
    const afterCursor = cursor
      ? or(
          lt(products.createdAt, new Date(cursor[0])),
          and(eq(products.createdAt, new Date(cursor[0])), lt(products.id, cursor[1])),
        )
      : undefined;
    const [rows, [total]] = await Promise.all([
      db
        .select()
        .from(products)
        .where(and(visible, afterCursor))
        .orderBy(desc(products.createdAt), desc(products.id))
        .limit(size + 1),
      db.select({ n: count() }).from(products).where(visible),
    ]);
    return toConnection(rows, size, (row) => [row.createdAt.toISOString(), row.id], cursor !== null, total?.n ?? 0);
  },
  product: async (_parent, { id }, { loaders }) => {
    const row = await loaders.product.load(id);
    return row?.active ? row : null;
  },
  productBySlug: async (_parent, { slug }, { db }) => {
    const [row] = await db
      .select()
      .from(products)
      .where(and(eq(products.slug, slug), eq(products.active, true)));
    return row ?? null;
  },
  categories: (_parent, _args, { db }) => db.select().from(categories).orderBy(asc(categories.name)),
};
