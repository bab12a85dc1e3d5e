import { createHash, randomBytes } from "node:crypto";

/** 32 random bytes, base64url: refresh, reset and verification tokens. Only their hash is stored. */
export const newOpaqueToken = () => randomBytes(32).toString("base64url");

/**
 * SHA-256 is enough here (no salt, no stretching): the token is 256 random bits, not a password,
 * and a plain digest lets the database find it by its unique index.
 */
export const hashOpaqueToken = (token: string) => createHash("sha256").update(token).digest("base64url");
