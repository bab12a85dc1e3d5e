import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { ORDER_STATUSES } from "../order-status.js";

// Inlined rather than bound: a check constraint is DDL and takes no parameters.
const statusList = sql.raw(ORDER_STATUSES.map((s) => `'${s}'`).join(", "));

const money = () => integer().notNull().default(0);

export const orders = pgTable(
  "orders",
  {
    id: uuid().primaryKey().defaultRandom(),
    number: text().notNull().unique(),
    status: text({ enum: ORDER_STATUSES }).notNull(),
    /** Null for a guest checkout. A users-subgraph id: no foreign key across databases. */
    customerId: uuid(),
    buyerEmail: text().notNull(),
    subtotal: money(),
    deliveryFee: money(),
    discount: money(),
    total: money(),
    // Millisecond precision, as JavaScript dates have: the User.orders cursor carries it exactly.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check("orders_status_valid", sql`${t.status} in (${statusList})`),
    check("orders_subtotal_non_negative", sql`${t.subtotal} >= 0`),
    check("orders_delivery_fee_non_negative", sql`${t.deliveryFee} >= 0`),
    check("orders_discount_non_negative", sql`${t.discount} >= 0`),
    check("orders_total_non_negative", sql`${t.total} >= 0`),
    // NULLS FIRST is what a plain `order by … desc` means; an index built otherwise cannot serve it.
    index("orders_customer_created_idx").on(t.customerId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
  ],
);

export const orderStatusChanges = pgTable(
  "order_status_changes",
  {
    // An identity rather than a uuid: two changes in the same millisecond still sort in the order they happened.
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    /** Null for the row that records the order's creation. */
    fromStatus: text({ enum: ORDER_STATUSES }),
    toStatus: text({ enum: ORDER_STATUSES }).notNull(),
    changedBy: text().notNull(),
    note: text(),
    changedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check("order_status_changes_from_valid", sql`${t.fromStatus} is null or ${t.fromStatus} in (${statusList})`),
    check("order_status_changes_to_valid", sql`${t.toStatus} in (${statusList})`),
    index("order_status_changes_order_idx").on(t.orderId, t.id),
  ],
);

export type OrderRow = typeof orders.$inferSelect;
export type OrderStatusChangeRow = typeof orderStatusChanges.$inferSelect;
export const schema = { orders, orderStatusChanges };
