import { randomBytes } from "node:crypto";
import pg from "pg";
import type { Service } from "../http-server.js";
import { SERVICE_CREDENTIAL_HEADER } from "../auth/service-credential.js";

export { createTestIssuer, type TestIssuer } from "./issuer.js";

/** The service credential of this test process: services built here get it, requests send it. */
export const TEST_SERVICE_CREDENTIAL = `test-${randomBytes(24).toString("hex")}`;

/** What a service under test needs beside its stores: the credential, and the issuer's keys when given. */
export const testServiceEnv = (issuer?: { jwksUrl: string }): Record<string, string> => ({
  SERVICE_CREDENTIAL: TEST_SERVICE_CREDENTIAL,
  ...(issuer ? { AUTH_JWKS_URL: issuer.jwksUrl } : {}),
});

/** Where the test stores are: the same variables `pnpm start` reads, with local defaults. */
export const testStores = {
  postgresAdminUrl: process.env.POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  mongoUrl: process.env.MONGODB_URL ?? "mongodb://127.0.0.1:27017/",
  redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
};

/** A port nothing listens on, for "store unreachable" tests. */
export const CLOSED_PORT = 1;

export const uniqueName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty PostgreSQL database of its own for one test file; `drop` removes it. */
export async function createTestDatabase(
  prefix: string,
): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = uniqueName(`test_${prefix}`);
  const admin = new pg.Client({ connectionString: testStores.postgresAdminUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(testStores.postgresAdminUrl, name),
    drop: async () => {
      const client = new pg.Client({ connectionString: testStores.postgresAdminUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A MongoDB URL naming a database of its own for one test file. */
export function testMongoDatabase(prefix: string): { url: string; dbName: string } {
  return { url: testStores.mongoUrl, dbName: uniqueName(`test_${prefix}`) };
}

/** Listens on a free loopback port and returns the base URL. */
export async function listenForTest(service: Service): Promise<string> {
  const address = await service.listen(0, "127.0.0.1");
  return `http://127.0.0.1:${address.port}`;
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function graphql<T = Record<string, any>>(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    // As the router does: with the service credential (a test may override it with its own header).
    headers: { "content-type": "application/json", [SERVICE_CREDENTIAL_HEADER]: TEST_SERVICE_CREDENTIAL, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, "status">;
  return { status: response.status, ...body };
}

/** Asks a subgraph to resolve entity representations, as the router does. */
export async function resolveEntities<T = Record<string, any>>(
  baseUrl: string,
  representations: Record<string, unknown>[],
  selection: string,
  headers: Record<string, string> = {},
) {
  return graphql<{ _entities: (T | null)[] }>(
    baseUrl,
    `query($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`,
    { representations },
    headers,
  );
}

/**
 * Polls until `check` returns something other than undefined (an event handled, a relay run…) and
 * returns it; fails naming `what` after `timeoutMs`. A deadline, not a timing assertion.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
