import type { Redis } from "ioredis";

export interface RateLimitResult {
  allowed: boolean;
  /** Seconds until the window ends, when refused. */
  retryAfterSeconds: number;
}

/**
 * Counts one submission by a client address in a fixed window. One MULTI: the window starts with
 * the first submission, and concurrent submissions each get their own count.
 */
export async function takeSubmission(
  redis: Redis,
  address: string,
  { limit, windowSeconds }: { limit: number; windowSeconds: number },
): Promise<RateLimitResult> {
  const key = `submissions:${address}`;
  const results = await redis.multi().set(key, "0", "EX", windowSeconds, "NX").incr(key).ttl(key).exec();
  if (!results) throw new Error("rate limit transaction aborted");
  for (const [error] of results) if (error) throw error;
  const count = Number(results[1]![1]);
  const ttl = Number(results[2]![1]);
  return { allowed: count <= limit, retryAfterSeconds: ttl > 0 ? ttl : windowSeconds };
}
