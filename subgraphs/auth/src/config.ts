import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4001),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  REDIS_URL: z.string().url(),
  /** Every key the service writes starts with it, so services (and tests) can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default("fv:auth:"),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
