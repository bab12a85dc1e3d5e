import { randomUUID } from "node:crypto";
import { createTestDatabase, createTestIssuer, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Role, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildOrdersService, createStore, migrationsFolder } from "../src/server.js";

/** Request headers acting as someone: a signed-in user, or another service holding the credential. */
export type Headers = Record<string, string>;

/** Another service (payments…) calling as itself, as the platform recognises it. */
export const AS_SERVICE: Headers = { "x-service-name": "payments" };

/**
 * An orders service on a migrated database of its own, listening on loopback, trusting a test
 * issuer's keys: `signIn` gives the headers of a user with that id and role.
 */
export async function startOrders() {
  const database = await createTestDatabase("orders");
  const issuer = await createTestIssuer();
  const env = { ...testServiceEnv(issuer), LOG_LEVEL: "silent" };
  const config = parseConfig(configShape, { ...env, DATABASE_URL: database.url });
  const store = createStore(config, createLogger("orders-test", "silent"));
  await store.migrate(migrationsFolder);
  const service: Service = await buildOrdersService(config, createLogger("orders", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    store,
    service,
    env,
    signIn: async (userId: string = randomUUID(), role: Role = "customer"): Promise<Headers> => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    stop: async () => {
      await service.stop();
      await store.close();
      await database.drop();
      await issuer.stop();
    },
  };
}
