import type { RequestContext } from "@fv/platform";
import type { Models } from "./db/contact-message.js";
import type { Loaders } from "./loaders.js";

export interface Context extends RequestContext {
  models: Models;
  loaders: Loaders;
}
