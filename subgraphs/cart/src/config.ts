import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4005),
  REDIS_URL: z.string().url(),
  REDIS_PREFIX: z.string().min(1).default("fv:cart:"),
  /** A guest cart untouched for this long expires (7 days). */
  GUEST_CART_TTL_SECONDS: z.coerce.number().int().min(1).default(604_800),
  /** A signed-in customer's cart untouched for this long expires (30 days). */
  CUSTOMER_CART_TTL_SECONDS: z.coerce.number().int().min(1).default(2_592_000),
  /** The products subgraph: the live price and availability of every cart line. */
  PRODUCTS_URL: z.url({ protocol: /^https?$/ }),
  /** How long a cart read waits for the catalogue before its price fields give up with an error. */
  PEER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /** How long an orders event whose handling failed waits before it is tried again. */
  EVENTS_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
