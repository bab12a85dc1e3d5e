import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4002),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  /** Where the event streams are: registrations arrive from auth, role changes leave for everyone. */
  REDIS_URL: z.string().url(),
  /** How long an event whose handling failed waits before it is tried again. */
  EVENTS_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
