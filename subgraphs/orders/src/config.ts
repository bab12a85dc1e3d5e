import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4004),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
