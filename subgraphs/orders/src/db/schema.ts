import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { outbox } from "@fv/platform";
import { ORDER_STATUSES } from "../order-status.js";

export const DELIVERY_METHODS = ["STANDARD", "EXPRESS", "SAME_DAY", "SCHEDULED", "PICKUP"] as const;
export const DELIVERY_SLOTS = ["MORNING", "MIDDAY", "AFTERNOON", "EVENING"] as const;
export const PAYMENT_METHODS = ["WEBPAY", "MERCADOPAGO", "BANK_TRANSFER"] as const;
export const PAYMENT_STATUSES = ["PENDING", "APPROVED", "DECLINED", "EXPIRED"] as const;
export const PROMOTION_KINDS = ["PERCENTAGE", "FIXED"] as const;
export const RESERVATION_ACTIONS = ["CONFIRM", "RELEASE"] as const;

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
    buyerName: text().notNull().default(""),
    buyerPhone: text().notNull().default(""),
    /**
     * Who the idempotency key belongs to (the customer id, or "guest:" + email) and the key: the same
     * pair is the same purchase. `requestHash` tells a retry from a different purchase under a used key.
     */
    idempotencyScope: text(),
    idempotencyKey: text(),
    requestHash: text(),
    /** The stock reservation's reference at products (derived from the idempotency key). */
    reservationRef: text(),
    /** The cart checked out, so the cart service can take the ordered units out of it. */
    cartId: text(),
    deliveryMethod: text({ enum: DELIVERY_METHODS }).notNull().default("PICKUP"),
    deliveryDate: date({ mode: "string" }),
    deliverySlot: text({ enum: DELIVERY_SLOTS }),
    deliverySurcharge: integer().notNull().default(0),
    recipientName: text(),
    recipientPhone: text(),
    addressStreet: text(),
    addressCommune: text(),
    addressNotes: text(),
    giftMessage: text(),
    promotionCode: text(),
    paymentMethod: text({ enum: PAYMENT_METHODS }).notNull().default("WEBPAY"),
    paymentProvider: text().notNull().default("sandbox"),
    paymentId: text().unique(),
    paymentStatus: text({ enum: PAYMENT_STATUSES }).notNull().default("PENDING"),
    paymentRedirectUrl: text(),
    paymentExpiresAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    refundDue: boolean().notNull().default(false),
    /** The delivery driver (a users-subgraph id) who takes it out. */
    driverId: uuid(),
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
    index("orders_created_idx").on(t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("orders_driver_idx").on(t.driverId),
    uniqueIndex("orders_idempotency_idx").on(t.idempotencyScope, t.idempotencyKey),
    // The sweeper looks for unpaid orders past their payment window.
    index("orders_pending_payment_idx")
      .on(t.paymentExpiresAt)
      .where(sql`status = 'PENDING_PAYMENT'`),
  ],
);

/** A product as it was sold: its price and name are copied, the catalogue may change later. */
export const orderLines = pgTable(
  "order_lines",
  {
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    position: integer().notNull(),
    productId: uuid().notNull(),
    sku: text().notNull(),
    name: text().notNull(),
    unitPrice: integer().notNull(),
    quantity: integer().notNull(),
    lineTotal: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.position] }),
    check("order_lines_quantity_valid", sql`${t.quantity} between 1 and 99`),
    check("order_lines_price_non_negative", sql`${t.unitPrice} >= 0`),
  ],
);

export const promotions = pgTable(
  "promotions",
  {
    id: uuid().primaryKey().defaultRandom(),
    code: text().notNull().unique(),
    kind: text({ enum: PROMOTION_KINDS }).notNull(),
    value: integer().notNull(),
    minSubtotal: integer(),
    startsAt: timestamp({ withTimezone: true, precision: 3 }),
    endsAt: timestamp({ withTimezone: true, precision: 3 }),
    usageLimit: integer(),
    timesUsed: integer().notNull().default(0),
    onePerCustomer: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    createdBy: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check("promotions_value_positive", sql`${t.value} > 0`),
    check("promotions_usage_within_limit", sql`${t.usageLimit} is null or ${t.timesUsed} <= ${t.usageLimit}`),
  ],
);

/** One row per order that used a code: what `usageLimit` and `onePerCustomer` count. */
export const promotionRedemptions = pgTable(
  "promotion_redemptions",
  {
    promotionId: uuid()
      .notNull()
      .references(() => promotions.id),
    orderId: uuid()
      .notNull()
      .references(() => orders.id),
    customerId: uuid(),
    redeemedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.promotionId, t.orderId] }),
    index("promotion_redemptions_customer_idx").on(t.promotionId, t.customerId),
  ],
);

/**
 * Calls to the products subgraph that must happen even if it is down when the order changes:
 * confirming a paid order's reservation, releasing a cancelled one's. Written in the transaction
 * that changes the order, carried out (with retries) afterwards; products makes each idempotent.
 */
export const reservationTasks = pgTable(
  "reservation_tasks",
  {
    orderRef: text().notNull(),
    action: text({ enum: RESERVATION_ACTIONS }).notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastError: text(),
    doneAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.orderRef, t.action] }),
    index("reservation_tasks_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`done_at is null`),
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
export type OrderLineRow = typeof orderLines.$inferSelect;
export type OrderStatusChangeRow = typeof orderStatusChanges.$inferSelect;
export type PromotionRow = typeof promotions.$inferSelect;
export { outbox };
export const schema = {
  orders,
  orderLines,
  orderStatusChanges,
  promotions,
  promotionRedemptions,
  reservationTasks,
  outbox,
};
