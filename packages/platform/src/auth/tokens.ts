import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { GraphQLError } from "graphql";
import { isRole, permissionsOf, type Permission } from "./permissions.js";
import type { UserCaller } from "./caller.js";

/** Access tokens are EdDSA JWTs with a `kid`, issued by the auth subgraph for 15 minutes. */
export const ACCESS_TOKEN_ALGORITHM = "EdDSA";
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** The claims an access token carries beside iss, aud, iat, exp. */
export interface AccessTokenClaims {
  sub: string;
  role: string;
  perms: string[];
  sid: string;
}

export interface TokenSettings {
  jwksUrl: string;
  issuer: string;
  audience: string;
}

const invalidToken = (reason: string) =>
  new GraphQLError(`Invalid access token: ${reason}`, {
    extensions: { code: "UNAUTHENTICATED", http: { status: 401 } },
  });

/**
 * Verifies access tokens against the auth subgraph's JWKS. jose caches the key set and fetches
 * it again when a token names a `kid` it does not know (a rotated key), at most every 30 s.
 */
export function createTokenVerifier(
  settings: TokenSettings,
  keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl), {
    cooldownDuration: 30_000,
    timeoutDuration: 3_000,
  }),
) {
  return async function verifyAccessToken(token: string): Promise<UserCaller> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: settings.issuer,
        audience: settings.audience,
        requiredClaims: ["sub", "exp", "iat", "sid"],
      }));
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw invalidToken("expired");
      if (error instanceof errors.JWKSNoMatchingKey) throw invalidToken("signed by an unknown key");
      if (
        error instanceof errors.JWKSTimeout ||
        (error instanceof Error && /fetch|ECONNREFUSED/i.test(error.message))
      ) {
        // The key set could not be fetched: a fault on our side, not the caller's.
        throw new GraphQLError("Cannot verify access tokens right now", {
          extensions: { code: "INTERNAL_SERVER_ERROR" },
        });
      }
      throw invalidToken("signature or claims do not verify");
    }
    const { sub, role, sid } = payload as Partial<AccessTokenClaims>;
    if (typeof sub !== "string" || typeof sid !== "string" || !isRole(role)) throw invalidToken("malformed claims");
    // Permissions follow from the role as this service knows it, not from what the token lists:
    // a role's permissions can shrink without waiting for tokens to expire.
    return {
      kind: "user",
      userId: sub,
      role,
      sessionId: sid,
      issuedAt: payload.iat,
      permissions: new Set<Permission>(permissionsOf(role)),
    };
  };
}

export type VerifyAccessToken = ReturnType<typeof createTokenVerifier>;
