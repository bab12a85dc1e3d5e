import DataLoader from "dataloader";
import { and, asc, count, desc, eq, getTableColumns, inArray, lt, lte, or, sql } from "drizzle-orm";
import {
  orderLines,
  orderStatusChanges,
  orders,
  type OrderLineRow,
  type OrderRow,
  type OrderStatusChangeRow,
} from "./db/schema.js";
import type { OrdersDb } from "./context.js";
import type { CreatedCursor } from "./order-lists.js";

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** Position of an order in a customer's history, newest first. */
export type OrderCursor = CreatedCursor;

export interface CustomerOrdersKey {
  customerId: string;
  size: number;
  after: OrderCursor | null;
}

/** `size + 1` orders after the cursor (the extra one tells there is a next page), and the customer's total. */
export interface CustomerOrdersPage {
  rows: OrderRow[];
  totalCount: number;
}

const groupBy = <T, K>(items: readonly T[], keyOf: (item: T) => K) => {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
};

const pageKey = (k: CustomerOrdersKey) => JSON.stringify([k.size, k.after]);

/** Each customer's first `size + 1` orders after the cursor, in one windowed query. */
async function loadPage(db: OrdersDb, customerIds: string[], size: number, after: OrderCursor | null) {
  const afterCursor = after
    ? or(
        lt(orders.createdAt, new Date(after[0])),
        and(eq(orders.createdAt, new Date(after[0])), lt(orders.id, after[1])),
      )
    : undefined;
  const ranked = db
    .select({
      ...getTableColumns(orders),
      rank: sql<number>`row_number() over (partition by ${orders.customerId} order by ${orders.createdAt} desc, ${orders.id} desc)`.as(
        "rank",
      ),
    })
    .from(orders)
    .where(and(inArray(orders.customerId, customerIds), afterCursor))
    .as("ranked");
  const rows = await db
    .select()
    .from(ranked)
    .where(lte(ranked.rank, size + 1))
    .orderBy(desc(ranked.createdAt), desc(ranked.id));
  return rows.map(({ rank: _rank, ...row }): OrderRow => row);
}

/**
 * The router asks for `User.orders` of many users in one `_entities` call: one query per distinct
 * page (usually just one) plus one count, whatever the number of users.
 */
async function loadCustomerOrders(db: OrdersDb, keys: readonly CustomerOrdersKey[]): Promise<CustomerOrdersPage[]> {
  // customer_id is a uuid column: another subgraph's id of another shape simply has no orders here.
  const valid = keys.filter((k) => isUuid(k.customerId));
  if (valid.length === 0) return keys.map(() => ({ rows: [], totalCount: 0 }));
  const groups = [...groupBy(valid, pageKey)];
  const [totals, ...pages] = await Promise.all([
    db
      .select({ customerId: orders.customerId, n: count() })
      .from(orders)
      .where(inArray(orders.customerId, [...new Set(valid.map((k) => k.customerId))]))
      .groupBy(orders.customerId),
    ...groups.map(([, group]) =>
      loadPage(db, [...new Set(group.map((k) => k.customerId))], group[0]!.size, group[0]!.after),
    ),
  ]);
  const totalOf = new Map(totals.map((t) => [t.customerId, t.n]));
  const rowsOf = new Map(groups.map(([key], i) => [key, groupBy(pages[i]!, (row) => row.customerId)]));
  return keys.map((k) => ({
    rows: rowsOf.get(pageKey(k))?.get(k.customerId) ?? [],
    totalCount: totalOf.get(k.customerId) ?? 0,
  }));
}

/** One query per request for all the orders (or histories, or customers' pages) federation asks for. */
export function createLoaders(db: OrdersDb) {
  return {
    order: new DataLoader<string, OrderRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.select().from(orders).where(inArray(orders.id, valid)) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      // PostgreSQL prints uuids in lower case; a reference may not.
      return ids.map((id) => found.get(id.toLowerCase()) ?? null);
    }),
    statusHistory: new DataLoader<string, OrderStatusChangeRow[]>(async (orderIds) => {
      const rows = await db
        .select()
        .from(orderStatusChanges)
        .where(inArray(orderStatusChanges.orderId, [...orderIds]))
        .orderBy(asc(orderStatusChanges.orderId), asc(orderStatusChanges.id));
      const byOrder = groupBy(rows, (row) => row.orderId);
      return orderIds.map((id) => byOrder.get(id.toLowerCase()) ?? []);
    }),
    lines: new DataLoader<string, OrderLineRow[]>(async (orderIds) => {
      const rows = await db
        .select()
        .from(orderLines)
        .where(inArray(orderLines.orderId, [...orderIds]))
        .orderBy(asc(orderLines.orderId), asc(orderLines.position));
      const byOrder = groupBy(rows, (row) => row.orderId);
      return orderIds.map((id) => byOrder.get(id.toLowerCase()) ?? []);
    }),
    customerOrders: new DataLoader<CustomerOrdersKey, CustomerOrdersPage, string>(
      (keys) => loadCustomerOrders(db, keys),
      { cacheKeyFn: (k) => JSON.stringify([k.customerId, k.size, k.after]) },
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
