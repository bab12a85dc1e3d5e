import type { RequestContext } from "@fv/platform";
import type { Models } from "./db/review.js";
import type { Loaders } from "./loaders.js";
import type { RatingPublisher } from "./ratings.js";

export interface Context extends RequestContext {
  models: Models;
  loaders: Loaders;
  ratings: RatingPublisher;
}
