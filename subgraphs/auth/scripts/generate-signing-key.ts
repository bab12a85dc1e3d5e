/**
 * Prints a new private Ed25519 JWK for AUTH_SIGNING_KEYS, on one line:
 *
 *   pnpm --filter @fv/auth exec tsx scripts/generate-signing-key.ts
 *
 * AUTH_SIGNING_KEYS is a JSON array of such keys: `[<output>]` for a first deployment.
 * Rotation without signing anyone out: put the new key FIRST in the array and keep the old one
 * after it (`[new, old]`): new tokens are signed with the new key while the JWKS still publishes
 * the old one. Remove the old key once its last tokens have expired (15 minutes after the switch,
 * plus the JWKS cache time). The output is a secret: store it in the Secret, not in the repository.
 */
import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import { ACCESS_TOKEN_ALGORITHM } from "@fv/platform";

const { privateKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: randomUUID(), alg: ACCESS_TOKEN_ALGORITHM, use: "sig" };
process.stdout.write(`${JSON.stringify(jwk)}\n`);
