import type { Database, RequestContext } from "@fv/platform";
import type { schema } from "./db/schema.js";
import type { Loaders } from "./loaders.js";

export type OrdersDb = Database<typeof schema>;

export interface Context extends RequestContext {
  db: OrdersDb;
  loaders: Loaders;
}
