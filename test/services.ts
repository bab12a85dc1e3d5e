import { createLogger, parseConfig, type Service } from "@fv/platform";
import { testServiceEnv, testStores, uniqueName } from "@fv/platform/testing";
import * as auth from "../subgraphs/auth/src/server.js";
import * as users from "../subgraphs/users/src/server.js";
import * as products from "../subgraphs/products/src/server.js";
import * as orders from "../subgraphs/orders/src/server.js";
import * as cart from "../subgraphs/cart/src/server.js";
import * as wishlist from "../subgraphs/wishlist/src/server.js";
import * as reviews from "../subgraphs/reviews/src/server.js";
import * as contact from "../subgraphs/contact/src/server.js";
import * as routerServer from "../router/src/server.js";
import { configShape as authConfig } from "../subgraphs/auth/src/config.js";
import { configShape as usersConfig } from "../subgraphs/users/src/config.js";
import { configShape as productsConfig } from "../subgraphs/products/src/config.js";
import { configShape as ordersConfig } from "../subgraphs/orders/src/config.js";
import { configShape as cartConfig } from "../subgraphs/cart/src/config.js";
import { configShape as wishlistConfig } from "../subgraphs/wishlist/src/config.js";
import { configShape as reviewsConfig } from "../subgraphs/reviews/src/config.js";
import { configShape as contactConfig } from "../subgraphs/contact/src/config.js";
import { configShape as routerConfig } from "../router/src/config.js";
import { subgraphs, type StoreKind } from "../scripts/services.js";
import { newSigningKey } from "../scripts/signing-keys.js";

/** Store locations for the services under test: reachable ones, or a closed port for each. */
export interface StoreEnv {
  postgresUrl: string;
  redisUrl: string;
  mongoUrl: string;
  mongoDatabase: string;
  redisPrefix: string;
}

export const closedStores: StoreEnv = {
  postgresUrl: "postgres://postgres@127.0.0.1:1/closed",
  redisUrl: "redis://127.0.0.1:1",
  mongoUrl: "mongodb://127.0.0.1:1/",
  mongoDatabase: "closed",
  redisPrefix: "closed:",
};

const silent = (name: string) => createLogger(name, "silent");
const authSigningKeys = JSON.stringify([await newSigningKey()]);
const closedMail = {
  SMTP_HOST: "127.0.0.1",
  SMTP_PORT: "1",
  SMTP_TLS: "none",
  MAIL_FROM: "Flores Victoria <tienda@example.cl>",
  SHOP_INBOX: "contacto@example.cl",
};

/** Peers a subgraph calls are not running here: their URLs point at a closed port unless a test says otherwise. */
const closedPeers = (peers: string[] = []) =>
  Object.fromEntries(peers.map((peer) => [`${peer.toUpperCase()}_URL`, "http://127.0.0.1:1/graphql"]));

function envFor(stores: StoreKind[], env: StoreEnv, peers?: string[]): Record<string, string> {
  return {
    ...closedPeers(peers),
    LOG_LEVEL: "silent",
    ...testServiceEnv(),
    ...(stores.includes("postgres") ? { DATABASE_URL: env.postgresUrl } : {}),
    ...(stores.includes("redis")
      ? { REDIS_URL: env.redisUrl, REDIS_PREFIX: `${env.redisPrefix}${uniqueName("p")}:` }
      : {}),
    ...(stores.includes("mongodb") ? { MONGODB_URL: env.mongoUrl, MONGODB_DATABASE: env.mongoDatabase } : {}),
  };
}

const builders: Record<string, (env: Record<string, string>) => Promise<Service>> = {
  auth: (env) =>
    auth.buildAuthService(parseConfig(authConfig, { AUTH_SIGNING_KEYS: authSigningKeys, ...env }), silent("auth")),
  users: (env) => users.buildUsersService(parseConfig(usersConfig, env), silent("users")),
  products: (env) => products.buildProductsService(parseConfig(productsConfig, env), silent("products")),
  orders: (env) =>
    orders.buildOrdersService(
      parseConfig(ordersConfig, { PAYMENT_WEBHOOK_SECRET: "test-webhook-secret-".padEnd(40, "x"), ...env }),
      silent("orders"),
    ),
  cart: (env) => cart.buildCartService(parseConfig(cartConfig, env), silent("cart")),
  wishlist: (env) => wishlist.buildWishlistService(parseConfig(wishlistConfig, env), silent("wishlist")),
  reviews: (env) => reviews.buildReviewsService(parseConfig(reviewsConfig, env), silent("reviews")),
  contact: (env) =>
    contact.buildContactService(
      // Mail goes nowhere here (a closed port): the sender keeps retrying, which these tests do not watch.
      parseConfig(contactConfig, { ...closedMail, ...env }),
      silent("contact"),
    ),
};

/** Builds subgraph `name` (in-process, not listening) against the given stores. */
export const buildSubgraph = (name: string, env: StoreEnv, extra: Record<string, string> = {}) => {
  const spec = subgraphs.find((s) => s.name === name)!;
  return builders[name]!({ ...envFor(spec.stores, env, spec.peers), ...extra });
};

/** Builds the router with every subgraph URL pointing where `urlOf` says. */
export const buildRouter = (urlOf: (name: string) => string, env: Record<string, string> = {}) =>
  routerServer.buildRouter(
    parseConfig(routerConfig, {
      LOG_LEVEL: "silent",
      ...testServiceEnv(),
      REDIS_URL: testStores.redisUrl,
      REDIS_PREFIX: `${uniqueName("test_router")}:`,
      ...env,
      ...Object.fromEntries(subgraphs.map(({ name }) => [`SUBGRAPH_${name.toUpperCase()}_URL`, urlOf(name)])),
    }),
    silent("router"),
  );
