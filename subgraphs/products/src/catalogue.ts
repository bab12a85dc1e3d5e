import { and, arrayContains, asc, desc, eq, gte, lte, sql, type SQL } from "drizzle-orm";
import { badUserInput, decodeCursor, hasPermission, pageSize, toConnection, type Caller } from "@fv/platform";
import {
  ACCENTED,
  UNACCENTED,
  categories,
  occasions,
  productOccasions,
  products,
  type ProductRow,
} from "./db/schema.js";
import {
  effectiveSort,
  isCursorFor,
  parseRatingKey,
  ratingKey,
  searchText,
  type ProductCursor,
  type ProductSortKey,
} from "./sorting.js";
import type { ProductsDb } from "./context.js";
import type { ProductFilter } from "./__generated__/resolvers-types.js";

export const canSeeInactive = (caller: Caller) => hasPermission(caller, "products:view_inactive");

/** Same folding and stemming as the generated `search` column, so both sides of @@ agree. */
const tsQuery = (text: string) =>
  sql`websearch_to_tsquery('spanish'::regconfig, translate(${text}, ${ACCENTED}, ${UNACCENTED}))`;

function filterConditions(filter: ProductFilter, caller: Caller, query: SQL | null): (SQL | undefined)[] {
  const { minPrice, maxPrice } = filter;
  if (minPrice != null && minPrice < 0) throw badUserInput('Argument "filter.minPrice" must not be negative', "filter");
  if (minPrice != null && maxPrice != null && maxPrice < minPrice)
    throw badUserInput('Argument "filter.maxPrice" must not be below filter.minPrice', "filter");
  const includeInactive = filter.includeInactive === true && canSeeInactive(caller);
  return [
    includeInactive ? undefined : eq(products.active, true),
    filter.categorySlug != null
      ? sql`${products.categoryId} = (select ${categories.id} from ${categories} where ${categories.slug} = ${filter.categorySlug})`
      : undefined,
    filter.occasionSlug != null
      ? sql`exists (select 1 from ${productOccasions} join ${occasions} on ${occasions.id} = ${productOccasions.occasionId} where ${productOccasions.productId} = ${products.id} and ${occasions.slug} = ${filter.occasionSlug})`
      : undefined,
    filter.colour != null ? arrayContains(products.colours, [filter.colour.trim().toLowerCase()]) : undefined,
    filter.flowerType != null
      ? arrayContains(products.flowerTypes, [filter.flowerType.trim().toLowerCase()])
      : undefined,
    minPrice != null ? gte(products.price, minPrice) : undefined,
    maxPrice != null ? lte(products.price, maxPrice) : undefined,
    filter.featured != null ? eq(products.featured, filter.featured) : undefined,
    filter.inStock === true ? sql`${products.stockOnHand} - ${products.reserved} > 0` : undefined,
    filter.inStock === false ? sql`${products.stockOnHand} - ${products.reserved} <= 0` : undefined,
    query ? sql`${products.search} @@ ${query}` : undefined,
  ];
}

/**
 * Keyset paging on (sort value, id): rows inserted between two pages land before or after the
 * cursor, never shifting the rows already listed, so no duplicates and no gaps.
 */
export async function listProducts(
  db: ProductsDb,
  caller: Caller,
  args: { filter?: ProductFilter | null; sort?: ProductSortKey | null; first?: number | null; after?: string | null },
) {
  const size = pageSize(args.first);
  const text = searchText(args.filter?.search);
  const sort = effectiveSort(args.sort, text !== null);
  const cursor: ProductCursor | null = args.after ? decodeCursor(args.after, isCursorFor(sort)) : null;
  const query = text ? tsQuery(text) : null;
  const where = and(...filterConditions(args.filter ?? {}, caller, query));

  // ts_rank is a float4; rounding it to a numeric keeps cursor comparisons exact.
  const rank = query ? sql<string>`round(ts_rank(${products.search}, ${query})::numeric, 6)` : sql<string>`0`;
  const key: Record<Exclude<ProductSortKey, "RATING">, { expr: SQL; dir: "asc" | "desc"; cast: SQL }> = {
    NEWEST: { expr: sql`${products.createdAt}`, dir: "desc", cast: sql`::timestamptz` },
    PRICE_ASC: { expr: sql`${products.price}`, dir: "asc", cast: sql`::integer` },
    PRICE_DESC: { expr: sql`${products.price}`, dir: "desc", cast: sql`::integer` },
    RELEVANCE: { expr: rank, dir: "desc", cast: sql`::numeric` },
  };
  let afterCursor: SQL | undefined;
  let order: SQL[];
  if (sort === "RATING") {
    // Best rated first, then the most reviewed, then the id: a total order, so the cursor is exact.
    // Products without published reviews have 0 and 0 and come last.
    const rated = cursor ? parseRatingKey(String(cursor[1])) : null;
    afterCursor = rated
      ? sql`(${products.ratingAverage}, ${products.ratingCount}, ${products.id}) < (${rated.average}::numeric, ${rated.count}::integer, ${cursor![2]}::uuid)`
      : undefined;
    order = [desc(products.ratingAverage), desc(products.ratingCount), desc(products.id)];
  } else {
    const { expr, dir, cast } = key[sort];
    afterCursor = cursor
      ? dir === "asc"
        ? sql`(${expr}, ${products.id}) > (${cursor[1]}${cast}, ${cursor[2]}::uuid)`
        : sql`(${expr}, ${products.id}) < (${cursor[1]}${cast}, ${cursor[2]}::uuid)`
      : undefined;
    order = dir === "asc" ? [asc(expr), asc(products.id)] : [desc(expr), desc(products.id)];
  }

  const [rows, [total]] = await Promise.all([
    db
      .select({ product: products, rank })
      .from(products)
      .where(and(where, afterCursor))
      .orderBy(...order)
      .limit(size + 1),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(products)
      .where(where),
  ]);
  const cursorOf = ({ product, rank: r }: { product: ProductRow; rank: string }): ProductCursor => [
    sort,
    sort === "NEWEST"
      ? product.createdAt.toISOString()
      : sort === "RELEVANCE"
        ? String(r)
        : sort === "RATING"
          ? ratingKey(product.ratingAverage, product.ratingCount)
          : product.price,
    product.id,
  ];
  const connection = toConnection(rows, size, cursorOf, cursor !== null, total?.n ?? 0);
  return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.product })) };
}
