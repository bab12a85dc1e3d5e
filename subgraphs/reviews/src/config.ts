import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4007),
  MONGODB_URL: z.string().min(1),
  MONGODB_DATABASE: z.string().min(1).default("reviews"),
  /** Where the event streams are: delivered orders arrive from orders (verified purchases). */
  REDIS_URL: z.string().url(),
  /** How long an event whose handling failed waits before it is tried again. */
  EVENTS_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
