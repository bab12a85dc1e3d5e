import { randomUUID } from "node:crypto";
import { CLOSED_PORT, createTestIssuer, listenForTest, testMongoDatabase, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig, type Role, type Service } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildWishlistService, createStore } from "../src/server.js";

/** Where nothing answers: the cart of a wishlist service whose test does not move products. */
export const CLOSED_CART_URL = `http://127.0.0.1:${CLOSED_PORT}/graphql`;

/**
 * A wishlist service on a MongoDB database of its own, listening on loopback, trusting a test
 * issuer's keys: `signIn` gives the headers of a user with that id and role. Its cart is `cartUrl`
 * (nothing by default).
 */
export async function startWishlist(options: { cartUrl?: string } = {}) {
  const database = testMongoDatabase("wishlist");
  const issuer = await createTestIssuer();
  const config = parseConfig(configShape, {
    ...testServiceEnv(issuer),
    MONGODB_URL: database.url,
    MONGODB_DATABASE: database.dbName,
    CART_URL: options.cartUrl ?? CLOSED_CART_URL,
    LOG_LEVEL: "silent",
  });
  // The unique indexes carry the rules under test: they exist before the first request.
  const store = createStore(config, createLogger("wishlist-test", "silent"));
  await store.connected;
  await store.ensureIndexes();
  const service: Service = await buildWishlistService(config, createLogger("wishlist", "silent"));
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
