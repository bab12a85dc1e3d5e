import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4003),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  /** Where the event streams are: product ratings arrive from the reviews subgraph (sort by rating). */
  REDIS_URL: z.string().url(),
  /** How long an event whose handling failed waits before it is tried again. */
  EVENTS_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Product image paths are stored relative to this, so the CDN can change without touching rows. */
  IMAGE_BASE_URL: z.url().default("https://cdn.floresvictoria.cl/productos"),
  /** How long checkout may hold stock before it comes back on its own. */
  RESERVATION_TTL_MINUTES: z.coerce.number().int().positive().default(15),
  /** How often expired reservations give their stock back (reserving also does it first). */
  RESERVATION_SWEEP_SECONDS: z.coerce.number().int().positive().default(60),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
