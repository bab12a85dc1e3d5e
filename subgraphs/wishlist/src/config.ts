import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4006),
  MONGODB_URL: z.string().min(1),
  MONGODB_DATABASE: z.string().min(1).default("wishlist"),
  /** The cart subgraph: moveWishlistItemToCart adds the product to the customer's cart there. */
  CART_URL: z.url({ protocol: /^https?$/ }),
  /** How long a move waits for the cart before it gives up (the product then stays in the wishlist). */
  PEER_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
