import type { Redis } from "ioredis";
import { attemptVerdict, type AttemptLimit, type AttemptVerdict } from "./attempt-verdict.js";

// Gives an attempt back without ever creating a key: a DECR on a key that expired in between
// would leave a counter with no expiry.
const REFUND = `if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end return 0`;

export type LimitedAttempt = AttemptVerdict & {
  /** Takes the attempt back (it succeeded): only failures then count. */
  refund(): Promise<void>;
};

/**
 * Fixed-window counters per subject in Redis: the first attempt starts a window, INCR counts,
 * EXPIRE ends it. The client's key prefix keeps the keys in the service's space. Counting comes
 * before the work it guards, so concurrent attempts cannot all slip under the limit.
 */
export function createAttemptLimiter(redis: Redis, name: string, limit: AttemptLimit) {
  return {
    /** Counts one attempt against every subject; refused when any of them is over the limit. */
    async attempt(...subjects: string[]): Promise<LimitedAttempt> {
      const keys = subjects.map((subject) => `${name}:${subject}`);
      // One MULTI so a counter never exists without an expiry (a crash between INCR and EXPIRE
      // would otherwise lock the subject out for good); NX keeps the window from sliding.
      const multi = redis.multi();
      for (const key of keys) multi.incr(key).expire(key, limit.windowSeconds, "NX").ttl(key);
      const replies = await multi.exec();
      if (!replies) throw new Error(`attempt limiter ${name}: transaction aborted`);
      for (const [error] of replies) if (error) throw error;
      const windows = keys.map((_key, i) => ({
        count: Number(replies[i * 3]![1]),
        ttl: Number(replies[i * 3 + 2]![1]),
      }));
      return {
        ...attemptVerdict(windows, limit),
        refund: async () => {
          for (const key of keys) await redis.eval(REFUND, 1, key);
        },
      };
    },
  };
}

export type AttemptLimiter = ReturnType<typeof createAttemptLimiter>;
