import type { Redis } from "ioredis";
import type { RequestContext } from "@fv/platform";
import type { Models } from "./db/contact-message.js";
import type { Loaders } from "./loaders.js";
import type { ContactMetrics } from "./metrics.js";

export interface Context extends RequestContext {
  models: Models;
  loaders: Loaders;
  /** Keys under the service's REDIS_PREFIX. */
  redis: Redis;
  /** Messages one client address may send per window. */
  submissionLimit: { limit: number; windowSeconds: number };
  metrics: ContactMetrics;
}
