import { and, count, desc, eq, gte, inArray, lt, or, type SQL } from "drizzle-orm";
import { decodeCursor, toConnection } from "@fv/platform";
import { orders, promotions } from "./db/schema.js";
import type { OrdersDb } from "./context.js";

/** Position in a newest-first list: [createdAt ISO, id]. */
export type CreatedCursor = [string, string];

export const isCreatedCursor = (v: unknown): v is CreatedCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  /^[0-9a-f-]{36}$/i.test(v[1]);

type Listed = typeof orders | typeof promotions;

const after = (table: Listed, cursor: CreatedCursor | null) =>
  cursor
    ? or(
        lt(table.createdAt, new Date(cursor[0])),
        and(eq(table.createdAt, new Date(cursor[0])), lt(table.id, cursor[1])),
      )
    : undefined;

/** A newest-first page of a table with `createdAt` and `id`, and the count of everything `where` selects. */
export async function newestFirst<T extends Listed>(
  db: OrdersDb,
  table: T,
  where: SQL | undefined,
  size: number,
  afterCursor: string | null | undefined,
) {
  const cursor = afterCursor ? decodeCursor(afterCursor, isCreatedCursor) : null;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(table as Listed)
      .where(and(where, after(table, cursor)))
      .orderBy(desc(table.createdAt), desc(table.id))
      .limit(size + 1),
    db
      .select({ n: count() })
      .from(table as Listed)
      .where(where),
  ]);
  return toConnection(
    rows as T["$inferSelect"][],
    size,
    (row) => [row.createdAt.toISOString(), row.id],
    cursor !== null,
    total!.n,
  );
}

export interface OrderFilterValues {
  status?: (typeof orders.$inferSelect.status)[] | null;
  createdFrom?: Date | null;
  createdTo?: Date | null;
  deliveryDate?: string | null;
  commune?: string | null;
  driverId?: string | null;
}

export const orderFilter = (filter: OrderFilterValues): SQL | undefined =>
  and(
    filter.status?.length ? inArray(orders.status, filter.status) : undefined,
    filter.createdFrom ? gte(orders.createdAt, filter.createdFrom) : undefined,
    filter.createdTo ? lt(orders.createdAt, filter.createdTo) : undefined,
    filter.deliveryDate ? eq(orders.deliveryDate, filter.deliveryDate) : undefined,
    filter.commune ? eq(orders.addressCommune, filter.commune) : undefined,
    filter.driverId ? eq(orders.driverId, filter.driverId) : undefined,
  );
