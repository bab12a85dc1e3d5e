import { sql } from "drizzle-orm";
import { check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { outbox, type Role } from "@fv/platform";

const instant = () => timestamp({ withTimezone: true, precision: 3 });

export const credentials = pgTable("credentials", {
  id: uuid().primaryKey().defaultRandom(),
  /** Lower-cased and trimmed before it is stored, so the unique constraint is case-insensitive. */
  email: text().notNull().unique(),
  /** A self-describing scrypt string (see src/password.ts). */
  passwordHash: text().notNull(),
  emailVerifiedAt: instant(),
  /**
   * A replica of the role the users subgraph owns, kept from its users.role_changed events, so
   * access tokens carry it without a call to users at every sign-in.
   */
  role: text().$type<Role>().notNull().default("customer"),
  /** When the applied role change happened: an older event delivered late does not undo a newer one. */
  roleChangedAt: instant(),
  createdAt: instant().notNull().defaultNow(),
  updatedAt: instant()
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date()),
});

/** A signed-in device: the `sid` of its access tokens, and the family its refresh tokens belong to. */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => credentials.id, { onDelete: "cascade" }),
    userAgent: text(),
    clientAddress: text(),
    createdAt: instant().notNull().defaultNow(),
    lastUsedAt: instant().notNull().defaultNow(),
    /** When its latest refresh token expires: the session ends then unless refreshed. */
    expiresAt: instant().notNull(),
    revokedAt: instant(),
  },
  (table) => [index("sessions_account_id_idx").on(table.accountId, table.createdAt)],
);

/** Opaque refresh tokens, by their SHA-256: one unused per live session, the used ones kept to spot reuse. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    sessionId: uuid()
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    createdAt: instant().notNull().defaultNow(),
    expiresAt: instant().notNull(),
    usedAt: instant(),
  },
  (table) => [index("refresh_tokens_session_id_idx").on(table.sessionId)],
);

export const ONE_TIME_TOKEN_KINDS = ["reset", "verify"] as const;
export type OneTimeTokenKind = (typeof ONE_TIME_TOKEN_KINDS)[number];

/** Password-reset and email-verification tokens, by their SHA-256. */
export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: uuid().primaryKey().defaultRandom(),
    kind: text().$type<OneTimeTokenKind>().notNull(),
    accountId: uuid()
      .notNull()
      .references(() => credentials.id, { onDelete: "cascade" }),
    tokenHash: text().notNull().unique(),
    createdAt: instant().notNull().defaultNow(),
    expiresAt: instant().notNull(),
    usedAt: instant(),
  },
  (table) => [
    index("one_time_tokens_account_id_idx").on(table.accountId, table.kind),
    check("one_time_tokens_kind_check", sql`${table.kind} in ('reset', 'verify')`),
  ],
);

/** The GraphQL Account is a credentials row; resolvers never return passwordHash. */
export type AccountRow = typeof credentials.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type RefreshTokenRow = typeof refreshTokens.$inferSelect;
export type OneTimeTokenRow = typeof oneTimeTokens.$inferSelect;

export { outbox };
export const schema = { credentials, sessions, refreshTokens, oneTimeTokens, outbox };
