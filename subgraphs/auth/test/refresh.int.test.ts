import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { refreshTokens, sessions } from "../src/db/schema.js";
import { hashOpaqueToken } from "../src/opaque-tokens.js";
import { REFRESH, registerAccount, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
const EMAIL = "matias@example.cl";
const PASSWORD = "camelias-de-invierno";

beforeAll(async () => {
  ctx = await startAuth();
  await registerAccount(ctx, EMAIL, PASSWORD);
});
afterAll(() => ctx?.stop());

const refresh = (refreshToken: string) => ctx.gql(REFRESH, { refreshToken });

const SESSIONS = /* GraphQL */ `
  query {
    sessions {
      totalCount
      edges {
        node {
          id
          current
        }
      }
    }
  }
`;

const sessionOf = async (refreshToken: string) => {
  const [row] = await ctx.store.db
    .select({ session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, hashOpaqueToken(refreshToken)));
  return row!.session;
};

const refusal = (res: Awaited<ReturnType<typeof refresh>>) => ({
  data: res.data?.refreshSession ?? null,
  code: res.errors?.[0]?.extensions?.code,
  message: res.errors?.[0]?.message,
});

describe("refreshSession", () => {
  it("rotates: new tokens for the same session, the old refresh token marked used", async () => {
    const first = await signIn(ctx, EMAIL, PASSWORD);
    const res = await refresh(first.refreshToken);
    expect(res.errors).toBeUndefined();
    const next = res.data!.refreshSession;
    expect(next.errors).toEqual([]);
    expect(next.account.id).toBe(first.account.id);
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.accessToken).not.toBe(first.accessToken);

    const session = await sessionOf(next.refreshToken);
    expect((await sessionOf(first.refreshToken)).id).toBe(session.id);
    const [old] = await ctx.store.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(first.refreshToken)));
    expect(old!.usedAt).not.toBeNull();
    expect(session.lastUsedAt.getTime()).toBeGreaterThanOrEqual(old!.usedAt!.getTime());

    const listed = await ctx.gql(SESSIONS, {}, { token: next.accessToken });
    expect(listed.data!.sessions.edges).toContainEqual({ node: { id: session.id, current: true } });
  });

  it("revokes the whole family when a used refresh token comes back: the newer token stops working too", async () => {
    const first = await signIn(ctx, EMAIL, PASSWORD);
    const second = (await refresh(first.refreshToken)).data!.refreshSession;

    // The thief (or the victim) presents the already-used token.
    const replay = refusal(await refresh(first.refreshToken));
    expect(replay.data).toBeNull();
    expect(replay.code).toBe("UNAUTHENTICATED");
    expect(replay.message).toMatch(/already used/);
    expect((await sessionOf(first.refreshToken)).revokedAt).not.toBeNull();

    const afterTheft = refusal(await refresh(second.refreshToken));
    expect(afterTheft.code).toBe("UNAUTHENTICATED");
    expect(afterTheft.message).toMatch(/signed out/);

    // The session's access tokens no longer manage anything here.
    const listed = await ctx.gql(SESSIONS, {}, { token: second.accessToken });
    expect(listed.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("refuses an expired refresh token without rotating it", async () => {
    const { refreshToken } = await signIn(ctx, EMAIL, PASSWORD);
    await ctx.store.db
      .update(refreshTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(refreshToken)));
    const expired = refusal(await refresh(refreshToken));
    expect(expired.code).toBe("UNAUTHENTICATED");
    expect(expired.message).toMatch(/expired/);
    const [row] = await ctx.store.db
      .select()
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(refreshToken)));
    expect(row!.usedAt).toBeNull();
  });

  it("refuses a token it never issued", async () => {
    const unknown = refusal(await refresh("x".repeat(43)));
    expect(unknown.code).toBe("UNAUTHENTICATED");
    expect(unknown.message).toMatch(/not valid/);
  });

  it("lets only one of two simultaneous uses of a token rotate it, and ends the session", async () => {
    const { refreshToken } = await signIn(ctx, EMAIL, PASSWORD);
    const results = await Promise.all([refresh(refreshToken), refresh(refreshToken)]);
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect((await sessionOf(refreshToken)).revokedAt).not.toBeNull();
  });
});
