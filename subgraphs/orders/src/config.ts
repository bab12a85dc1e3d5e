import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4004),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  /** Where the outbox relay publishes the orders' events. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  /** The products subgraph: prices at checkout, stock reservations. */
  PRODUCTS_URL: z.url({ protocol: /^https?$/ }),
  /** The cart subgraph: the lines of the cart being checked out. */
  CART_URL: z.url({ protocol: /^https?$/ }),
  /** How long a call to products or cart may take before checkout gives up (and releases what it reserved). */
  PEER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** The payment provider. Only the sandbox exists here: the real providers' networks are out of reach. */
  PAYMENT_PROVIDER: z.enum(["sandbox"]).default("sandbox"),
  /** Shared with the provider: webhooks are signed with it (HMAC-SHA256). A secret: from a Secret in a cluster. */
  PAYMENT_WEBHOOK_SECRET: z.string().min(32, "must be at least 32 characters"),
  /** Where a buyer's browser reaches this service's sandbox payment page (the redirect URL's base). */
  PAYMENT_SANDBOX_PUBLIC_URL: z.url().default("http://localhost:4004/payments/sandbox"),
  /**
   * How long a buyer has to pay. Never longer than the stock reservation (15 minutes in products):
   * the order keeps the shorter of the two, less a margin.
   */
  PAYMENT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3_600).default(900),
  /** How often unpaid orders past their window are cancelled, and pending reservation calls retried. */
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(50).max(600_000).default(5_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
