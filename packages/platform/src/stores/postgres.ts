import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { Logger } from "../logger.js";
import type { ReadinessCheck } from "../health.js";
import { instrumentPgPool } from "../instrumentation.js";

/** The drizzle database, whichever driver is underneath. */
export type Database<TSchema extends Record<string, unknown>> = PgDatabase<PgQueryResultHKT, TSchema>;

export interface PostgresStore<TSchema extends Record<string, unknown>> {
  db: Database<TSchema>;
  driver: "postgres" | "pglite";
  readiness: ReadinessCheck;
  migrate(migrationsFolder: string): Promise<void>;
  close(): Promise<void>;
  /** The pg pool, for pool metrics; undefined on PGlite. */
  pool?: pg.Pool;
}

export interface PostgresOptions<TSchema extends Record<string, unknown>> {
  /** postgres:// URL. Without one, an embedded PGlite database is used (in `pgliteDir`, or in memory). */
  url?: string;
  pgliteDir?: string;
  schema: TSchema;
  logger: Logger;
  poolSize?: number;
}

export function createPostgres<TSchema extends Record<string, unknown>>(
  options: PostgresOptions<TSchema>,
): PostgresStore<TSchema> {
  const { url, schema, logger } = options;
  if (url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 3_000,
      idleTimeoutMillis: 30_000,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    pool.on("error", (error) => logger.warn({ err: error }, "postgres idle client error"));
    const uninstrument = instrumentPgPool(pool, "postgres", logger);
    const db = drizzlePg(pool, { schema, casing: "snake_case" }) as unknown as Database<TSchema>;
    return {
      db,
      driver: "postgres",
      pool,
      readiness: { name: "postgres", check: () => pool.query("select 1") },
      migrate: async (migrationsFolder) => {
        await migratePg(db as never, { migrationsFolder });
      },
      close: () => {
        uninstrument();
        return pool.end();
      },
    };
  }
  const client = new PGlite(options.pgliteDir);
  const db = drizzlePglite(client, { schema, casing: "snake_case" }) as unknown as Database<TSchema>;
  return {
    db,
    driver: "pglite",
    readiness: { name: "postgres", check: () => db.execute(sql`select 1`) },
    migrate: async (migrationsFolder) => {
      await migratePglite(db as never, { migrationsFolder });
    },
    close: () => client.close(),
  };
}
