import { badUserInput } from "@fv/platform";

export type ProductSortKey = "RELEVANCE" | "PRICE_ASC" | "PRICE_DESC" | "NEWEST" | "RATING";

/** The text worth searching for, or null: blank searches list everything. */
export const searchText = (search: string | null | undefined): string | null => {
  const trimmed = search?.trim() ?? "";
  return trimmed.length ? trimmed.slice(0, 200) : null;
};

/** Relevance is the natural order of a search and means nothing without one. */
export function effectiveSort(sort: ProductSortKey | null | undefined, searching: boolean): ProductSortKey {
  if (sort === "RELEVANCE" && !searching) throw badUserInput('Argument "sort" RELEVANCE needs filter.search', "sort");
  return sort ?? (searching ? "RELEVANCE" : "NEWEST");
}

/**
 * A cursor is [sort, sort value, id]: it only continues the listing it came from. RATING's value
 * is "<average>:<count>" (e.g. "4.50:12"), the two keys it sorts by before the id.
 */
export type ProductCursor = [ProductSortKey, string | number, string];

export const ratingKey = (average: string, count: number) => `${average}:${count}`;

/** The average and count a RATING cursor carries. */
export function parseRatingKey(key: string): { average: string; count: number } {
  const [average, count] = key.split(":");
  return { average: average!, count: Number(count) };
}

export const isCursorFor =
  (sort: ProductSortKey) =>
  (value: unknown): value is ProductCursor => {
    if (!Array.isArray(value) || value.length !== 3 || value[0] !== sort) return false;
    const [, key, id] = value as unknown[];
    if (typeof id !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id))
      return false;
    if (sort === "NEWEST") return typeof key === "string" && !Number.isNaN(Date.parse(key));
    if (sort === "RELEVANCE") return typeof key === "string" && /^\d+(\.\d+)?$/.test(key);
    if (sort === "RATING") return typeof key === "string" && /^[0-5](\.\d{1,2})?:\d{1,9}$/.test(key);
    return typeof key === "number" && Number.isInteger(key);
  };
