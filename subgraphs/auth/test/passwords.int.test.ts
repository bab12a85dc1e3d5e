import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { STREAMS } from "@fv/platform";
import { credentials, oneTimeTokens, outbox } from "../src/db/schema.js";
import { hashOpaqueToken } from "../src/opaque-tokens.js";
import { pruneOutbox } from "../src/background.js";
import { LOGIN, REFRESH, codes, registerAccount, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
let accountId: string;
const EMAIL = "renata@example.cl";
let password = "orquideas-moradas";

beforeAll(async () => {
  ctx = await startAuth();
  accountId = await registerAccount(ctx, EMAIL, password);
});
afterAll(() => ctx?.stop());

const REQUEST_RESET = /* GraphQL */ `
  mutation Request($email: String!) {
    requestPasswordReset(email: $email) {
      success
      errors {
        field
        code
        message
      }
    }
  }
`;

const RESET = /* GraphQL */ `
  mutation Reset($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword) {
      account {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const CHANGE = /* GraphQL */ `
  mutation Change($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      account {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const passwordHash = async () =>
  (await ctx.store.db.select().from(credentials).where(eq(credentials.id, accountId)))[0]!.passwordHash;
const loginCode = async (pass: string) => {
  const res = await ctx.gql(LOGIN, { input: { email: EMAIL, password: pass } });
  return res.data!.login.errors[0]?.code ?? "OK";
};
const refreshWorks = async (refreshToken: string) => (await ctx.gql(REFRESH, { refreshToken })).errors === undefined;

const clearRequestLimits = async () => {
  for (const key of await ctx.keys())
    if (key.startsWith("email-requests:")) await ctx.redis.del(`${ctx.redisPrefix}${key}`);
};

/** Asks for a reset link and returns the token from the event (as the mailer would get it). */
async function requestReset(): Promise<string> {
  await clearRequestLimits();
  const before = new Set((await ctx.events(STREAMS.auth)).map((e) => e.id));
  const res = await ctx.gql(REQUEST_RESET, { email: EMAIL });
  expect(res.data!.requestPasswordReset).toEqual({ success: true, errors: [] });
  const event = await ctx.waitForEvent(
    STREAMS.auth,
    (e) => !before.has(e.id) && e.type === "auth.password_reset_requested",
  );
  return event.data.token as string;
}

describe("password reset", () => {
  it("answers an unknown email exactly like a known one, and mails a 1-hour single-use link only to the known one", async () => {
    const known = await ctx.gql(REQUEST_RESET, { email: " Renata@Example.cl" });
    const unknown = await ctx.gql(REQUEST_RESET, { email: "fantasma@example.cl" });
    expect(unknown).toEqual(known);
    expect(known.data!.requestPasswordReset).toEqual({ success: true, errors: [] });

    const event = await ctx.waitForEvent(STREAMS.auth, (e) => e.type === "auth.password_reset_requested");
    const { userId, email, token, expiresAt, url } = event.data;
    expect({ userId, email }).toEqual({ userId: accountId, email: EMAIL });
    expect(url).toBe(`http://localhost:3000/reset-password?token=${token}`);
    expect((Date.parse(expiresAt) - Date.parse(event.occurredAt)) / 60_000).toBeCloseTo(60, 1);
    const resets = await ctx.store.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.kind, "reset"));
    expect(resets).toHaveLength(1);
    expect(resets[0]!.tokenHash).toBe(hashOpaqueToken(token));
    expect((await ctx.events(STREAMS.auth)).filter((e) => e.data.email === "fantasma@example.cl")).toEqual([]);
  });

  it("sends at most 5 links per email in 15 minutes, answering known and unknown emails alike", async () => {
    await clearRequestLimits();
    for (const email of [EMAIL, "fantasma@example.cl"]) {
      for (let i = 0; i < 5; i++) await ctx.gql(REQUEST_RESET, { email });
    }
    const known = await ctx.gql(REQUEST_RESET, { email: EMAIL });
    const unknown = await ctx.gql(REQUEST_RESET, { email: "fantasma@example.cl" });
    expect(codes(known.data!.requestPasswordReset.errors)).toEqual(["email:TOO_MANY_ATTEMPTS"]);
    expect(known.data!.requestPasswordReset.errors[0].message).toMatch(/try again in \d+ seconds/);
    expect(unknown.data!.requestPasswordReset.success).toBe(false);
    expect(codes(unknown.data!.requestPasswordReset.errors)).toEqual(["email:TOO_MANY_ATTEMPTS"]);
    await clearRequestLimits();
  });

  it("refuses a malformed email, naming the field", async () => {
    const res = await ctx.gql(REQUEST_RESET, { email: "renata" });
    expect(res.data!.requestPasswordReset.success).toBe(false);
    expect(codes(res.data!.requestPasswordReset.errors)).toEqual(["email:INVALID_EMAIL"]);
  });

  it("deletes published outbox rows, so raw tokens do not stay in the database", async () => {
    await requestReset();
    await pruneOutbox(ctx.store.db);
    const rows = await ctx.store.db.select().from(outbox);
    expect(rows.every((row) => row.publishedAt === null)).toBe(true);
  });

  it("sets a new password with the token once, keeping the token through a weak attempt, and signs out every session", async () => {
    const session = await signIn(ctx, EMAIL, password);
    const token = await requestReset();
    const hashBefore = await passwordHash();

    const weak = await ctx.gql(RESET, { token, newPassword: "corta" });
    expect(codes(weak.data!.resetPassword.errors)).toEqual(["newPassword:WEAK_PASSWORD"]);
    expect(await passwordHash()).toBe(hashBefore);

    const done = await ctx.gql(RESET, { token, newPassword: "tulipanes-nuevos-2026" });
    expect(done.data!.resetPassword).toEqual({ account: { id: accountId }, errors: [] });
    expect(await loginCode(password)).toBe("INVALID_CREDENTIALS");
    password = "tulipanes-nuevos-2026";
    expect(await loginCode(password)).toBe("OK");
    expect(await refreshWorks(session.refreshToken)).toBe(false);

    const hashAfter = await passwordHash();
    const replay = await ctx.gql(RESET, { token, newPassword: "otra-clave-distinta" });
    expect(replay.data!.resetPassword.account).toBeNull();
    expect(codes(replay.data!.resetPassword.errors)).toEqual(["token:INVALID_TOKEN"]);
    expect(await passwordHash()).toBe(hashAfter);
  });

  it("spends every earlier link once one is used", async () => {
    const older = await requestReset();
    const newer = await requestReset();
    expect(
      (await ctx.gql(RESET, { token: newer, newPassword: "claveles-del-norte" })).data!.resetPassword.errors,
    ).toEqual([]);
    password = "claveles-del-norte";
    const old = await ctx.gql(RESET, { token: older, newPassword: "claveles-del-sur" });
    expect(codes(old.data!.resetPassword.errors)).toEqual(["token:INVALID_TOKEN"]);
  });

  it("refuses an expired link and changes nothing", async () => {
    const token = await requestReset();
    await ctx.store.db
      .update(oneTimeTokens)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(oneTimeTokens.tokenHash, hashOpaqueToken(token)));
    const hashBefore = await passwordHash();
    const res = await ctx.gql(RESET, { token, newPassword: "girasoles-tardios" });
    expect(res.data!.resetPassword.account).toBeNull();
    expect(codes(res.data!.resetPassword.errors)).toEqual(["token:TOKEN_EXPIRED"]);
    expect(await passwordHash()).toBe(hashBefore);
    const [row] = await ctx.store.db
      .select({ n: count() })
      .from(oneTimeTokens)
      .where(eq(oneTimeTokens.tokenHash, hashOpaqueToken(token)));
    expect(row!.n).toBe(1);
  });
});

describe("changePassword", () => {
  it("needs the current password, keeps this session and signs out the others", async () => {
    const here = await signIn(ctx, EMAIL, password);
    const elsewhere = await signIn(ctx, EMAIL, password);

    const wrong = await ctx.gql(
      CHANGE,
      { currentPassword: "no-es-esta", newPassword: "jazmines-de-verano" },
      { token: here.accessToken },
    );
    expect(codes(wrong.data!.changePassword.errors)).toEqual(["currentPassword:INVALID_CREDENTIALS"]);
    const weak = await ctx.gql(
      CHANGE,
      { currentPassword: password, newPassword: "renata-2026-x" },
      { token: here.accessToken },
    );
    expect(codes(weak.data!.changePassword.errors)).toEqual(["newPassword:WEAK_PASSWORD"]);
    expect(await refreshWorks(elsewhere.refreshToken)).toBe(true);

    const other = await signIn(ctx, EMAIL, password);
    const done = await ctx.gql(
      CHANGE,
      { currentPassword: password, newPassword: "jazmines-de-verano" },
      { token: here.accessToken },
    );
    expect(done.data!.changePassword).toEqual({ account: { id: accountId }, errors: [] });
    password = "jazmines-de-verano";
    expect(await loginCode(password)).toBe("OK");
    expect(await refreshWorks(other.refreshToken)).toBe(false);
    expect(await refreshWorks(here.refreshToken)).toBe(true);
  });

  it("is refused to anonymous callers", async () => {
    const res = await ctx.gql(CHANGE, { currentPassword: password, newPassword: "azucenas-blancas" });
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});
