import type { RequestContext } from "@fv/platform";

export type RouterContext = RequestContext;
