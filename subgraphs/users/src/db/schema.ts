import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { ROLES } from "../roles.js";

export const users = pgTable(
  "users",
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    /** Lower-cased and trimmed before it is stored, so the unique constraint is case-insensitive. */
    email: text().notNull().unique(),
    /** +56 and 9 digits, spaces stripped. */
    phone: text(),
    role: text({ enum: ROLES }).notNull().default("customer"),
    // Millisecond precision, as JavaScript dates have: the pagination cursor carries it exactly.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [
    check("users_role_valid", sql`${t.role} in (${sql.raw(ROLES.map((r) => `'${r}'`).join(", "))})`),
    index("users_created_idx").on(t.createdAt.desc(), t.id.desc()),
  ],
);

export const addresses = pgTable(
  "addresses",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text(),
    street: text().notNull(),
    /** Canonical spelling from src/communes.ts. */
    commune: text().notNull(),
    notes: text(),
    isDefault: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("addresses_user_idx").on(t.userId, t.createdAt),
    // The database itself guarantees at most one default address per person.
    uniqueIndex("addresses_one_default_per_user")
      .on(t.userId)
      .where(sql`${t.isDefault}`),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;
export const schema = { users, addresses };
