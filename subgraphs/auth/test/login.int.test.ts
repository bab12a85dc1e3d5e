import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { createTokenVerifier } from "@fv/platform";
import { refreshTokens, sessions } from "../src/db/schema.js";
import { hashOpaqueToken } from "../src/opaque-tokens.js";
import { LOGIN, codes, newAddress, registerAccount, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
let accountId: string;
const EMAIL = "valentina@example.cl";
const PASSWORD = "girasoles-de-marzo";

beforeAll(async () => {
  ctx = await startAuth();
  accountId = await registerAccount(ctx, EMAIL, PASSWORD);
});
afterAll(() => ctx?.stop());

const login = async (email: string, password: string, address = newAddress()) => {
  const res = await ctx.gql(LOGIN, { input: { email, password } }, { address });
  expect(res.errors).toBeUndefined();
  return res.data!.login;
};

/** The counters of failed password checks in Redis, without their prefix. */
const failureKeys = async () => (await ctx.keys()).filter((k) => k.startsWith("password-failures:"));
const clearFailures = async () => {
  for (const key of await failureKeys()) await ctx.redis.del(`${ctx.redisPrefix}${key}`);
};

describe("login", () => {
  it("returns a 15-minute EdDSA access token for the account and session, and a refresh token stored hashed", async () => {
    const before = Date.now();
    const payload = await login(" Valentina@Example.cl ", PASSWORD, "203.0.113.7");
    expect(payload.errors).toEqual([]);
    expect(payload.account).toEqual({ id: accountId, email: EMAIL });

    const verify = createTokenVerifier({
      jwksUrl: `${ctx.url}/.well-known/jwks.json`,
      issuer: "flores-victoria-auth",
      audience: "flores-victoria",
    });
    const caller = await verify(payload.accessToken);
    expect(caller).toMatchObject({ kind: "user", userId: accountId, role: "customer" });
    const expiresIn = Date.parse(payload.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(14 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(15 * 60_000 + 1_000);

    const [session] = await ctx.store.db.select().from(sessions).where(eq(sessions.id, caller.sessionId));
    expect(session).toMatchObject({ accountId, clientAddress: "203.0.113.7", revokedAt: null });
    expect(payload.refreshToken).toMatch(/^[\w-]{43}$/);
    const [stored] = await ctx.store.db.select().from(refreshTokens).where(eq(refreshTokens.sessionId, session!.id));
    expect(stored!.tokenHash).toBe(hashOpaqueToken(payload.refreshToken));
    const days = (stored!.expiresAt.getTime() - stored!.createdAt.getTime()) / 86_400_000;
    expect(days).toBe(30);
    expect(Date.parse(payload.refreshTokenExpiresAt)).toBe(stored!.expiresAt.getTime());
  });

  it("answers an unknown email exactly as a wrong password", async () => {
    const wrong = await login(EMAIL, "not-the-password");
    const unknown = await login("nadie@example.cl", PASSWORD);
    for (const payload of [wrong, unknown]) {
      expect(payload).toMatchObject({ accessToken: null, refreshToken: null, expiresAt: null, account: null });
      expect(codes(payload.errors)).toEqual([":INVALID_CREDENTIALS"]);
    }
    expect(unknown.errors).toEqual(wrong.errors);
    await clearFailures();
  });
});

describe("sign-in throttling", () => {
  it("refuses an email after 5 failures from anywhere, even with the right password, saying when to retry", async () => {
    for (let i = 0; i < 5; i++) {
      expect(codes((await login(EMAIL, `wrong-guess-${i}`)).errors)).toEqual([":INVALID_CREDENTIALS"]);
    }
    const blocked = await login(EMAIL, PASSWORD);
    expect(blocked.accessToken).toBeNull();
    expect(codes(blocked.errors)).toEqual([":TOO_MANY_ATTEMPTS"]);
    const seconds = Number(/try again in (\d+) seconds/.exec(blocked.errors[0].message)?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(15 * 60);
    expect(blocked.errors[0].message).toContain("too many failed sign-in attempts");

    // Counted under a digest of the email: no address in Redis.
    const emailKeys = (await failureKeys()).filter((k) => k.startsWith("password-failures:email:"));
    expect(emailKeys).toHaveLength(1);
    expect(emailKeys[0]).not.toContain("valentina");
    const ttl = await ctx.redis.ttl(`${ctx.redisPrefix}${emailKeys[0]}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60);

    await clearFailures();
    expect((await login(EMAIL, PASSWORD)).errors).toEqual([]);
  });

  it("refuses a client address after 5 failures on any emails; other addresses still sign in", async () => {
    const address = "198.51.100.23";
    for (let i = 0; i < 5; i++) {
      expect(codes((await login(`desconocido${i}@example.cl`, "whatever-pass", address)).errors)).toEqual([
        ":INVALID_CREDENTIALS",
      ]);
    }
    const blocked = await login(EMAIL, PASSWORD, address);
    expect(codes(blocked.errors)).toEqual([":TOO_MANY_ATTEMPTS"]);
    expect(blocked.errors[0].message).toMatch(/try again in \d+ seconds \(\d+ minutes?\)$/);
    expect((await login(EMAIL, PASSWORD, "198.51.100.24")).errors).toEqual([]);
    await clearFailures();
  });

  it("counts only failures: a successful sign-in gives its attempt back", async () => {
    const address = "192.0.2.50";
    for (let i = 0; i < 4; i++) await login(EMAIL, `wrong-guess-${i}`, address);
    expect((await login(EMAIL, PASSWORD, address)).errors).toEqual([]);
    // Without the refund this would be the 6th attempt and be refused.
    expect(codes((await login(EMAIL, "wrong-again", address)).errors)).toEqual([":INVALID_CREDENTIALS"]);
    expect(codes((await login(EMAIL, PASSWORD, address)).errors)).toEqual([":TOO_MANY_ATTEMPTS"]);
    await clearFailures();
  });

  it("lets only 5 of many parallel guesses reach the password check", async () => {
    const address = "192.0.2.77";
    const payloads = await Promise.all(
      Array.from({ length: 12 }, (_, i) => login("paralelo@example.cl", `guess-${i}`, address)),
    );
    const counted = payloads.map((p) => p.errors[0].code);
    expect(counted.filter((c) => c === "INVALID_CREDENTIALS")).toHaveLength(5);
    expect(counted.filter((c) => c === "TOO_MANY_ATTEMPTS")).toHaveLength(7);
    await clearFailures();
  });
});
