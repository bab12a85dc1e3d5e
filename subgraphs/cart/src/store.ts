import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { MAX_LINE_QUANTITY } from "./cart-rules.js";

/*
 * Redis key layout. Every key sits under the service's REDIS_PREFIX (ioredis `keyPrefix`, e.g. "fv:cart:"):
 *
 *   {<cartId>}:meta    hash   createdAt, updatedAt (epoch milliseconds), and userId: the owner, absent for
 *                             a guest cart. The cart exists while this key does.
 *   {<cartId>}:lines   hash   productId → quantity. Absent while the cart is empty (Redis drops empty hashes).
 *
 * Both keys carry the same TTL (GUEST_CART_TTL_SECONDS, or CUSTOMER_CART_TTL_SECONDS for an owned cart),
 * set again by every write in the same script or MULTI, so a cart expires whole after that long
 * without a change. The braces are a Redis Cluster hash tag: both keys of a cart hash to one slot, as
 * a script touching both requires. No prices are stored: they always come live from the products subgraph.
 *
 * A customer has one cart, under an id derived from their user id (customerCartId), so finding it
 * needs no index to keep in step. That id can be computed by anyone who knows the user id, which is
 * why every read and write checks the owner: to anyone else an owned cart does not exist.
 */

/** The `Cart` GraphQL type's parent. */
export interface CartRecord {
  id: string;
  /** The signed-in customer who owns the cart; null for a guest cart, which its id alone opens. */
  ownerId: string | null;
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
/** The one cart of a signed-in customer: 128 bits of a hash of their id, shaped like any cart id. */
export const customerCartId = (userId: string) =>
  createHash("sha256").update(`customer-cart:${userId}`).digest("base64url").slice(0, 22);

// Every script below refuses a cart owned by someone other than ARGV's caller ('' for nobody) as if
// it did not exist, and keeps an owned cart for the customer TTL, a guest cart for the guest TTL.
const OWNER_CHECK = `
local owner = redis.call('HGET', KEYS[1], 'userId')
if owner and owner ~= ARGV[1] then return {0} end
local ttl = owner and ARGV[3] or ARGV[2]
`;

// KEYS: meta, lines. ARGV: userId, now (ms), ttl (s). Replies {meta, lines} of the existing or new cart.
const OPEN_CUSTOMER_CART = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'createdAt', ARGV[2], 'updatedAt', ARGV[2], 'userId', ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
return {redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
`;

// KEYS: meta, lines. ARGV: caller, guest ttl (s), customer ttl (s), productId, quantity, max line quantity,
// now (ms). Replies {0} (no cart), {-1, current quantity} (over the limit: nothing written) or {1, meta, lines}.
const ADD_TO_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
${OWNER_CHECK}
local current = tonumber(redis.call('HGET', KEYS[2], ARGV[4]) or '0')
local wanted = current + tonumber(ARGV[5])
if wanted > tonumber(ARGV[6]) then return {-1, current} end
redis.call('HSET', KEYS[2], ARGV[4], wanted)
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[7])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
`;

// KEYS: meta, lines. ARGV: caller, guest ttl (s), customer ttl (s), productId, now (ms).
// Replies {0} (no cart) or {1, meta, lines}.
const REMOVE_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
${OWNER_CHECK}
redis.call('HDEL', KEYS[2], ARGV[4])
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[5])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2])}
`;

type ScriptReply = [0] | [-1, number] | [1, string[], string[]];

interface CartCommands {
  cartOpenCustomerCart(meta: string, lines: string, ...args: (string | number)[]): Promise<[string[], string[]]>;
  cartAddToLine(meta: string, lines: string, ...args: (string | number)[]): Promise<ScriptReply>;
  cartRemoveLine(meta: string, lines: string, ...args: (string | number)[]): Promise<ScriptReply>;
}

/** The TTLs of carts, by whether they have an owner. */
export interface CartLifetimes {
  guestSeconds: number;
  customerSeconds: number;
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
    ownerId: meta.userId || null,
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
    private readonly lifetimes: CartLifetimes,
  ) {
    redis.defineCommand("cartOpenCustomerCart", { numberOfKeys: 2, lua: OPEN_CUSTOMER_CART });
    redis.defineCommand("cartAddToLine", { numberOfKeys: 2, lua: ADD_TO_LINE });
    redis.defineCommand("cartRemoveLine", { numberOfKeys: 2, lua: REMOVE_LINE });
    this.commands = redis as unknown as CartCommands;
  }

  /** A new guest cart: whoever holds its id may use it. */
  async create(): Promise<CartRecord> {
    const id = newCartId();
    const now = Date.now();
    await this.redis
      .multi()
      .hset(metaKey(id), { createdAt: now, updatedAt: now })
      .expire(metaKey(id), this.lifetimes.guestSeconds)
      .exec()
      .then(failOnError);
    return { id, ownerId: null, lines: [], createdAt: new Date(now), updatedAt: new Date(now) };
  }

  /** The customer's cart as it is, or a new empty one when they have none (atomically: never two). */
  async openCustomerCart(userId: string): Promise<CartRecord> {
    const id = customerCartId(userId);
    const [meta, lines] = await this.commands.cartOpenCustomerCart(
      metaKey(id),
      linesKey(id),
      userId,
      Date.now(),
      this.lifetimes.customerSeconds,
    );
    const cart = fromScript(id, meta, lines);
    if (!cart) throw new Error(`cart ${id} has no dates`);
    return cart;
  }

  /**
   * Many carts in one round-trip (a pipeline); null for an unknown, expired or malformed id. Owned
   * carts come back whoever asks: the resolvers decide who may see them.
   */
  async read(ids: readonly string[]): Promise<(CartRecord | null)[]> {
    const valid = [...new Set(ids.filter(isCartId))];
    if (valid.length === 0) return ids.map(() => null);
    const pipeline = this.redis.pipeline();
    for (const id of valid) pipeline.hgetall(metaKey(id)).hgetall(linesKey(id));
    const replies = failOnError(await pipeline.exec()) as Record<string, string>[];
    const found = new Map(valid.map((id, i) => [id, toRecord(id, replies[2 * i]!, replies[2 * i + 1]!)]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** The arguments every write script starts with: who asks ('' for no one signed in), then the TTLs. */
  private writeArgs(callerId: string | null) {
    return [callerId ?? "", this.lifetimes.guestSeconds, this.lifetimes.customerSeconds] as const;
  }

  /**
   * Adds units to a line, atomically refusing to take it past the line limit. A cart owned by
   * someone other than `callerId` is not found.
   */
  async addToLine(cartId: string, productId: string, quantity: number, callerId: string | null): Promise<AddResult> {
    if (!isCartId(cartId)) return { status: "cart_not_found" };
    const reply = await this.commands.cartAddToLine(
      metaKey(cartId),
      linesKey(cartId),
      ...this.writeArgs(callerId),
      productId,
      quantity,
      MAX_LINE_QUANTITY,
      Date.now(),
    );
    if (reply[0] === -1) return { status: "over_limit", current: reply[1] };
    const cart = reply[0] === 1 ? fromScript(cartId, reply[1], reply[2]) : null;
    return cart ? { status: "added", cart } : { status: "cart_not_found" };
  }

  /**
   * Removes a line (nothing to do if the cart has none for that product); null when there is no
   * cart, or it is owned by someone other than `callerId`.
   */
  async removeLine(cartId: string, productId: string, callerId: string | null): Promise<CartRecord | null> {
    if (!isCartId(cartId)) return null;
    const reply = await this.commands.cartRemoveLine(
      metaKey(cartId),
      linesKey(cartId),
      ...this.writeArgs(callerId),
      productId,
      Date.now(),
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
