import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { MAX_LINE_QUANTITY } from "./cart-rules.js";

/*
 * Redis key layout. Every key sits under the service's REDIS_PREFIX (ioredis `keyPrefix`, e.g. "fv:cart:"):
 *
 *   {<cartId>}:meta    hash   createdAt, updatedAt (epoch milliseconds). The cart exists while this key does.
 *   {<cartId>}:lines   hash   productId → quantity. Absent while the cart is empty (Redis drops empty hashes).
 *
 * Both keys carry the same TTL (GUEST_CART_TTL_SECONDS), set again by every write in the same script
 * or MULTI, so a cart expires whole after that long without a change. The braces are a Redis Cluster
 * hash tag: both keys of a cart hash to one slot, as a script touching both requires. No prices are
 * stored: they always come live from the products subgraph.
 */

/** The `Cart` GraphQL type's parent. */
export interface CartRecord {
  id: string;
  lines: CartLineRecord[];
  createdAt: Date;
  updatedAt: Date;
}

/** The `CartLine` GraphQL type's parent. */
export interface CartLineRecord {
  productId: string;
  quantity: number;
}

/** The `Product` GraphQL type's parent: a reference the products subgraph resolves. */
export interface ProductReference {
  id: string;
}

const metaKey = (cartId: string) => `{${cartId}}:meta`;
const linesKey = (cartId: string) => `{${cartId}}:lines`;

/** 128 random bits, base64url: unguessable, and safe inside a key. */
export const newCartId = () => randomBytes(16).toString("base64url");
/** Anything else cannot be a cart this service made, and must not reach a key name. */
export const isCartId = (id: string) => /^[A-Za-z0-9_-]{22}$/.test(id);

// KEYS: meta, lines. ARGV: productId, quantity, max line quantity, now (ms), ttl (s).
// Replies {0} (no cart), {-1, current quantity} (over the limit: nothing written) or {1, meta, lines}.
const ADD_TO_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local wanted = current + tonumber(ARGV[2])
if wanted > tonumber(ARGV[3]) then return {-1, current} end
redis.call('HSET', KEYS[2], ARGV[1], wanted)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('EXPIRE', KEYS[2], ARGV[5])
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
`;

// KEYS: meta, lines. ARGV: productId, now (ms), ttl (s). Replies {0} (no cart) or {1, meta, lines}.
const REMOVE_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
`;

type ScriptReply = [0] | [-1, number] | [1, string[], string[]];

interface CartCommands {
  cartAddToLine(meta: string, lines: string, ...args: (string | number)[]): Promise<ScriptReply>;
  cartRemoveLine(meta: string, lines: string, ...args: (string | number)[]): Promise<ScriptReply>;
}

const pairs = (flat: string[]) => {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
};

function toRecord(id: string, meta: Record<string, string>, lines: Record<string, string>): CartRecord | null {
  if (!meta.createdAt || !meta.updatedAt) return null;
  return {
    id,
    // Sorted by product id: hash order is not stable, and a line must not move when its quantity changes.
    lines: Object.entries(lines)
      .map(([productId, quantity]) => ({ productId, quantity: Number(quantity) }))
      .sort((a, b) => (a.productId < b.productId ? -1 : a.productId > b.productId ? 1 : 0)),
    createdAt: new Date(Number(meta.createdAt)),
    updatedAt: new Date(Number(meta.updatedAt)),
  };
}

const fromScript = (id: string, meta: string[], lines: string[]) =>
  toRecord(id, Object.fromEntries(pairs(meta)), Object.fromEntries(pairs(lines)));

export type AddResult =
  { status: "added"; cart: CartRecord } | { status: "cart_not_found" } | { status: "over_limit"; current: number };

export class CartStore {
  private readonly commands: CartCommands;

  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds: number,
  ) {
    redis.defineCommand("cartAddToLine", { numberOfKeys: 2, lua: ADD_TO_LINE });
    redis.defineCommand("cartRemoveLine", { numberOfKeys: 2, lua: REMOVE_LINE });
    this.commands = redis as unknown as CartCommands;
  }

  async create(): Promise<CartRecord> {
    const id = newCartId();
    const now = Date.now();
    await this.redis
      .multi()
      .hset(metaKey(id), { createdAt: now, updatedAt: now })
      .expire(metaKey(id), this.ttlSeconds)
      .exec()
      .then(failOnError);
    return { id, lines: [], createdAt: new Date(now), updatedAt: new Date(now) };
  }

  /** Many carts in one round-trip (a pipeline); null for an unknown, expired or malformed id. */
  async read(ids: readonly string[]): Promise<(CartRecord | null)[]> {
    const valid = [...new Set(ids.filter(isCartId))];
    if (valid.length === 0) return ids.map(() => null);
    const pipeline = this.redis.pipeline();
    for (const id of valid) pipeline.hgetall(metaKey(id)).hgetall(linesKey(id));
    const replies = failOnError(await pipeline.exec()) as Record<string, string>[];
    const found = new Map(valid.map((id, i) => [id, toRecord(id, replies[2 * i]!, replies[2 * i + 1]!)]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Adds units to a line, atomically refusing to take it past the line limit. */
  async addToLine(cartId: string, productId: string, quantity: number): Promise<AddResult> {
    if (!isCartId(cartId)) return { status: "cart_not_found" };
    const reply = await this.commands.cartAddToLine(
      metaKey(cartId),
      linesKey(cartId),
      productId,
      quantity,
      MAX_LINE_QUANTITY,
      Date.now(),
      this.ttlSeconds,
    );
    if (reply[0] === -1) return { status: "over_limit", current: reply[1] };
    const cart = reply[0] === 1 ? fromScript(cartId, reply[1], reply[2]) : null;
    return cart ? { status: "added", cart } : { status: "cart_not_found" };
  }

  /** Removes a line (nothing to do if the cart has none for that product); null when there is no cart. */
  async removeLine(cartId: string, productId: string): Promise<CartRecord | null> {
    if (!isCartId(cartId)) return null;
    const reply = await this.commands.cartRemoveLine(
      metaKey(cartId),
      linesKey(cartId),
      productId,
      Date.now(),
      this.ttlSeconds,
    );
    return reply[0] === 1 ? fromScript(cartId, reply[1], reply[2]) : null;
  }
}

/** A pipeline or MULTI reports each command's error in its reply instead of rejecting. */
function failOnError(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction was aborted");
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

export const cartKeys = { metaKey, linesKey };
