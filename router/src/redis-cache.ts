import type { Redis } from "ioredis";
import type { KeyValueCache, KeyValueCacheSetOptions } from "@apollo/utils.keyvaluecache";

/**
 * Apollo's cache interface on Redis, so automatic persisted queries are shared by every router
 * replica and survive a restart. A Redis outage degrades to "query not found" (clients resend
 * the full query), never to a failed operation.
 */
export class RedisKeyValueCache implements KeyValueCache<string> {
  constructor(
    private readonly redis: Redis,
    private readonly defaultTtlSeconds: number,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key).catch(() => null)) ?? undefined;
  }

  async set(key: string, value: string, options?: KeyValueCacheSetOptions): Promise<void> {
    const ttl = options?.ttl ?? this.defaultTtlSeconds;
    await this.redis.set(key, value, "EX", Math.max(1, Math.ceil(ttl))).catch(() => undefined);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(key).catch(() => 0)) > 0;
  }
}
