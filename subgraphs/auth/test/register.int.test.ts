import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { STREAMS } from "@fv/platform";
import { credentials, oneTimeTokens, outbox } from "../src/db/schema.js";
import { hashOpaqueToken } from "../src/opaque-tokens.js";
import { verifyPassword } from "../src/password.js";
import { REGISTER, codes, signIn, startAuth, type AuthTestContext } from "./helpers.js";

let ctx: AuthTestContext;
beforeAll(async () => {
  ctx = await startAuth();
});
afterAll(() => ctx?.stop());

const ACCOUNT = /* GraphQL */ `
  query Account($id: ID!) {
    account(id: $id) {
      id
      email
      emailVerified
    }
  }
`;

const register = async (email: string, password: string, extra: { name?: string; phone?: string } = {}) => {
  const res = await ctx.gql(REGISTER, { input: { email, password, name: "Camila Rojas", ...extra } });
  expect(res.errors).toBeUndefined();
  return res.data!.register;
};

async function countCredentials() {
  const [row] = await ctx.store.db.select({ n: count() }).from(credentials);
  return row!.n;
}

async function countOutbox() {
  const [row] = await ctx.store.db.select({ n: count() }).from(outbox);
  return row!.n;
}

describe("register", () => {
  it("stores normalized credentials with a scrypt hash; the account reads itself back", async () => {
    const payload = await register("  Camila.Rojas@Example.CL ", "rosas-y-lirios-2026");
    expect(payload.errors).toEqual([]);
    expect(payload.account).toMatchObject({ email: "camila.rojas@example.cl", emailVerified: false });
    expect(Date.parse(payload.account.createdAt)).not.toBeNaN();

    const [row] = await ctx.store.db.select().from(credentials).where(eq(credentials.id, payload.account.id));
    expect(row!.email).toBe("camila.rojas@example.cl");
    expect(row!.emailVerifiedAt).toBeNull();
    expect(row!.role).toBe("customer");
    expect(row!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword("rosas-y-lirios-2026", row!.passwordHash)).resolves.toBe(true);

    const { accessToken } = await signIn(ctx, "camila.rojas@example.cl", "rosas-y-lirios-2026");
    const read = await ctx.gql(ACCOUNT, { id: payload.account.id }, { token: accessToken });
    expect(read.data!.account).toEqual({
      id: payload.account.id,
      email: "camila.rojas@example.cl",
      emailVerified: false,
    });
  });

  it("publishes auth.user_registered and auth.email_verification_requested through the outbox", async () => {
    const payload = await register("Ignacia@example.cl", "hortensias-azules", {
      name: "  Ignacia   Soto ",
      phone: "+56 9 8765 4321",
    });
    const userId = payload.account.id;
    const registered = await ctx.waitForEvent(
      STREAMS.auth,
      (e) => e.data.userId === userId && e.type === "auth.user_registered",
    );
    expect(registered.data).toEqual({
      userId,
      email: "ignacia@example.cl",
      name: "Ignacia Soto",
      phone: "+56987654321",
    });

    const verification = await ctx.waitForEvent(
      STREAMS.auth,
      (e) => e.data.userId === userId && e.type === "auth.email_verification_requested",
    );
    const { token, expiresAt, url, email } = verification.data;
    expect(email).toBe("ignacia@example.cl");
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(url).toBe(`http://localhost:3000/verify-email?token=${token}`);
    const hours = (Date.parse(expiresAt) - Date.parse(verification.occurredAt)) / 3_600_000;
    expect(hours).toBeCloseTo(24, 2);
    // The database keeps only the token's hash.
    const [stored] = await ctx.store.db.select().from(oneTimeTokens).where(eq(oneTimeTokens.accountId, userId));
    expect(stored).toMatchObject({ kind: "verify", tokenHash: hashOpaqueToken(token), usedAt: null });
    expect(stored!.tokenHash).not.toBe(token);
  });

  it("returns a UserError per wrong field and stores and publishes nothing", async () => {
    const before = [await countCredentials(), await countOutbox()];
    const payload = await register("not-an-email", "short", { name: "A", phone: "12345" });
    expect(payload.account).toBeNull();
    expect(codes(payload.errors)).toEqual([
      "input.email:INVALID_EMAIL",
      "input.password:WEAK_PASSWORD",
      "input.name:INVALID_NAME",
      "input.phone:INVALID_PHONE",
    ]);
    expect(payload.errors[1].message).toContain("at least 10 characters");

    const local = await register("florencia@example.cl", "Florencia-1990");
    expect(codes(local.errors)).toEqual(["input.password:WEAK_PASSWORD"]);
    expect(local.errors[0].message).toContain("before the @");
    expect([await countCredentials(), await countOutbox()]).toEqual(before);
  });

  it("refuses an email already registered, whatever its case", async () => {
    await register("tomas@example.cl", "margaritas-blancas");
    const before = await countCredentials();
    const again = await register("TOMAS@example.cl ", "otra-clave-segura");
    expect(again.account).toBeNull();
    expect(codes(again.errors)).toEqual(["input.email:EMAIL_TAKEN"]);
    expect(await countCredentials()).toBe(before);
  });

  it("creates one account, announced once, when the same email registers concurrently", async () => {
    const email = "simultanea@example.cl";
    const payloads = await Promise.all([1, 2, 3, 4].map((n) => register(email, `clave-segura-numero-${n}`)));
    expect(payloads.filter((p) => p.account !== null)).toHaveLength(1);
    expect(payloads.filter((p) => p.errors[0]?.code === "EMAIL_TAKEN")).toHaveLength(3);
    const [row] = await ctx.store.db.select({ n: count() }).from(credentials).where(eq(credentials.email, email));
    expect(row!.n).toBe(1);
    const userId = payloads.find((p) => p.account)!.account.id;
    await ctx.waitForEvent(STREAMS.auth, (e) => e.data.userId === userId);
    const announced = (await ctx.events(STREAMS.auth)).filter(
      (e) => e.type === "auth.user_registered" && e.data.email === email,
    );
    expect(announced).toHaveLength(1);
  });
});

describe("register rate limit", () => {
  let counterKey: string;

  it("allows 5 attempts per email in 15 minutes, then refuses saying when to retry", async () => {
    const email = "insistente@example.cl";
    const keysBefore = new Set(await ctx.keys());
    for (let attempt = 1; attempt <= 5; attempt++) {
      const payload = await register(email, "corta");
      expect(codes(payload.errors)).toEqual(["input.password:WEAK_PASSWORD"]);
    }
    const before = await countCredentials();
    const blocked = await register(" Insistente@Example.cl", "una-clave-valida-al-fin");
    expect(blocked.account).toBeNull();
    expect(codes(blocked.errors)).toEqual(["input.email:TOO_MANY_ATTEMPTS"]);
    expect(blocked.errors[0].message).toMatch(/try again in \d+ seconds \(15 minutes\)/);
    expect(await countCredentials()).toBe(before);

    // The counter lives in Redis under the service's prefix, without the address in the key.
    const keys = (await ctx.keys()).filter((k) => !keysBefore.has(k) && !k.startsWith("events:"));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^register:email:[\w-]{43}$/);
    counterKey = `${ctx.redisPrefix}${keys[0]}`;
    const ttl = await ctx.redis.ttl(counterKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
    expect(await ctx.redis.get(counterKey)).toBe("6");

    // Another email is not affected.
    const other = await register("paciente@example.cl", "una-clave-valida-al-fin");
    expect(other.errors).toEqual([]);
  });

  it("gives the wait in seconds, and lets the email in again once the window ends", async () => {
    await ctx.redis.expire(counterKey, 61);
    const blocked = await register("insistente@example.cl", "una-clave-valida-al-fin");
    expect(blocked.errors[0].message).toMatch(/try again in (61 seconds \(2 minutes\)|60 seconds \(1 minute\))$/);

    // The window ending is Redis expiring the key; delete it rather than wait.
    await ctx.redis.del(counterKey);
    const allowed = await register("insistente@example.cl", "una-clave-valida-al-fin");
    expect(allowed.errors).toEqual([]);
    expect(allowed.account.email).toBe("insistente@example.cl");
  });
});
