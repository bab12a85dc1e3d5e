import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { JWK } from "jose";
import { ACCESS_TOKEN_ALGORITHM } from "@fv/platform";

/** A key access tokens can be signed with, and the public half that the JWKS publishes. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicJwk: JWK;
}

const SHAPE = 'a JSON array of private Ed25519 JWKs ({"kty":"OKP","crv":"Ed25519","d":…,"x":…,"kid":…})';

function parseKey(value: unknown, index: number, seen: Set<string>): SigningKey {
  const at = `key ${index + 1}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error(`${at} is not a JWK object`);
  const { kty, crv, d, x, kid } = value as Record<string, unknown>;
  if (typeof kid !== "string" || kid.trim() === "") throw new Error(`${at} has no "kid"`);
  if (seen.has(kid)) throw new Error(`${at} repeats the kid "${kid}"`);
  seen.add(kid);
  const named = `${at} (kid "${kid}")`;
  if (kty !== "OKP" || crv !== "Ed25519") throw new Error(`${named} is not an Ed25519 key (kty "OKP", crv "Ed25519")`);
  if (typeof d !== "string") throw new Error(`${named} is a public key: the private part "d" is missing`);
  if (typeof x !== "string") throw new Error(`${named} lacks its public part "x"`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: { kty, crv, d, x }, format: "jwk" });
  } catch {
    // Never echo the key material: the message ends up in logs.
    throw new Error(`${named} is not a valid Ed25519 private key`);
  }
  // Node derives the public key from "d" and ignores "x": a mismatched "x" would publish a key
  // that verifies nothing we sign.
  const derivedX = createPublicKey(privateKey).export({ format: "jwk" }).x;
  if (derivedX !== x) throw new Error(`${named} has a public part "x" that does not match its private part "d"`);
  return { kid, privateKey, publicJwk: { kty, crv, x, kid, alg: ACCESS_TOKEN_ALGORITHM, use: "sig" } };
}

/**
 * Reads AUTH_SIGNING_KEYS. The first key signs; every key is published, so a token signed by a
 * key that has moved down the list keeps verifying until it expires. Throws saying what is wrong.
 */
export function parseSigningKeys(raw: string): SigningKey[] {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new Error(`must be ${SHAPE}; it is not JSON`);
  }
  if (!Array.isArray(value)) throw new Error(`must be ${SHAPE}`);
  if (value.length === 0) throw new Error("must hold at least one key");
  const seen = new Set<string>();
  return value.map((key, index) => parseKey(key, index, seen));
}

/** The public key set served at /.well-known/jwks.json. */
export const publicKeySet = (keys: SigningKey[]) => ({ keys: keys.map((key) => key.publicJwk) });
