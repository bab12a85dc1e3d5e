import { pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const credentials = pgTable("credentials", {
  id: uuid().primaryKey().defaultRandom(),
  /** Lower-cased and trimmed before it is stored, so the unique constraint is case-insensitive. */
  email: text().notNull().unique(),
  /** A self-describing scrypt string (see src/password.ts). */
  passwordHash: text().notNull(),
  emailVerifiedAt: timestamp({ withTimezone: true, precision: 3 }),
  createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true, precision: 3 })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

/** The GraphQL Account is a credentials row; resolvers never return passwordHash. */
export type AccountRow = typeof credentials.$inferSelect;
export const schema = { credentials };
