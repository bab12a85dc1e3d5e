import type { Database, RequestContext } from "@fv/platform";
import type { schema } from "./db/schema.js";
import type { Loaders } from "./loaders.js";

export type UsersDb = Database<typeof schema>;

export interface Context extends RequestContext {
  db: UsersDb;
  loaders: Loaders;
  /** Full stream keys (with the deployment's EVENTS_PREFIX) this service publishes to. */
  streams: { users: string };
}
