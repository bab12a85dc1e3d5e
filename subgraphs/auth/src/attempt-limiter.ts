import type { Redis } from "ioredis";

export interface AttemptLimit {
  /** Attempts allowed per window. */
  limit: number;
  windowSeconds: number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * A fixed-window counter per key in Redis: the first attempt starts the window, INCR counts, EXPIRE
 * ends it. The client's key prefix keeps the keys in the service's space.
 */
export function createAttemptLimiter(redis: Redis, name: string, { limit, windowSeconds }: AttemptLimit) {
  return {
    async attempt(subject: string): Promise<AttemptVerdict> {
      const key = `${name}:${subject}`;
      // One MULTI so the counter never exists without an expiry (a crash between INCR and EXPIRE
      // would otherwise lock the subject out for good); NX keeps the window from sliding.
      const replies = await redis.multi().incr(key).expire(key, windowSeconds, "NX").ttl(key).exec();
      if (!replies) throw new Error(`attempt limiter ${name}: transaction aborted`);
      for (const [error] of replies) if (error) throw error;
      const count = Number(replies[0]![1]);
      const ttl = Number(replies[2]![1]);
      if (count <= limit) return { allowed: true };
      return { allowed: false, retryAfterSeconds: ttl > 0 ? ttl : windowSeconds };
    },
  };
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>;
