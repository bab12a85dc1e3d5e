import { sql, type SQL } from "drizzle-orm";
import {
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

export const categories = pgTable("categories", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const occasions = pgTable("occasions", {
  id: uuid().primaryKey().defaultRandom(),
  slug: text().notNull().unique(),
  name: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const productSize = pgEnum("product_size", ["SMALL", "MEDIUM", "LARGE", "PREMIUM"]);

/** An image path relative to IMAGE_BASE_URL, so the CDN can move without rewriting rows. */
export interface ProductImage {
  path: string;
  alt: string;
}

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * Accents are folded with an immutable translate() rather than the unaccent extension, which the
 * embedded PGlite does not load: the same generated column then works on both, and Spanish
 * stemming runs on the folded text on both sides of the match.
 */
export const ACCENTED = "áéíóúüñÁÉÍÓÚÜÑ";
export const UNACCENTED = "aeiouunAEIOUUN";

export const products = pgTable(
  "products",
  {
    id: uuid().primaryKey().defaultRandom(),
    slug: text().notNull().unique(),
    sku: text().notNull().unique(),
    name: text().notNull(),
    description: text().notNull(),
    price: integer().notNull(),
    compareAtPrice: integer(),
    categoryId: uuid()
      .notNull()
      .references(() => categories.id),
    colours: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    flowerTypes: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    size: productSize().notNull().default("MEDIUM"),
    careInstructions: text().notNull().default(""),
    extras: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    images: jsonb()
      .$type<ProductImage[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    stockOnHand: integer().notNull().default(0),
    /** Units held by unconfirmed reservations; kept beside the stock so one conditional UPDATE reserves. */
    reserved: integer().notNull().default(0),
    featured: boolean().notNull().default(false),
    active: boolean().notNull().default(true),
    /**
     * The published reviews' mean stars and count, a copy kept from the reviews subgraph's
     * `reviews.rating_changed` events (ratings.ts) so the catalogue can sort by rating: 0 and 0
     * until a product has a published review. `ratingComputedAt` is when reviews computed the
     * copy held, so an older or repeated event changes nothing.
     */
    ratingAverage: numeric({ precision: 3, scale: 2 }).notNull().default("0"),
    ratingCount: integer().notNull().default(0),
    ratingComputedAt: timestamp({ withTimezone: true, precision: 3 }),
    search: tsvector()
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          sql`setweight(to_tsvector('spanish'::regconfig, translate(coalesce(name, ''), 'áéíóúüñÁÉÍÓÚÜÑ', 'aeiouunAEIOUUN')), 'A') || setweight(to_tsvector('spanish'::regconfig, translate(coalesce(description, ''), 'áéíóúüñÁÉÍÓÚÜÑ', 'aeiouunAEIOUUN')), 'B')`,
      ),
    // Millisecond precision, as JavaScript dates have: the pagination cursor carries it exactly.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("products_price_non_negative", sql`${t.price} >= 0`),
    check("products_stock_non_negative", sql`${t.stockOnHand} >= 0`),
    check("products_reserved_within_stock", sql`${t.reserved} >= 0 AND ${t.reserved} <= ${t.stockOnHand}`),
    check("products_rating_valid", sql`${t.ratingAverage} >= 0 AND ${t.ratingAverage} <= 5 AND ${t.ratingCount} >= 0`),
    index("products_active_created_idx").on(t.active, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("products_active_price_idx").on(t.active, t.price, t.id),
    index("products_active_rating_idx").on(
      t.active,
      t.ratingAverage.desc().nullsFirst(),
      t.ratingCount.desc().nullsFirst(),
      t.id.desc().nullsFirst(),
    ),
    index("products_search_idx").using("gin", t.search),
    index("products_colours_idx").using("gin", t.colours),
    index("products_flower_types_idx").using("gin", t.flowerTypes),
  ],
);

export const productOccasions = pgTable(
  "product_occasions",
  {
    productId: uuid()
      .notNull()
      .references(() => products.id, { onDelete: "cascade" }),
    occasionId: uuid()
      .notNull()
      .references(() => occasions.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.productId, t.occasionId] }),
    index("product_occasions_occasion_idx").on(t.occasionId),
  ],
);

export const reservationStatus = pgEnum("reservation_status", ["ACTIVE", "CONFIRMED", "RELEASED", "EXPIRED"]);

/** One order's hold on stock; its lines say how much of which product. */
export const reservations = pgTable(
  "reservations",
  {
    orderRef: text().primaryKey(),
    status: reservationStatus().notNull().default("ACTIVE"),
    expiresAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("reservations_active_expiry_idx").on(t.status, t.expiresAt)],
);

export const reservationLines = pgTable(
  "reservation_lines",
  {
    orderRef: text()
      .notNull()
      .references(() => reservations.orderRef, { onDelete: "cascade" }),
    productId: uuid()
      .notNull()
      .references(() => products.id),
    quantity: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orderRef, t.productId] }),
    check("reservation_lines_quantity_positive", sql`${t.quantity} > 0`),
  ],
);

/** Every manual change of stock: who, when, how much, why. */
export const stockAdjustments = pgTable(
  "stock_adjustments",
  {
    id: uuid().primaryKey().defaultRandom(),
    productId: uuid()
      .notNull()
      .references(() => products.id),
    delta: integer().notNull(),
    reason: text().notNull(),
    adjustedBy: uuid().notNull(),
    stockAfter: integer().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index("stock_adjustments_product_idx").on(t.productId, t.createdAt)],
);

export type CategoryRow = typeof categories.$inferSelect;
export type OccasionRow = typeof occasions.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type ReservationRow = typeof reservations.$inferSelect;
export type StockAdjustmentRow = typeof stockAdjustments.$inferSelect;
export const schema = {
  categories,
  occasions,
  products,
  productOccasions,
  reservations,
  reservationLines,
  stockAdjustments,
};
