import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import {
  createTestDatabase,
  createTestIssuer,
  graphql,
  listenForTest,
  testServiceEnv,
  testStores,
  uniqueName,
  eventually,
} from "@fv/platform/testing";
import {
  SERVICE_NAME_HEADER,
  createLogger,
  createRedis,
  newEvent,
  parseConfig,
  publishEvent,
  type EventEnvelope,
  type Role,
  type Service,
} from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildUsersService, createStore, migrationsFolder } from "../src/server.js";
import { streamKeys } from "../src/background.js";
import { users } from "../src/db/schema.js";

/**
 * A users service on a migrated database of its own, listening on loopback, verifying tokens of
 * a test issuer, its event streams under a prefix of its own (deleted on stop).
 */
export async function startUsers() {
  const issuer = await createTestIssuer();
  const database = await createTestDatabase("users");
  const eventsPrefix = `${uniqueName("test_users")}:`;
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    DATABASE_URL: database.url,
    REDIS_URL: testStores.redisUrl,
    EVENTS_PREFIX: eventsPrefix,
    // Retried events come back quickly, so a test of a retry does not wait 30 s.
    EVENTS_RETRY_AFTER_MS: "300",
    LOG_LEVEL: "silent",
  });
  const logger = createLogger("users-test", "silent");
  const store = createStore(config, logger);
  await store.migrate(migrationsFolder);
  const service: Service = await buildUsersService(config, createLogger("users", "silent"));
  const url = await listenForTest(service);
  const redis = createRedis({ url: testStores.redisUrl, logger });
  const streams = streamKeys(eventsPrefix);

  const headersAs = async (userId: string, role: Role = "customer") => ({
    authorization: `Bearer ${await issuer.sign({ userId, role })}`,
  });

  return {
    url,
    store,
    service,
    streams,
    databaseUrl: database.url,
    eventsPrefix,
    redis: redis.redis,
    /** Request headers of a signed-in person with this role (the token's role decides permissions). */
    headersAs,
    /** Request headers of another service calling as itself. */
    asService: { [SERVICE_NAME_HEADER]: "orders" } as Record<string, string>,
    publishAuthEvent: (event: EventEnvelope) => publishEvent(redis.redis, streams.auth, event),
    stop: async () => {
      await service.stop();
      await redis.redis.del(streams.auth, streams.users);
      await redis.close();
      await store.close();
      await database.drop();
      await issuer.stop();
    },
  };
}

export type UsersTest = Awaited<ReturnType<typeof startUsers>>;

export { eventually };

export const storedUser = async (ctx: UsersTest, id: string) => {
  const [row] = await ctx.store.db.select().from(users).where(eq(users.id, id));
  return row;
};

export const registrationEvent = (account: { name: string; email: string; phone?: string | null; userId?: string }) =>
  newEvent("auth.user_registered", {
    userId: account.userId ?? randomUUID(),
    email: account.email,
    name: account.name,
    phone: account.phone ?? null,
  });

/** Registers an account as auth does (an event on its stream) and waits for the profile. */
export async function register(ctx: UsersTest, name: string, email: string, phone?: string) {
  const event = registrationEvent({ name, email, phone });
  await ctx.publishAuthEvent(event);
  await eventually(() => storedUser(ctx, event.data.userId), `the profile of ${email}`);
  return event.data.userId;
}

/** A signed-in person with a profile: their id and request headers. */
export async function person(ctx: UsersTest, name: string, email: string, role: Role = "customer") {
  const id = await register(ctx, name, email);
  return { id, headers: await ctx.headersAs(id, role) };
}

export const ADDRESS_FIELDS = /* GraphQL */ `
  address {
    id
    label
    street
    commune
    notes
    isDefault
  }
  user {
    id
    addresses {
      id
      isDefault
    }
  }
  errors {
    field
    code
    message
  }
`;

export const ADD_ADDRESS = /* GraphQL */ `
  mutation AddAddress($input: AddAddressInput!) {
    addAddress(input: $input) {
      ${ADDRESS_FIELDS}
    }
  }
`;

export const UPDATE_ADDRESS = /* GraphQL */ `
  mutation UpdateAddress($id: ID!, $input: UpdateAddressInput!) {
    updateAddress(id: $id, input: $input) {
      ${ADDRESS_FIELDS}
    }
  }
`;

export const SET_DEFAULT_ADDRESS = /* GraphQL */ `
  mutation SetDefaultAddress($id: ID!) {
    setDefaultAddress(id: $id) {
      ${ADDRESS_FIELDS}
    }
  }
`;

export const REMOVE_ADDRESS = /* GraphQL */ `
  mutation RemoveAddress($id: ID!) {
    removeAddress(id: $id) {
      removedAddressId
      user {
        id
        addresses {
          id
          isDefault
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

export const UPDATE_PROFILE = /* GraphQL */ `
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) {
      user {
        id
        name
        email
        phone
        updatedAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

export const CHANGE_ROLE = /* GraphQL */ `
  mutation ChangeRole($userId: ID!, $role: Role!) {
    changeUserRole(userId: $userId, role: $role) {
      user {
        id
        role
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

export const USER = /* GraphQL */ `
  query User($id: ID!) {
    user(id: $id) {
      id
      name
      email
      phone
      role
      addresses {
        id
        street
      }
    }
  }
`;

/** Adds an address as `headers`' person and returns the payload, failing on GraphQL errors. */
export async function addAddress(ctx: UsersTest, headers: Record<string, string>, input: Record<string, unknown>) {
  const res = await graphql(ctx.url, ADD_ADDRESS, { input }, headers);
  if (res.errors) throw new Error(`addAddress failed: ${JSON.stringify(res.errors)}`);
  return res.data!.addAddress;
}

export const codes = (errors: { field: string[] | null; code: string }[]) =>
  errors.map((e) => `${(e.field ?? []).join(".")}:${e.code}`);

export const errorCode = (res: { errors?: { extensions?: Record<string, unknown> }[] }) =>
  res.errors?.[0]?.extensions?.code;
