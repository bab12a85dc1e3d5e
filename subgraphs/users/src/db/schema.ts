import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { outbox } from "@fv/platform";
import { ROLES } from "../roles.js";
import { searchKeySql } from "../search.js";

const roleCheck = (column: unknown) => sql`${column} in (${sql.raw(ROLES.map((r) => `'${r}'`).join(", "))})`;

export const users = pgTable(
  "users",
  {
    /** The auth account's id: a profile is created from the account's registration event. */
    id: uuid().primaryKey().defaultRandom(),
    /** NFC, trimmed, single spaces. */
    name: text().notNull(),
    /**
     * A copy of the sign-in email, which auth owns (and keeps unique): no unique constraint here,
     * so a stale copy can never block a registration event from being applied.
     */
    email: text().notNull(),
    /** +56 and 9 digits, spaces stripped. */
    phone: text(),
    role: text({ enum: ROLES }).notNull().default("customer"),
    /** When auth said the person proved they own the email. */
    emailVerifiedAt: timestamp({ withTimezone: true, precision: 3 }),
    /** Name and email without case or accents, for staff search (computed by the database). */
    searchKey: text()
      .notNull()
      .generatedAlwaysAs(sql.raw(searchKeySql(`"name" || ' ' || "email"`))),
    // Millisecond precision, as JavaScript dates have: the pagination cursor carries it exactly.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 })
      .notNull()
      .defaultNow()
      .$onUpdate(() => new Date()),
  },
  (t) => [check("users_role_valid", roleCheck(t.role)), index("users_created_idx").on(t.createdAt.desc(), t.id.desc())],
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

/** Who changed whose role, when, from what to what: the audit trail of role changes. */
export const roleChanges = pgTable(
  "role_changes",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fromRole: text({ enum: ROLES }).notNull(),
    toRole: text({ enum: ROLES }).notNull(),
    // The admin's user id, or "cli" for `pnpm --filter @fv/users promote` (src/promote.ts), which is how
    // the first admin comes to be. No foreign key: the record must outlive the admin's own profile.
    changedBy: text().notNull(),
    changedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    check("role_changes_from_valid", roleCheck(t.fromRole)),
    check("role_changes_to_valid", roleCheck(t.toRole)),
    index("role_changes_user_idx").on(t.userId, t.changedAt),
  ],
);

export type UserRow = typeof users.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;
export type RoleChangeRow = typeof roleChanges.$inferSelect;
export { outbox };
export const schema = { users, addresses, roleChanges, outbox };
