import type { Redis } from "ioredis";
import type { Database, RequestContext } from "@fv/platform";
import type { schema } from "./db/schema.js";
import type { AttemptLimiter } from "./attempt-limiter.js";
import type { Loaders } from "./loaders.js";
import type { IssueAccessToken } from "./tokens.js";

export type AuthDb = Database<typeof schema>;
/** A transaction: everything AuthDb does, inside one. */
export type AuthTx = Parameters<Parameters<AuthDb["transaction"]>[0]>[0];

export interface Limiters {
  register: AttemptLimiter;
  passwordFailures: AttemptLimiter;
  emailRequests: AttemptLimiter;
}

/** What the resolvers need beside the stores: settings fixed at start-up. */
export interface AuthSettings {
  issueAccessToken: IssueAccessToken;
  refreshTokenTtlDays: number;
  publicAppUrl: string;
}

export interface Context extends RequestContext {
  db: AuthDb;
  loaders: Loaders;
  limiters: Limiters;
  settings: AuthSettings;
  /** Where revoked access tokens are marked for the router (the events-prefixed connection). */
  revocations: Redis;
}
