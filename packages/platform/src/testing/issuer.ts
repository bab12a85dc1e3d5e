import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import { ACCESS_TOKEN_ALGORITHM } from "../auth/tokens.js";
import { permissionsOf, type Role } from "../auth/permissions.js";

export interface TestIssuer {
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** An access token as the auth subgraph would sign it; every claim can be bent to test refusals. */
  sign(options: {
    userId?: string;
    role?: Role;
    sessionId?: string;
    expiresAt?: number;
    issuedAt?: number;
    kid?: string;
  }): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Stands in for the auth subgraph in other subgraphs' tests: a real EdDSA key served as a real
 * JWKS over HTTP, so token verification runs exactly as in production.
 */
export async function createTestIssuer(): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: ACCESS_TOKEN_ALGORITHM, use: "sig" };
  const server = createServer((req, res) => {
    if (req.url === "/.well-known/jwks.json") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: [jwk] }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = "flores-victoria-auth";
  const audience = "flores-victoria";
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    issuer,
    audience,
    sign: ({
      userId = randomUUID(),
      role = "customer",
      sessionId = randomUUID(),
      expiresAt,
      issuedAt,
      kid: signingKid = kid,
    }) =>
      new SignJWT({ role, perms: [...permissionsOf(role)], sid: sessionId })
        .setProtectedHeader({ alg: ACCESS_TOKEN_ALGORITHM, kid: signingKid })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt ?? "15m")
        .sign(privateKey),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
