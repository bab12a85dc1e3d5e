import { baseConfigShape, port, z } from "@fv/platform";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4008),
  MONGODB_URL: z.string().min(1),
  MONGODB_DATABASE: z.string().min(1).default("contact"),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
