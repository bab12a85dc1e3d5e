import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeProtectedHeader } from "jose";
import { createTokenVerifier } from "@fv/platform";
import { newSigningJwk, registerAccount, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
const EMAIL = "rotacion@example.cl";
const PASSWORD = "nomeolvides-azules";
let keyA: Awaited<ReturnType<typeof newSigningJwk>>;
let keyB: Awaited<ReturnType<typeof newSigningJwk>>;

beforeAll(async () => {
  [keyA, keyB] = [await newSigningJwk(), await newSigningJwk()];
  ctx = await startAuth({ keys: [keyA] });
  await registerAccount(ctx, EMAIL, PASSWORD);
});
afterAll(() => ctx?.stop());

/** Another service's view: the platform verifier, reading the JWKS over HTTP. */
const verifierOf = (url: string) =>
  createTokenVerifier({
    jwksUrl: `${url}/.well-known/jwks.json`,
    issuer: "flores-victoria-auth",
    audience: "flores-victoria",
  });

const jwks = async () => {
  const res = await fetch(`${ctx.url}/.well-known/jwks.json`);
  return {
    cacheControl: res.headers.get("cache-control"),
    body: (await res.json()) as { keys: Record<string, unknown>[] },
  };
};

const VIEWER = /* GraphQL */ `
  query {
    viewerAccount {
      email
    }
  }
`;

describe("signing keys", () => {
  it("publishes only public parts, briefly cacheable", async () => {
    const { cacheControl, body } = await jwks();
    expect(cacheControl).toBe("public, max-age=300");
    expect(body.keys).toEqual([{ kty: "OKP", crv: "Ed25519", x: keyA.x, kid: keyA.kid, alg: "EdDSA", use: "sig" }]);
    expect(JSON.stringify(body)).not.toContain(keyA.d);
  });

  it("keeps a token signed by the old key valid after rotating to [new, old], and signs new tokens with the new key", async () => {
    const before = await signIn(ctx, EMAIL, PASSWORD);
    expect(decodeProtectedHeader(before.accessToken)).toEqual({ alg: "EdDSA", kid: keyA.kid, typ: "JWT" });

    await ctx.restart([keyB, keyA]);
    expect((await jwks()).body.keys.map((k) => k.kid)).toEqual([keyB.kid, keyA.kid]);

    const verify = verifierOf(ctx.url);
    await expect(verify(before.accessToken)).resolves.toMatchObject({ userId: before.account.id });
    // The auth service itself, verifying through its own JWKS, still accepts it too.
    const viewer = await ctx.gql(VIEWER, {}, { token: before.accessToken });
    expect(viewer.data!.viewerAccount).toEqual({ email: EMAIL });

    const after = await signIn(ctx, EMAIL, PASSWORD);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(keyB.kid);
    await expect(verify(after.accessToken)).resolves.toMatchObject({ userId: after.account.id });
  });

  it("stops accepting the old key's tokens once it is removed from the set", async () => {
    await ctx.restart([keyA]);
    const old = await signIn(ctx, EMAIL, PASSWORD);
    await ctx.restart([keyB]);
    await expect(verifierOf(ctx.url)(old.accessToken)).rejects.toThrow(/unknown key/);
    const res = await ctx.gql(VIEWER, {}, { token: old.accessToken });
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
