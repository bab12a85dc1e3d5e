import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";

/** A fresh Ed25519 private JWK with a `kid`, as AUTH_SIGNING_KEYS holds them. */
export async function newSigningKey() {
  const { privateKey } = await generateKeyPair("EdDSA", { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: "EdDSA", use: "sig" };
}

/**
 * The development signing keys, kept in a git-ignored file so that tokens survive a restart of
 * `pnpm start`. In a cluster the keys come from a Secret.
 */
export async function developmentSigningKeys(file: string): Promise<string> {
  if (existsSync(file)) return readFileSync(file, "utf8");
  const keys = JSON.stringify([await newSigningKey()]);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, keys, { mode: 0o600 });
  return keys;
}
