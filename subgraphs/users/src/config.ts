import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4002),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  /** Where the event streams are: registrations arrive from auth, role changes leave for everyone. */
  REDIS_URL: z.string().url(),
  /**
   * Prepended to the stream names (events:auth, events:users). Every service of one deployment
   * must use the same value, so it is not a per-service key prefix.
   */
  EVENTS_PREFIX: z.string().min(1).default("fv:"),
  /** How long an event whose handling failed waits before it is tried again. */
  EVENTS_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
