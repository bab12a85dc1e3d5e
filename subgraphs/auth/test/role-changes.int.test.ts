import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { eq } from "drizzle-orm";
import { STREAMS, createLogger, createTokenVerifier, isRevoked, newEvent, publishEvent, type Role } from "@fv/platform";
import { testStores } from "@fv/platform/testing";
import { credentials } from "../src/db/schema.js";
import { createRoleChangeHandler } from "../src/role-changes.js";
import { REFRESH, registerAccount, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
let publisher: Redis;
const PASSWORD = "dalias-de-otono";

beforeAll(async () => {
  ctx = await startAuth();
  // As the users subgraph would publish: on the same stream key space as this service.
  publisher = new Redis(testStores.redisUrl, { keyPrefix: ctx.redisPrefix });
});
afterAll(async () => {
  await publisher?.quit();
  await ctx?.stop();
});

const roleOf = async (id: string) =>
  (await ctx.store.db.select().from(credentials).where(eq(credentials.id, id)))[0]!.role;

const roleChanged = (userId: string, role: Role, occurredAt = new Date()) => ({
  ...newEvent("users.role_changed", { userId, role, changedBy: "00000000-0000-4000-8000-000000000001" }),
  occurredAt: occurredAt.toISOString(),
});

async function waitForRole(id: string, role: Role) {
  for (let tries = 0; tries < 100; tries++) {
    if ((await roleOf(id)) === role) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`role of ${id} never became ${role}`);
}

describe("role changes from the users subgraph", () => {
  it("reach the next access token, issued on refresh", async () => {
    const userId = await registerAccount(ctx, "florista@example.cl", PASSWORD);
    const { refreshToken, accessToken } = await signIn(ctx, "florista@example.cl", PASSWORD);
    const verify = createTokenVerifier({
      jwksUrl: `${ctx.url}/.well-known/jwks.json`,
      issuer: "flores-victoria-auth",
      audience: "flores-victoria",
    });
    expect((await verify(accessToken)).role).toBe("customer");

    // `iat` has whole seconds: the change comes in a later second than the sign-in, as it would in life.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await publishEvent(publisher, STREAMS.users, roleChanged(userId, "florist"));
    await waitForRole(userId, "florist");

    // The token carrying the old role is marked revoked for the router; the one taken at refresh is not.
    const before = await verify(accessToken);
    await expect.poll(() => isRevoked(publisher, before), { timeout: 10_000 }).toBe(true);
    const refreshed = await ctx.gql(REFRESH, { refreshToken });
    const caller = await verify(refreshed.data!.refreshSession.accessToken);
    expect(caller.role).toBe("florist");
    expect([...caller.permissions]).toContain("orders:view_all");
    expect(await isRevoked(publisher, caller)).toBe(false);
  });

  it("apply idempotently and in order of occurrence: repeats and late older events change nothing", async () => {
    const userId = await registerAccount(ctx, "soporte@example.cl", PASSWORD);
    const handle = createRoleChangeHandler(ctx.store.db, createLogger("auth-test", "silent"), publisher);
    const newer = roleChanged(userId, "support", new Date(Date.now() - 1_000));
    const older = roleChanged(userId, "manager", new Date(Date.now() - 60_000));

    await handle(newer);
    expect(await roleOf(userId)).toBe("support");
    await handle(newer);
    await handle(older);
    expect(await roleOf(userId)).toBe("support");
  });

  it("skip malformed events without failing (so they are acknowledged, not retried forever)", async () => {
    const userId = await registerAccount(ctx, "intacto@example.cl", PASSWORD);
    const handle = createRoleChangeHandler(ctx.store.db, createLogger("auth-test", "silent"), publisher);
    await expect(
      handle({ ...roleChanged(userId, "admin"), data: { userId, role: "emperor" } }),
    ).resolves.toBeUndefined();
    await expect(
      handle({ ...roleChanged(userId, "admin"), data: { userId: "nobody", role: "admin" } }),
    ).resolves.toBeUndefined();
    expect(await roleOf(userId)).toBe("customer");
  });
});
