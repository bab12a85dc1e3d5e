import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, isNull } from "drizzle-orm";
import { sessions } from "../src/db/schema.js";
import { REFRESH, codes, registerAccount, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
const PASSWORD = "lirios-del-campo";
let aliceId: string;

beforeAll(async () => {
  ctx = await startAuth();
  aliceId = await registerAccount(ctx, "alicia@example.cl", PASSWORD);
  await registerAccount(ctx, "bruno@example.cl", PASSWORD);
});
afterAll(() => ctx?.stop());

const SESSIONS = /* GraphQL */ `
  query Sessions($first: Int, $after: String) {
    sessions(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          userAgent
          clientAddress
          createdAt
          lastUsedAt
          current
        }
      }
    }
  }
`;

const REVOKE = /* GraphQL */ `
  mutation Revoke($id: ID!) {
    revokeSession(id: $id) {
      session {
        id
        revokedAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const LOGOUT = /* GraphQL */ `
  mutation {
    logout {
      success
      errors {
        code
      }
    }
  }
`;

const LOGOUT_EVERYWHERE = /* GraphQL */ `
  mutation {
    logoutEverywhere {
      revokedSessionCount
      errors {
        code
      }
    }
  }
`;

const refreshWorks = async (refreshToken: string) => (await ctx.gql(REFRESH, { refreshToken })).errors === undefined;
const liveSessionsOf = (accountId: string) =>
  ctx.store.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt)));
const signOutEverywhere = async (email: string) => {
  const { accessToken } = await signIn(ctx, email, PASSWORD);
  await ctx.gql(LOGOUT_EVERYWHERE, {}, { token: accessToken });
};

describe("sessions", () => {
  it("lists the caller's live sessions, newest first, with device, dates and the current one flagged", async () => {
    await signIn(ctx, "alicia@example.cl", PASSWORD, {
      userAgent: "FloresApp/2.1 (Android 14)",
      address: "203.0.113.1",
    });
    const laptop = await signIn(ctx, "alicia@example.cl", PASSWORD, {
      userAgent: "Mozilla/5.0 (X11; Linux)",
      address: "203.0.113.2",
    });
    await signIn(ctx, "bruno@example.cl", PASSWORD);

    const res = await ctx.gql(SESSIONS, { first: 1 }, { token: laptop.accessToken });
    expect(res.errors).toBeUndefined();
    expect(res.data!.sessions.totalCount).toBe(2);
    expect(res.data!.sessions.edges).toHaveLength(1);
    const [newest] = res.data!.sessions.edges.map((e: { node: unknown }) => e.node);
    expect(newest).toMatchObject({
      userAgent: "Mozilla/5.0 (X11; Linux)",
      clientAddress: "203.0.113.2",
      current: true,
    });
    expect(Date.parse(newest.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(newest.createdAt));

    const next = await ctx.gql(
      SESSIONS,
      { first: 10, after: res.data!.sessions.pageInfo.endCursor },
      { token: laptop.accessToken },
    );
    expect(next.data!.sessions.edges.map((e: { node: unknown }) => e.node)).toEqual([
      expect.objectContaining({
        userAgent: "FloresApp/2.1 (Android 14)",
        clientAddress: "203.0.113.1",
        current: false,
      }),
    ]);
    expect(next.data!.sessions.pageInfo.hasNextPage).toBe(false);
    await signOutEverywhere("alicia@example.cl");
    await signOutEverywhere("bruno@example.cl");
  });

  it("is refused to anonymous callers", async () => {
    const res = await ctx.gql(SESSIONS, {});
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });

  it("revokeSession signs out one of your own sessions, and only your own", async () => {
    const phone = await signIn(ctx, "alicia@example.cl", PASSWORD);
    const laptop = await signIn(ctx, "alicia@example.cl", PASSWORD);
    const bruno = await signIn(ctx, "bruno@example.cl", PASSWORD);
    const sessionIdOf = async (token: string) => {
      const listed = await ctx.gql(SESSIONS, {}, { token });
      return listed.data!.sessions.edges.find((e: { node: { current: boolean } }) => e.node.current).node.id as string;
    };
    const phoneSession = await sessionIdOf(phone.accessToken);
    const brunoSession = await sessionIdOf(bruno.accessToken);

    // Alicia cannot sign Bruno out: his session is "not found" to her, and stays live.
    const foreign = await ctx.gql(REVOKE, { id: brunoSession }, { token: laptop.accessToken });
    expect(foreign.data!.revokeSession.session).toBeNull();
    expect(codes(foreign.data!.revokeSession.errors)).toEqual(["id:SESSION_NOT_FOUND"]);
    expect(await refreshWorks(bruno.refreshToken)).toBe(true);

    const own = await ctx.gql(REVOKE, { id: phoneSession }, { token: laptop.accessToken });
    expect(own.data!.revokeSession.errors).toEqual([]);
    expect(own.data!.revokeSession.session.id).toBe(phoneSession);
    expect(own.data!.revokeSession.session.revokedAt).not.toBeNull();
    expect(await refreshWorks(phone.refreshToken)).toBe(false);
    expect(await refreshWorks(laptop.refreshToken)).toBe(true);

    const junk = await ctx.gql(REVOKE, { id: "not-a-session" }, { token: laptop.accessToken });
    expect(codes(junk.data!.revokeSession.errors)).toEqual(["id:SESSION_NOT_FOUND"]);
    await signOutEverywhere("alicia@example.cl");
    await signOutEverywhere("bruno@example.cl");
  });

  it("logout ends the caller's current session only, and can be repeated", async () => {
    const phone = await signIn(ctx, "alicia@example.cl", PASSWORD);
    const laptop = await signIn(ctx, "alicia@example.cl", PASSWORD);
    const res = await ctx.gql(LOGOUT, {}, { token: phone.accessToken });
    expect(res.data!.logout).toEqual({ success: true, errors: [] });

    expect(await refreshWorks(phone.refreshToken)).toBe(false);
    const after = await ctx.gql(SESSIONS, {}, { token: phone.accessToken });
    expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(after.errors?.[0]?.message).toMatch(/session has ended/);
    expect((await ctx.gql(LOGOUT, {}, { token: phone.accessToken })).data!.logout.success).toBe(true);

    expect(await refreshWorks(laptop.refreshToken)).toBe(true);
    expect((await ctx.gql(LOGOUT, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    await signOutEverywhere("alicia@example.cl");
  });

  it("logoutEverywhere ends every session of the caller and no one else's", async () => {
    const tokens = [
      await signIn(ctx, "alicia@example.cl", PASSWORD),
      await signIn(ctx, "alicia@example.cl", PASSWORD),
      await signIn(ctx, "alicia@example.cl", PASSWORD),
    ];
    const bruno = await signIn(ctx, "bruno@example.cl", PASSWORD);
    const res = await ctx.gql(LOGOUT_EVERYWHERE, {}, { token: tokens[1]!.accessToken });
    expect(res.data!.logoutEverywhere).toEqual({ revokedSessionCount: 3, errors: [] });
    expect(await liveSessionsOf(aliceId)).toEqual([]);
    for (const { refreshToken } of tokens) expect(await refreshWorks(refreshToken)).toBe(false);
    expect(await refreshWorks(bruno.refreshToken)).toBe(true);

    // A signed-out session cannot sign anyone out again.
    const again = await ctx.gql(LOGOUT_EVERYWHERE, {}, { token: tokens[0]!.accessToken });
    expect(again.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
