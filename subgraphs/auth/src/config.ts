import { baseConfigShape, port, z } from "@fv/platform";
import { parseSigningKeys } from "./signing-keys.js";

export const configShape = {
  ...baseConfigShape,
  PORT: port(4001),
  /** Without it the service runs on an embedded PGlite database (development only). */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  REDIS_URL: z.string().url(),
  /** Every key the service writes starts with it, so services (and tests) can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default("fv:auth:"),
  /**
   * Private Ed25519 JWKs as a JSON array (a Secret). The first signs access tokens; all are
   * published. `pnpm --filter @fv/auth exec tsx scripts/generate-signing-key.ts` makes one.
   */
  AUTH_SIGNING_KEYS: z.string().transform((raw, ctx) => {
    try {
      return parseSigningKeys(raw);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: (error as Error).message });
      return z.NEVER;
    }
  }),
  /** A refresh token (and so a session left unused) lasts this long; every refresh starts it again. */
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** The web app, for the links in password-reset and verification emails. */
  PUBLIC_APP_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;
