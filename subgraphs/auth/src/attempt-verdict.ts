export interface AttemptLimit {
  /** Attempts allowed per window. */
  limit: number;
  windowSeconds: number;
}

/** One subject's counter as Redis holds it after counting this attempt. */
export interface AttemptWindow {
  count: number;
  /** Seconds until the window ends (Redis TTL: negative when the key has none). */
  ttl: number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Allowed while every subject is within its limit; otherwise refused until the last of the
 * exceeded windows ends, so retrying at that time is not refused again.
 */
export function attemptVerdict(windows: AttemptWindow[], { limit, windowSeconds }: AttemptLimit): AttemptVerdict {
  const exceeded = windows.filter((window) => window.count > limit);
  if (exceeded.length === 0) return { allowed: true };
  const retryAfterSeconds = Math.max(...exceeded.map((window) => (window.ttl > 0 ? window.ttl : windowSeconds)));
  return { allowed: false, retryAfterSeconds };
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** "try again in 900 seconds (15 minutes)": the seconds for programs, the minutes for people. */
export const retryAfterText = (seconds: number) =>
  `try again in ${plural(seconds, "second")} (${plural(Math.ceil(seconds / 60), "minute")})`;
