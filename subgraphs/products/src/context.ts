import type { Database, RequestContext } from "@fv/platform";
import type { schema } from "./db/schema.js";
import type { Loaders } from "./loaders.js";
import type { ProductsMetrics } from "./metrics.js";

export type ProductsDb = Database<typeof schema>;

export interface Context extends RequestContext {
  db: ProductsDb;
  loaders: Loaders;
  imageBaseUrl: string;
  reservationTtlMs: number;
  metrics: ProductsMetrics;
}
