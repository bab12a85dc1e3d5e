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
 * set again by every write in the same script or MULTI, and by a read through `cart` or `myCart` (the
 * owner looking at their cart is activity too), so a cart expires whole after that long without either.
 * The braces are a Redis Cluster hash tag: every key of a cart hashes to one slot, as a script touching
 * several requires. No prices are stored: they always come live from the products subgraph.
 *
 * A customer has one cart, under an id derived from their user id (customerCartId), so finding it
 * needs no index to keep in step. That id can be computed by anyone who knows the user id, which is
 * why every read and write checks the owner: to anyone else an owned cart does not exist.
 *
 * Keys beside a cart, each with a TTL of its own:
 *
 *   {<guestId>}:merged-into         string  the customer whose cart a guest cart was merged into
 *   {<guestId>}:merged-lines        hash    the lines the merge took from it (to finish or repeat the merge)
 *   {<cartId>}:merged:<guestId>     string  in a customer's cart: that guest cart's lines were added here
 *   {<cartId>}:event:<eventId>      string  an orders event already applied to this cart (or to its absence)
 *
 * Merging touches two carts, hence two slots, so it is two scripts, each atomic in its own slot:
 * the first takes the guest cart's lines and deletes it, leaving the merged-* keys; the second adds those
 * lines to the customer's cart unless its merged:<guestId> marker says it already did. A repeated merge
 * (a retried request, or one after a crash between the two) runs the second again from merged-lines,
 * and the marker keeps it from adding twice.
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
const mergedIntoKey = (guestId: string) => `{${guestId}}:merged-into`;
const mergedLinesKey = (guestId: string) => `{${guestId}}:merged-lines`;
const mergeMarkerKey = (cartId: string, guestId: string) => `{${cartId}}:merged:${guestId}`;
const eventMarkerKey = (cartId: string, eventId: string) => `{${cartId}}:event:${eventId}`;

/** 128 random bits, base64url: unguessable, and safe inside a key. */
export const newCartId = () => randomBytes(16).toString("base64url");
/** Anything else cannot be a cart this service made, and must not reach a key name. */
export const isCartId = (id: string) => /^[A-Za-z0-9_-]{22}$/.test(id);
/** Event ids become part of a key name: anything but these characters is refused before. */
export const isEventId = (id: unknown): id is string => typeof id === "string" && /^[A-Za-z0-9_-]{1,100}$/.test(id);
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

// The body of an add, once the cart is known to exist. ARGV: caller, guest ttl (s), customer ttl (s),
// productId, quantity, max line quantity, now (ms).
// Replies {0} (no cart), {-1, current quantity} (over the limit: nothing written) or {1, meta, lines}.
const ADD_BODY = `
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

// KEYS: meta, lines. ARGV as ADD_BODY's.
const ADD_TO_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
${ADD_BODY}
`;

// KEYS: meta, lines of the customer's cart. ARGV as ADD_BODY's, the caller being the customer: opens
// their cart first when they have none.
const ADD_TO_CUSTOMER_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'createdAt', ARGV[7], 'updatedAt', ARGV[7], 'userId', ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
${ADD_BODY}
`;

// KEYS: meta, lines. ARGV: caller, guest ttl (s), customer ttl (s), productId, quantity, now (ms).
// Replies {0} (no cart), {-1} (no line for that product: nothing written) or {1, meta, lines}.
const SET_LINE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
${OWNER_CHECK}
if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 0 then return {-1} end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[6])
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

// KEYS: meta, lines. ARGV: caller, guest ttl (s), customer ttl (s), now (ms).
// Replies {0} (no cart) or {1, meta, lines}.
const CLEAR = `
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
${OWNER_CHECK}
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
redis.call('EXPIRE', KEYS[1], ttl)
return {1, redis.call('HGETALL', KEYS[1]), {}}
`;

// The guest cart's half of a merge. KEYS: guest meta, guest lines, merged-lines, merged-into.
// ARGV: the signed-in caller, how long the merged-* keys stay (s).
// Replies {0} (no such guest cart, or another customer merged it), {-1} (an owned cart: not a guest's),
// {1, lines} (taken now: the cart is gone) or {2, lines} (this caller took it before: finish again).
const TAKE_GUEST_CART = `
local into = redis.call('GET', KEYS[4])
if into then
  if into ~= ARGV[1] then return {0} end
  return {2, redis.call('HGETALL', KEYS[3])}
end
if redis.call('EXISTS', KEYS[1]) == 0 then return {0} end
if redis.call('HEXISTS', KEYS[1], 'userId') == 1 then return {-1} end
local lines = redis.call('HGETALL', KEYS[2])
redis.call('DEL', KEYS[3])
if #lines > 0 then
  redis.call('RENAME', KEYS[2], KEYS[3])
  redis.call('EXPIRE', KEYS[3], ARGV[2])
end
redis.call('SET', KEYS[4], ARGV[1], 'EX', ARGV[2])
redis.call('DEL', KEYS[1])
return {1, lines}
`;

// The customer cart's half of a merge. KEYS: meta, lines, merged:<guestId> marker.
// ARGV: the customer, customer ttl (s), now (ms), max line quantity, marker ttl (s), then productId,
// quantity pairs.
// Opens the cart if needed; adds the lines unless the marker says this guest cart was added already.
// Replies {0} (the cart is someone else's: cannot happen for an id derived from the customer) or
// {1, meta, lines, capped} where capped lists productId, summed quantity of the lines kept at the limit.
const APPLY_MERGE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'createdAt', ARGV[3], 'updatedAt', ARGV[3], 'userId', ARGV[1])
end
if redis.call('HGET', KEYS[1], 'userId') ~= ARGV[1] then return {0} end
local capped = {}
if redis.call('EXISTS', KEYS[3]) == 0 then
  local max = tonumber(ARGV[4])
  for i = 6, #ARGV, 2 do
    local wanted = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0') + tonumber(ARGV[i + 1])
    if wanted > max then
      table.insert(capped, ARGV[i])
      table.insert(capped, wanted)
      wanted = max
    end
    redis.call('HSET', KEYS[2], ARGV[i], wanted)
  end
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[5])
  redis.call('HSET', KEYS[1], 'updatedAt', ARGV[3])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return {1, redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]), capped}
`;

// An order placed from a cart takes its units out. KEYS: meta, lines, event marker.
// ARGV: the order's customer ('' for a guest order), guest ttl (s), customer ttl (s), now (ms), then
// productId, quantity pairs. Each line loses the ordered units (gone at 0 or less), so units added after
// checkout began stay. Replies {2} (this event was applied already), {0} (no such cart: only the marker
// is written, so a cart opened later under the same id is not touched by a redelivery), {-1} (the cart
// belongs to another customer: untouched) or {1}.
const TAKE_ORDERED_UNITS = `
if redis.call('EXISTS', KEYS[3]) == 1 then return {2} end
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SET', KEYS[3], '1', 'EX', ARGV[3])
  return {0}
end
local owner = redis.call('HGET', KEYS[1], 'userId')
if owner and owner ~= ARGV[1] then return {-1} end
local ttl = owner and ARGV[3] or ARGV[2]
for i = 5, #ARGV, 2 do
  local current = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
  if current > 0 then
    local left = current - tonumber(ARGV[i + 1])
    if left > 0 then
      redis.call('HSET', KEYS[2], ARGV[i], left)
    else
      redis.call('HDEL', KEYS[2], ARGV[i])
    end
  end
end
redis.call('HSET', KEYS[1], 'updatedAt', ARGV[4])
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
redis.call('SET', KEYS[3], '1', 'EX', ttl)
return {1}
`;

type ScriptReply = [0] | [-1, number] | [1, string[], string[]];
type Args = (string | number)[];

interface CartCommands {
  cartOpenCustomerCart(meta: string, lines: string, ...args: Args): Promise<[string[], string[]]>;
  cartAddToLine(meta: string, lines: string, ...args: Args): Promise<ScriptReply>;
  cartAddToCustomerLine(meta: string, lines: string, ...args: Args): Promise<ScriptReply>;
  cartSetLine(meta: string, lines: string, ...args: Args): Promise<[0] | [-1] | [1, string[], string[]]>;
  cartRemoveLine(meta: string, lines: string, ...args: Args): Promise<ScriptReply>;
  cartClear(meta: string, lines: string, ...args: Args): Promise<ScriptReply>;
  cartTakeGuestCart(
    meta: string,
    lines: string,
    mergedLines: string,
    mergedInto: string,
    ...args: Args
  ): Promise<[0] | [-1] | [1 | 2, string[]]>;
  cartApplyMerge(
    meta: string,
    lines: string,
    marker: string,
    ...args: Args
  ): Promise<[0] | [1, string[], string[], (string | number)[]]>;
  cartTakeOrderedUnits(meta: string, lines: string, marker: string, ...args: Args): Promise<[number]>;
}

/** The TTLs of carts, by whether they have an owner. */
export interface CartLifetimes {
  guestSeconds: number;
  customerSeconds: number;
}

const pairs = (flat: (string | number)[]) => {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([String(flat[i]), String(flat[i + 1])]);
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

export type SetLineResult =
  { status: "set"; cart: CartRecord } | { status: "cart_not_found" } | { status: "line_not_found" };

/** A line of a merge kept at the line limit: what the two carts held together. */
export interface CappedLine {
  productId: string;
  requestedQuantity: number;
}

export type MergeResult =
  | { status: "merged"; cart: CartRecord; capped: CappedLine[] }
  /** The cart named is the customer's own: nothing to merge. */
  | { status: "own_cart" }
  | { status: "cart_not_found" };

export type OrderedUnitsResult = "applied" | "already_applied" | "no_cart" | "other_owner";

export class CartStore {
  private readonly commands: CartCommands;

  constructor(
    private readonly redis: Redis,
    private readonly lifetimes: CartLifetimes,
  ) {
    redis.defineCommand("cartOpenCustomerCart", { numberOfKeys: 2, lua: OPEN_CUSTOMER_CART });
    redis.defineCommand("cartAddToLine", { numberOfKeys: 2, lua: ADD_TO_LINE });
    redis.defineCommand("cartAddToCustomerLine", { numberOfKeys: 2, lua: ADD_TO_CUSTOMER_LINE });
    redis.defineCommand("cartSetLine", { numberOfKeys: 2, lua: SET_LINE });
    redis.defineCommand("cartRemoveLine", { numberOfKeys: 2, lua: REMOVE_LINE });
    redis.defineCommand("cartClear", { numberOfKeys: 2, lua: CLEAR });
    redis.defineCommand("cartTakeGuestCart", { numberOfKeys: 4, lua: TAKE_GUEST_CART });
    redis.defineCommand("cartApplyMerge", { numberOfKeys: 3, lua: APPLY_MERGE });
    redis.defineCommand("cartTakeOrderedUnits", { numberOfKeys: 3, lua: TAKE_ORDERED_UNITS });
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

  /**
   * Starts a cart's lifetime again without changing it (its owner looked at it). Only the TTLs change:
   * updatedAt still says when the lines last changed. A cart gone meanwhile stays gone.
   */
  async touch(cart: Pick<CartRecord, "id" | "ownerId">): Promise<void> {
    const ttl = cart.ownerId ? this.lifetimes.customerSeconds : this.lifetimes.guestSeconds;
    await this.redis.pipeline().expire(metaKey(cart.id), ttl).expire(linesKey(cart.id), ttl).exec().then(failOnError);
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
    return addResult(cartId, reply);
  }

  /** addToLine on the customer's own cart, opened first when they have none (atomically). */
  async addToCustomerLine(userId: string, productId: string, quantity: number): Promise<AddResult> {
    const cartId = customerCartId(userId);
    const reply = await this.commands.cartAddToCustomerLine(
      metaKey(cartId),
      linesKey(cartId),
      ...this.writeArgs(userId),
      productId,
      quantity,
      MAX_LINE_QUANTITY,
      Date.now(),
    );
    return addResult(cartId, reply);
  }

  /** Sets the quantity of a line the cart has (the caller checked the quantity against the rules). */
  async setLine(cartId: string, productId: string, quantity: number, callerId: string | null): Promise<SetLineResult> {
    if (!isCartId(cartId)) return { status: "cart_not_found" };
    const reply = await this.commands.cartSetLine(
      metaKey(cartId),
      linesKey(cartId),
      ...this.writeArgs(callerId),
      productId,
      quantity,
      Date.now(),
    );
    if (reply[0] === -1) return { status: "line_not_found" };
    const cart = reply[0] === 1 ? fromScript(cartId, reply[1], reply[2]) : null;
    return cart ? { status: "set", cart } : { status: "cart_not_found" };
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

  /** Removes every line, keeping the cart; null as removeLine. */
  async clear(cartId: string, callerId: string | null): Promise<CartRecord | null> {
    if (!isCartId(cartId)) return null;
    const reply = await this.commands.cartClear(
      metaKey(cartId),
      linesKey(cartId),
      ...this.writeArgs(callerId),
      Date.now(),
    );
    return reply[0] === 1 ? fromScript(cartId, reply[1], reply[2]) : null;
  }

  /**
   * Moves the lines of guest cart `guestId` into customer `userId`'s cart (see the key layout above for
   * how it stays atomic and repeatable across the two carts' slots).
   */
  async mergeGuestCart(guestId: string, userId: string): Promise<MergeResult> {
    if (!isCartId(guestId)) return { status: "cart_not_found" };
    const cartId = customerCartId(userId);
    if (guestId === cartId) return { status: "own_cart" };
    const taken = await this.commands.cartTakeGuestCart(
      metaKey(guestId),
      linesKey(guestId),
      mergedLinesKey(guestId),
      mergedIntoKey(guestId),
      userId,
      // Long enough for any retry; shorter than the marker, so a repeat never outlives what stops it adding twice.
      this.lifetimes.guestSeconds,
    );
    if (taken[0] === 0 || taken[0] === -1) return { status: "cart_not_found" };
    const applied = await this.commands.cartApplyMerge(
      metaKey(cartId),
      linesKey(cartId),
      mergeMarkerKey(cartId, guestId),
      userId,
      this.lifetimes.customerSeconds,
      Date.now(),
      MAX_LINE_QUANTITY,
      // Outlives the merged-* keys of the guest cart: a repeat of the merge always finds it.
      Math.max(this.lifetimes.customerSeconds, this.lifetimes.guestSeconds),
      ...taken[1],
    );
    if (applied[0] !== 1) throw new Error(`cart ${cartId} of ${userId} has another owner`);
    const cart = fromScript(cartId, applied[1], applied[2]);
    if (!cart) throw new Error(`cart ${cartId} has no dates`);
    const capped = pairs(applied[3]).map(([productId, requested]) => ({
      productId,
      requestedQuantity: Number(requested),
    }));
    return { status: "merged", cart, capped };
  }

  /**
   * Takes the units of an order (event `eventId`) out of cart `cartId`, once per event whatever the
   * redeliveries: the event's marker is written in the same script as the change.
   */
  async takeOrderedUnits(
    cartId: string,
    eventId: string,
    customerId: string | null,
    lines: readonly CartLineRecord[],
  ): Promise<OrderedUnitsResult> {
    if (!isCartId(cartId) || !isEventId(eventId)) return "no_cart";
    const [status] = await this.commands.cartTakeOrderedUnits(
      metaKey(cartId),
      linesKey(cartId),
      eventMarkerKey(cartId, eventId),
      ...this.writeArgs(customerId),
      Date.now(),
      ...lines.flatMap((line) => [line.productId, line.quantity]),
    );
    return status === 2 ? "already_applied" : status === 0 ? "no_cart" : status === -1 ? "other_owner" : "applied";
  }
}

function addResult(cartId: string, reply: ScriptReply): AddResult {
  if (reply[0] === -1) return { status: "over_limit", current: reply[1] };
  const cart = reply[0] === 1 ? fromScript(cartId, reply[1], reply[2]) : null;
  return cart ? { status: "added", cart } : { status: "cart_not_found" };
}

/** A pipeline or MULTI reports each command's error in its reply instead of rejecting. */
function failOnError(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis transaction was aborted");
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

export const cartKeys = { metaKey, linesKey, mergedIntoKey, mergedLinesKey, mergeMarkerKey, eventMarkerKey };
