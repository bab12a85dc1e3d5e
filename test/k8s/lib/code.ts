import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { z } from "@fv/platform";
import { router, subgraphs, type ServiceSpec, type StoreKind } from "../../../scripts/services.js";
import { configShape as routerConfig } from "../../../router/src/config.js";
import { configShape as authConfig } from "../../../subgraphs/auth/src/config.js";
import { configShape as usersConfig } from "../../../subgraphs/users/src/config.js";
import { configShape as productsConfig } from "../../../subgraphs/products/src/config.js";
import { configShape as ordersConfig } from "../../../subgraphs/orders/src/config.js";
import { configShape as cartConfig } from "../../../subgraphs/cart/src/config.js";
import { configShape as wishlistConfig } from "../../../subgraphs/wishlist/src/config.js";
import { configShape as reviewsConfig } from "../../../subgraphs/reviews/src/config.js";
import { configShape as contactConfig } from "../../../subgraphs/contact/src/config.js";
import { repoRoot } from "./manifests.js";

/** The nine services as the code knows them (scripts/services.ts): name, package directory, port, stores. */
export const services: ServiceSpec[] = [router, ...subgraphs];
export const serviceNames = services.map((s) => s.name);
export const serviceByName = (name: string) => services.find((s) => s.name === name);

export type ConfigShape = Record<string, z.ZodType>;

/** The environment each service reads: the zod shape its src/config.ts validates at start-up. */
export const configShapes: Record<string, ConfigShape> = {
  router: routerConfig,
  auth: authConfig,
  users: usersConfig,
  products: productsConfig,
  orders: ordersConfig,
  cart: cartConfig,
  wishlist: wishlistConfig,
  reviews: reviewsConfig,
  contact: contactConfig,
};

/** Variables a service cannot start without (no default, not optional). */
export const requiredVariables = (shape: ConfigShape) =>
  Object.keys(shape).filter((key) => !shape[key]!.safeParse(undefined).success);

/** What a variable is when the environment leaves it unset (its default). */
export const defaultOf = (shape: ConfigShape, key: string): unknown => shape[key]?.safeParse(undefined).data;

/** The variable through which each kind of store is reached (the services' config.ts). */
export const storeVariable: Record<StoreKind, string> = {
  postgres: "DATABASE_URL",
  redis: "REDIS_URL",
  mongodb: "MONGODB_URL",
};

/** The services that own data in each kind of store. */
export const storeOwners = (kind: StoreKind) => services.filter((s) => s.stores.includes(kind)).map((s) => s.name);

export const packageDir = (name: string) => join(repoRoot, serviceByName(name)!.dir);

export function packageJson(name: string): {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(join(packageDir(name), "package.json"), "utf8"));
}

export const fileInPackage = (name: string, path: string) => existsSync(join(packageDir(name), path));

export type { StoreKind };
