import { describe, expect, it } from "vitest";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader } from "jose";
import { createTokenVerifier, permissionsOf } from "@fv/platform";
import { createAccessTokenIssuer } from "../src/tokens.js";
import { parseSigningKeys, publicKeySet } from "../src/signing-keys.js";

const keys = (...kids: string[]) =>
  parseSigningKeys(
    JSON.stringify(
      kids.map((kid) => ({ ...generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }), kid })),
    ),
  );
const settings = { issuer: "flores-victoria-auth", audience: "flores-victoria" };
const verifierFor = (published: ReturnType<typeof keys>) =>
  createTokenVerifier({ ...settings, jwksUrl: "http://unused.invalid/" }, createLocalJWKSet(publicKeySet(published)));

describe("access tokens", () => {
  it("are EdDSA JWTs naming the first key, for the account, its role, permissions and session, for 15 minutes", async () => {
    const set = keys("current", "previous");
    const issue = createAccessTokenIssuer({ keys: set, ...settings });
    const now = new Date("2026-11-29T13:00:00.000Z");
    const [accountId, sessionId] = [randomUUID(), randomUUID()];
    const { token, expiresAt } = await issue({ accountId, role: "florist", sessionId }, now);

    expect(decodeProtectedHeader(token)).toEqual({ alg: "EdDSA", kid: "current", typ: "JWT" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: "flores-victoria-auth",
      aud: "flores-victoria",
      sub: accountId,
      sid: sessionId,
      role: "florist",
      perms: [...permissionsOf("florist")],
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 15 * 60,
    });
    expect(typeof claims.jti).toBe("string");
    expect(expiresAt.toISOString()).toBe("2026-11-29T13:15:00.000Z");
  });

  it("verify with the platform verifier, also after rotation puts a new key in front", async () => {
    const [oldKey] = keys("old");
    const [newKey] = keys("new");
    const { token } = await createAccessTokenIssuer({ keys: [oldKey!], ...settings })({
      accountId: randomUUID(),
      role: "customer",
      sessionId: randomUUID(),
    });
    await expect(verifierFor([newKey!, oldKey!])(token)).resolves.toMatchObject({ kind: "user", role: "customer" });
    await expect(verifierFor([newKey!])(token)).rejects.toThrow(/unknown key/);
  });

  it("are refused when signed for another audience", async () => {
    const set = keys("k");
    const { token } = await createAccessTokenIssuer({ keys: set, issuer: settings.issuer, audience: "someone-else" })({
      accountId: randomUUID(),
      role: "admin",
      sessionId: randomUUID(),
    });
    await expect(verifierFor(set)(token)).rejects.toThrow(/do not verify/);
  });
});
