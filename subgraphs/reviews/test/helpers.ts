import { randomUUID } from "node:crypto";
import { createTestIssuer, listenForTest, testMongoDatabase, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Role, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildReviewsService, createStore } from "../src/server.js";

/**
 * A reviews service on a MongoDB database of its own, listening on loopback, trusting a test
 * issuer's keys: `signIn` gives the headers of a user with that id and role.
 */
export async function startReviews() {
  const database = testMongoDatabase("reviews");
  const issuer = await createTestIssuer();
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
    LOG_LEVEL: "silent",
  });
  // The unique indexes carry the rules under test: they exist before the first request.
  const store = createStore(config, createLogger("reviews-test", "silent"));
  await store.connected;
  await store.ensureIndexes();
  const service: Service = await buildReviewsService(config, createLogger("reviews", "silent"));
  const url = await listenForTest(service);
  return {
    url,
    store,
    service,
    signIn: async (userId: string = randomUUID(), role: Role = "customer") => ({
      authorization: `Bearer ${await issuer.sign({ userId, role })}`,
    }),
    stop: async () => {
      await service.stop();
      await issuer.stop();
      await store.connection.dropDatabase();
      await store.close();
    },
  };
}
