import { and, asc, eq } from "drizzle-orm";
import { categories, occasions, products } from "../db/schema.js";
import { canSeeInactive, listProducts } from "../catalogue.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  products: (_parent, args, { db, caller }) => listProducts(db, caller, args),
  product: async (_parent, { id }, { loaders, caller }) => {
    const row = await loaders.product.load(id);
    return row && (row.active || canSeeInactive(caller)) ? row : null;
  },
  productBySlug: async (_parent, { slug }, { db, caller }) => {
    const [row] = await db
      .select()
      .from(products)
      .where(and(eq(products.slug, slug), canSeeInactive(caller) ? undefined : eq(products.active, true)));
    return row ?? null;
  },
  categories: (_parent, _args, { db }) => db.select().from(categories).orderBy(asc(categories.name)),
  occasions: (_parent, _args, { db }) => db.select().from(occasions).orderBy(asc(occasions.name)),
};
