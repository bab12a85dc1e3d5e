import type { Database, RequestContext } from "@fv/platform";
import type { schema } from "./db/schema.js";
import type { AttemptLimiter } from "./attempt-limiter.js";
import type { Loaders } from "./loaders.js";

export type AuthDb = Database<typeof schema>;

export interface Context extends RequestContext {
  db: AuthDb;
  loaders: Loaders;
  registerLimiter: AttemptLimiter;
}
