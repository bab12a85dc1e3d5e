import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { STREAMS } from "@fv/platform";
import { credentials, oneTimeTokens } from "../src/db/schema.js";
import { hashOpaqueToken } from "../src/opaque-tokens.js";
import { codes, registerAccount, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
const PASSWORD = "amapolas-rojas";
beforeAll(async () => {
  ctx = await startAuth();
});
afterAll(() => ctx?.stop());

const VERIFY = /* GraphQL */ `
  mutation Verify($token: String!) {
    verifyEmail(token: $token) {
      account {
        id
        emailVerified
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const REQUEST = /* GraphQL */ `
  mutation {
    requestEmailVerification {
      success
      errors {
        code
        message
      }
    }
  }
`;

const VIEWER = /* GraphQL */ `
  query {
    viewerAccount {
      id
      emailVerified
    }
  }
`;

/** The token of the newest verification email sent to the account. */
const verificationToken = async (userId: string, after = new Set<string>()) =>
  (
    await ctx.waitForEvent(
      STREAMS.auth,
      (e) => e.type === "auth.email_verification_requested" && e.data.userId === userId && !after.has(e.id),
    )
  ).data.token as string;

const verifiedAt = async (id: string) =>
  (await ctx.store.db.select().from(credentials).where(eq(credentials.id, id)))[0]!.emailVerifiedAt;

describe("email verification", () => {
  it("verifies with the token from the registration email, once, and announces it", async () => {
    const userId = await registerAccount(ctx, "josefa@example.cl", PASSWORD);
    const token = await verificationToken(userId);

    const res = await ctx.gql(VERIFY, { token });
    expect(res.data!.verifyEmail).toEqual({ account: { id: userId, emailVerified: true }, errors: [] });
    expect(await verifiedAt(userId)).not.toBeNull();
    const event = await ctx.waitForEvent(
      STREAMS.auth,
      (e) => e.type === "auth.email_verified" && e.data.userId === userId,
    );
    expect(event.data).toEqual({ userId, email: "josefa@example.cl" });

    const replay = await ctx.gql(VERIFY, { token });
    expect(replay.data!.verifyEmail.account).toBeNull();
    expect(codes(replay.data!.verifyEmail.errors)).toEqual(["token:INVALID_TOKEN"]);
    const announced = (await ctx.events(STREAMS.auth)).filter(
      (e) => e.type === "auth.email_verified" && e.data.userId === userId,
    );
    expect(announced).toHaveLength(1);

    const { accessToken } = await signIn(ctx, "josefa@example.cl", PASSWORD);
    expect((await ctx.gql(VIEWER, {}, { token: accessToken })).data!.viewerAccount).toEqual({
      id: userId,
      emailVerified: true,
    });
    const again = await ctx.gql(REQUEST, {}, { token: accessToken });
    expect(again.data!.requestEmailVerification.success).toBe(false);
    expect(codes(again.data!.requestEmailVerification.errors)).toEqual([":EMAIL_ALREADY_VERIFIED"]);
  });

  it("sends a new 24-hour link on request, and refuses a link after it expired", async () => {
    const userId = await registerAccount(ctx, "martin@example.cl", PASSWORD);
    const first = await verificationToken(userId);
    const seen = new Set((await ctx.events(STREAMS.auth)).map((e) => e.id));
    const { accessToken } = await signIn(ctx, "martin@example.cl", PASSWORD);
    const requested = await ctx.gql(REQUEST, {}, { token: accessToken });
    expect(requested.data!.requestEmailVerification).toEqual({ success: true, errors: [] });
    const second = await verificationToken(userId, seen);
    expect(second).not.toBe(first);

    await ctx.store.db
      .update(oneTimeTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(oneTimeTokens.tokenHash, hashOpaqueToken(second)));
    const expired = await ctx.gql(VERIFY, { token: second });
    expect(expired.data!.verifyEmail.account).toBeNull();
    expect(codes(expired.data!.verifyEmail.errors)).toEqual(["token:TOKEN_EXPIRED"]);
    expect(await verifiedAt(userId)).toBeNull();

    // The first link is still within its 24 hours.
    expect((await ctx.gql(VERIFY, { token: first })).data!.verifyEmail.errors).toEqual([]);
  });

  it("refuses an unknown token, and anonymous requests for a new link", async () => {
    const unknown = await ctx.gql(VERIFY, { token: "y".repeat(43) });
    expect(codes(unknown.data!.verifyEmail.errors)).toEqual(["token:INVALID_TOKEN"]);
    expect((await ctx.gql(REQUEST, {})).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
