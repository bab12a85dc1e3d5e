import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { ACCESS_TOKEN_ALGORITHM, ACCESS_TOKEN_TTL_SECONDS, permissionsOf, type Role } from "@fv/platform";
import type { SigningKey } from "./signing-keys.js";

export interface AccessTokenSubject {
  accountId: string;
  role: Role;
  sessionId: string;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/**
 * Signs access tokens as packages/platform's verifier expects them: EdDSA with the first key's
 * `kid`, our issuer and audience, the role and its permissions, the session id, 15 minutes.
 */
export function createAccessTokenIssuer(options: { keys: SigningKey[]; issuer: string; audience: string }) {
  const signer = options.keys[0];
  if (!signer) throw new Error("no signing key");
  return async function issueAccessToken(
    { accountId, role, sessionId }: AccessTokenSubject,
    now = new Date(),
  ): Promise<IssuedAccessToken> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expiresAt = issuedAt + ACCESS_TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ role, perms: [...permissionsOf(role)], sid: sessionId })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: signer.kid, typ: "JWT" })
      .setSubject(accountId)
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expiresAt)
      // Two tokens for one session in the same second would otherwise be identical.
      .setJti(randomUUID())
      .sign(signer.privateKey);
    return { token, expiresAt: new Date(expiresAt * 1000) };
  };
}

export type IssueAccessToken = ReturnType<typeof createAccessTokenIssuer>;
