import { createServer } from "node:net";
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { createTestDatabase, graphql, testStores, uniqueName, testServiceEnv } from "@fv/platform/testing";
import { ACCESS_TOKEN_ALGORITHM, createLogger, parseConfig, type EventEnvelope, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildAuthService, createStore, migrationsFolder } from "../src/server.js";

/** A fresh private Ed25519 JWK with a kid, as AUTH_SIGNING_KEYS holds them. */
export async function newSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ACCESS_TOKEN_ALGORITHM, use: "sig" };
}

/** Deletes every key under `prefix` (the service's client prefixes keys itself; this one does not). */
async function deleteKeys(redis: Redis, prefix: string) {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== "0");
}

// The service verifies its own access tokens through AUTH_JWKS_URL, so it must know its own
// address before it listens: take a free port, then listen on it.
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A client address of its own, so one test's failed sign-ins do not count against another's. */
export const newAddress = () => `10.${[...randomBytes(3)].join(".")}`;

/** Who a test request comes from: an access token's holder, a client address, a browser. */
export interface RequestAs {
  token?: string;
  address?: string;
  userAgent?: string;
}

/**
 * An auth service on a migrated database and a Redis key prefix of its own (event streams
 * included), listening on loopback. `restart` replaces the service on the same stores.
 */
export async function startAuth(options: { keys?: JWK[]; env?: Record<string, string> } = {}) {
  const database = await createTestDatabase("auth");
  const redisPrefix = `${uniqueName("test_auth")}:`;
  const store = createStore({ DATABASE_URL: database.url }, createLogger("auth-test", "silent"));
  await store.migrate(migrationsFolder);
  const redis = new Redis(testStores.redisUrl);

  const launch = async (keys: JWK[]) => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = parseConfig(configShape, {
      ...testServiceEnv({ jwksUrl: `${url}/.well-known/jwks.json` }),
      DATABASE_URL: database.url,
      REDIS_URL: testStores.redisUrl,
      REDIS_PREFIX: redisPrefix,
      EVENTS_PREFIX: redisPrefix,
      AUTH_SIGNING_KEYS: JSON.stringify(keys),
      LOG_LEVEL: "silent",
      ...options.env,
    });
    const service: Service = await buildAuthService(config, createLogger("auth", "silent"));
    await service.listen(port, "127.0.0.1");
    return { url, service };
  };

  let running = await launch(options.keys ?? [await newSigningJwk()]);
  const ctx = {
    get url() {
      return running.url;
    },
    store,
    redis,
    redisPrefix,
    /** Sends GraphQL as the router would, as `token`'s holder when given, from `address`. */
    gql: (query: string, variables?: Record<string, unknown>, as: RequestAs = {}) =>
      graphql(running.url, query, variables, {
        ...(as.token ? { authorization: `Bearer ${as.token}` } : {}),
        ...(as.userAgent ? { "user-agent": as.userAgent } : {}),
        "x-forwarded-for": as.address ?? newAddress(),
      }),
    /** The keys this service wrote, without the prefix. */
    keys: async () => (await redis.keys(`${redisPrefix}*`)).map((k) => k.slice(redisPrefix.length)),
    /** The events on a stream (STREAMS.auth…), oldest first. */
    events: async (stream: string): Promise<EventEnvelope<Record<string, any>>[]> =>
      (await redis.xrange(`${redisPrefix}${stream}`, "-", "+")).map(
        ([, fields]) => JSON.parse(fields[fields.indexOf("event") + 1]!) as EventEnvelope<Record<string, any>>,
      ),
    /** Waits for the outbox relay to publish an event matching `match`. */
    waitForEvent: async (stream: string, match: (event: EventEnvelope<Record<string, any>>) => boolean) => {
      for (let tries = 0; tries < 100; tries++) {
        const found = (await ctx.events(stream)).find(match);
        if (found) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no matching event on ${stream}`);
    },
    restart: async (keys: JWK[]) => {
      await running.service.stop();
      running = await launch(keys);
    },
    stop: async () => {
      await running.service.stop();
      await store.close();
      await database.drop();
      await deleteKeys(redis, redisPrefix);
      await redis.quit();
    },
  };
  return ctx;
}

export type AuthTestContext = Awaited<ReturnType<typeof startAuth>>;

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      account {
        id
        email
        emailVerified
        createdAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

export const LOGIN = /* GraphQL */ `
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      accessToken
      refreshToken
      expiresAt
      refreshTokenExpiresAt
      account {
        id
        email
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

export const REFRESH = /* GraphQL */ `
  mutation Refresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      expiresAt
      account {
        id
      }
      errors {
        code
      }
    }
  }
`;

/** Registers an account (asserting it worked) and returns its id. */
export async function registerAccount(ctx: AuthTestContext, email: string, password: string, name = "Ana Pérez") {
  const res = await ctx.gql(REGISTER, { input: { email, password, name } });
  if (res.errors || res.data!.register.errors.length) throw new Error(JSON.stringify(res.errors ?? res.data));
  return res.data!.register.account.id as string;
}

/** Signs in (asserting it worked) and returns the payload's tokens. */
export async function signIn(ctx: AuthTestContext, email: string, password: string, as: RequestAs = {}) {
  const res = await ctx.gql(LOGIN, { input: { email, password } }, as);
  if (res.errors || res.data!.login.errors.length) throw new Error(JSON.stringify(res.errors ?? res.data));
  return res.data!.login as { accessToken: string; refreshToken: string; expiresAt: string; account: { id: string } };
}

/** The error codes of a payload, as `field.path:CODE`. */
export const codes = (errors: { field: string[] | null; code: string }[]) =>
  errors.map((e) => `${e.field?.join(".") ?? ""}:${e.code}`);
