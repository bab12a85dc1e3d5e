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
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
