import { z } from "zod";

/** How services trust each other and verify callers: every service reads these. */
export const authConfigShape = {
  /** Shared by the router and the services; a subgraph refuses GraphQL requests without it. */
  SERVICE_CREDENTIAL: z.string().min(32, "must be at least 32 characters"),
  /**
   * During a rotation only: a second credential accepted from callers (never sent), so that pods
   * restarting one by one with the old or the new value never refuse each other.
   */
  SERVICE_CREDENTIAL_ALSO_ACCEPTED: z.string().min(32, "must be at least 32 characters").optional(),
  /** Where the auth subgraph publishes the public keys of access tokens. */
  AUTH_JWKS_URL: z.url().default("http://127.0.0.1:4001/.well-known/jwks.json"),
  AUTH_ISSUER: z.string().min(1).default("flores-victoria-auth"),
  AUTH_AUDIENCE: z.string().min(1).default("flores-victoria"),
  /** Prefix of the event stream keys: one value for every service of a deployment. */
  EVENTS_PREFIX: z.string().min(1).default("fv:"),
};

/** What a migration or seed script reads: its database, nothing else. */
export const databaseConfigShape = {
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  PGLITE_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
};

/** Variables every service reads. Services extend this with their own. */
export const baseConfigShape = {
  ...authConfigShape,
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
};

export const port = (defaultPort: number) => z.coerce.number().int().min(1).max(65_535).default(defaultPort);

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`invalid configuration: ${variable} ${detail}`);
  }
}

/**
 * Parses the environment against a schema. Throws a ConfigError naming the first variable
 * that is missing or wrong, so the caller can print it as one line.
 */
export function parseConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env) {
  // An empty string is an unset variable: a manifest with `value: ""` must not pass as configured.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = z.object(shape).safeParse(cleaned);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? "environment");
    const detail =
      issue.code === "invalid_type" && cleaned[variable] === undefined
        ? "is required but not set"
        : `is invalid: ${issue.message}`;
    throw new ConfigError(variable, detail);
  }
  return result.data;
}

/** parseConfig for a process entry point: a bad value stops the process with one clear line. */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env) {
  try {
    return parseConfig(shape, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

export { z };
