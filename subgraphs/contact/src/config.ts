import { baseConfigShape, port, z } from "@fv/platform";

/** How the SMTP connection is secured: TLS from the first byte, STARTTLS required, or none (local relays only). */
export const SMTP_TLS_MODES = ["implicit", "starttls", "none"] as const;

export const configShape = {
  ...baseConfigShape,
  PORT: port(4008),
  MONGODB_URL: z.string().min(1),
  MONGODB_DATABASE: z.string().min(1).default("contact"),
  /** The per-address submission limit lives here. */
  REDIS_URL: z.string().url(),
  REDIS_PREFIX: z.string().min(1).default("fv:contact:"),
  /** Messages one client address may send per window. */
  CONTACT_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(5),
  CONTACT_RATE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600),
  // Mail: every setting comes from the environment (a Secret in a cluster), none has a default.
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: z.coerce.number().int().min(1).max(65_535),
  SMTP_TLS: z.enum(SMTP_TLS_MODES),
  /** Optional together: a relay that trusts the network needs neither. */
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** The sender of every email, e.g. `"Flores Victoria" <hola@floresvictoria.cl>`. */
  MAIL_FROM: z.string().min(3),
  /** Where contact messages are delivered. */
  SHOP_INBOX: z.string().min(3),
  /** First retry delay of a failed delivery; each next one doubles, up to the maximum. */
  MAIL_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
  MAIL_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
  /** Attempts after which an email still failing is given up (FAILED, logged, visible to staff): ~2 days by default. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1_000).default(50),
  /** How often the sender looks for due deliveries. */
  MAIL_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(5_000),
  /** How long an event whose handling failed waits before it is tried again. */
  EVENTS_RETRY_AFTER_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
};

export type Config = z.infer<z.ZodObject<typeof configShape>>;

/** SMTP_USER and SMTP_PASSWORD come as a pair or not at all. */
export function smtpAuth(config: Pick<Config, "SMTP_USER" | "SMTP_PASSWORD">) {
  if ((config.SMTP_USER === undefined) !== (config.SMTP_PASSWORD === undefined))
    throw new Error("invalid configuration: SMTP_USER and SMTP_PASSWORD must be set together");
  return config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASSWORD! } : undefined;
}
