import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

/** Cost parameters for new hashes (OWASP's scrypt baseline). Stored with every hash, so they can change. */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const KEY_BYTES = 32;
// Parameters read back from the database are bounded so a corrupt row cannot make us allocate gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

// scrypt needs a little over 128·N·r·p bytes (32 MiB here): Node's default ceiling of 32 MiB refuses it.
const maxmemFor = ({ N, r, p }: typeof COST) => 128 * N * r * p + 16 * 1024 * 1024;

function derive(password: string, salt: Buffer, keyBytes: number, cost: typeof COST): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: maxmemFor(cost) };
  return new Promise((resolve, reject) =>
    // NFC: the same password typed on two keyboards can arrive as different code point sequences.
    scrypt(password.normalize("NFC"), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, COST);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

interface ParsedHash {
  cost: typeof COST;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash {
  const parts = stored.split("$");
  const [scheme, n, r, p, salt, key] = parts;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  const valid =
    parts.length === 6 &&
    scheme === "scrypt" &&
    Number.isInteger(Math.log2(cost.N)) &&
    cost.N > 1 &&
    cost.N <= MAX_N &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= MAX_R &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= MAX_P &&
    /^[A-Za-z0-9_-]{16,}$/.test(salt ?? "") &&
    /^[A-Za-z0-9_-]{16,}$/.test(key ?? "");
  // A malformed hash is corrupt data, not a wrong password: fail loudly.
  if (!valid) throw new Error("stored password hash is not in the scrypt$N$r$p$salt$hash format");
  return { cost, salt: Buffer.from(salt!, "base64url"), key: Buffer.from(key!, "base64url") };
}

/** True when `password` produces `stored`. Compares in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const { cost, salt, key } = parseHash(stored);
  const candidate = await derive(password, salt, key.length, cost);
  return timingSafeEqual(candidate, key);
}

/** True when `stored` was made with other parameters than new hashes use: rehash it at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const { cost, key } = parseHash(stored);
  return cost.N !== COST.N || cost.r !== COST.r || cost.p !== COST.p || key.length !== KEY_BYTES;
}

// A hash of a random password at the current cost, made once: checking a password against it
// costs what checking a real account's password costs.
let absentAccountHash: Promise<string> | undefined;

/**
 * verifyPassword against the account's hash, or, when there is no account, the same work ending
 * in false: an unknown email answers as slowly as a wrong password.
 */
export async function verifyPasswordOfAccount(password: string, stored: string | undefined): Promise<boolean> {
  if (stored !== undefined) return verifyPassword(password, stored);
  absentAccountHash ??= hashPassword(randomBytes(32).toString("base64url"));
  await verifyPassword(password, await absentAccountHash);
  return false;
}
