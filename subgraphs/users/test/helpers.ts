import { createTestDatabase, graphql, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildUsersService, createStore, migrationsFolder } from "../src/server.js";

/** A users service on a migrated database of its own, listening on loopback. */
export async function startUsers() {
  const database = await createTestDatabase("users");
  const config = parseConfig(configShape, { ...testServiceEnv(), DATABASE_URL: database.url, LOG_LEVEL: "silent" });
  const store = createStore(config, createLogger("users-test", "silent"));
  await store.migrate(migrationsFolder);
  const service: Service = await buildUsersService(config, createLogger("users", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    store,
    service,
    stop: async () => {
      await service.stop();
      await store.close();
      await database.drop();
    },
  };
}

export const CREATE_PROFILE = /* GraphQL */ `
  mutation CreateProfile($input: CreateUserProfileInput!) {
    createUserProfile(input: $input) {
      user {
        id
        name
        email
        phone
        role
        addresses {
          id
        }
        createdAt
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

export const ADD_ADDRESS = /* GraphQL */ `
  mutation AddAddress($userId: ID!, $input: AddAddressInput!) {
    addAddress(userId: $userId, input: $input) {
      address {
        id
        label
        street
        commune
        notes
        isDefault
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

/** Creates a profile through the API and returns its id. */
export async function createProfile(url: string, name: string, email: string, phone?: string) {
  const res = await graphql(url, CREATE_PROFILE, { input: { name, email, phone } });
  if (res.errors || res.data!.createUserProfile.errors.length)
    throw new Error(`createUserProfile failed: ${JSON.stringify(res.errors ?? res.data!.createUserProfile.errors)}`);
  return res.data!.createUserProfile.user.id as string;
}

export const codes = (errors: { field: string[] | null; code: string }[]) =>
  errors.map((e) => `${(e.field ?? []).join(".")}:${e.code}`);
