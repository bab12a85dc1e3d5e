import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { credentials } from "../src/db/schema.js";
import { verifyPassword } from "../src/password.js";
import { startAuth } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startAuth>>;
beforeAll(async () => {
  ctx = await startAuth();
});
afterAll(() => ctx?.stop());

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) {
      account {
        id
        email
        emailVerified
        createdAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const ACCOUNT = /* GraphQL */ `
  query Account($id: ID!) {
    account(id: $id) {
      id
      email
      emailVerified
    }
  }
`;

const register = async (email: string, password: string) => {
  const res = await graphql(ctx.url, REGISTER, { input: { email, password } });
  expect(res.errors).toBeUndefined();
  return res.data!.register;
};

async function countCredentials() {
  const [row] = await ctx.store.db.select({ n: count() }).from(credentials);
  return row!.n;
}

const codes = (errors: { field: string[]; code: string }[]) => errors.map((e) => `${e.field.join(".")}:${e.code}`);

describe("register", () => {
  it("stores normalized credentials with a scrypt hash and returns the account, readable afterwards", async () => {
    const payload = await register("  Camila.Rojas@Example.CL ", "rosas-y-lirios-2026");
    expect(payload.errors).toEqual([]);
    expect(payload.account).toMatchObject({ email: "camila.rojas@example.cl", emailVerified: false });
    expect(Date.parse(payload.account.createdAt)).not.toBeNaN();

    const [row] = await ctx.store.db.select().from(credentials).where(eq(credentials.id, payload.account.id));
    expect(row!.email).toBe("camila.rojas@example.cl");
    expect(row!.emailVerifiedAt).toBeNull();
    expect(row!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    await expect(verifyPassword("rosas-y-lirios-2026", row!.passwordHash)).resolves.toBe(true);

    const read = await graphql(ctx.url, ACCOUNT, { id: payload.account.id });
    expect(read.data!.account).toEqual({
      id: payload.account.id,
      email: "camila.rojas@example.cl",
      emailVerified: false,
    });
  });

  it("answers null for an account that does not exist", async () => {
    const read = await graphql(ctx.url, ACCOUNT, { id: "00000000-0000-0000-0000-000000000000" });
    expect(read.errors).toBeUndefined();
    expect(read.data!.account).toBeNull();
  });

  it("returns a UserError per wrong field, saying what the password lacks, and stores nothing", async () => {
    const before = await countCredentials();
    const payload = await register("not-an-email", "short");
    expect(payload.account).toBeNull();
    expect(codes(payload.errors)).toEqual(["input.email:INVALID_EMAIL", "input.password:WEAK_PASSWORD"]);
    expect(payload.errors[1].message).toContain("at least 10 characters");

    const local = await register("florencia@example.cl", "Florencia-1990");
    expect(codes(local.errors)).toEqual(["input.password:WEAK_PASSWORD"]);
    expect(local.errors[0].message).toContain("before the @");
    expect(await countCredentials()).toBe(before);
  });

  it("refuses an email already registered, whatever its case", async () => {
    await register("tomas@example.cl", "margaritas-blancas");
    const before = await countCredentials();
    const again = await register("TOMAS@example.cl ", "otra-clave-segura");
    expect(again.account).toBeNull();
    expect(codes(again.errors)).toEqual(["input.email:EMAIL_TAKEN"]);
    expect(await countCredentials()).toBe(before);
  });

  it("creates one account when the same email registers concurrently", async () => {
    const email = "simultanea@example.cl";
    const payloads = await Promise.all([1, 2, 3, 4].map((n) => register(email, `clave-segura-numero-${n}`)));
    expect(payloads.filter((p) => p.account !== null)).toHaveLength(1);
    expect(payloads.filter((p) => p.errors[0]?.code === "EMAIL_TAKEN")).toHaveLength(3);
    const [row] = await ctx.store.db.select({ n: count() }).from(credentials).where(eq(credentials.email, email));
    expect(row!.n).toBe(1);
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
    expect(blocked.errors[0].message).toContain("try again in 15 minutes");
    expect(await countCredentials()).toBe(before);

    // The counter lives in Redis under the service's prefix, without the address in the key.
    const keys = (await ctx.keys()).filter((k) => !keysBefore.has(k));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^register:[\w-]{43}$/);
    counterKey = `${ctx.redisPrefix}${keys[0]}`;
    const ttl = await ctx.redis.ttl(counterKey);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(15 * 60);
    expect(await ctx.redis.get(counterKey)).toBe("6");

    // Another email is not affected.
    const other = await register("paciente@example.cl", "una-clave-valida-al-fin");
    expect(other.errors).toEqual([]);
  });

  it("rounds the wait up to whole minutes, and lets the email in again once the window ends", async () => {
    await ctx.redis.expire(counterKey, 61);
    const blocked = await register("insistente@example.cl", "una-clave-valida-al-fin");
    expect(blocked.errors[0].message).toContain("try again in 2 minutes");

    // The window ending is Redis expiring the key; delete it rather than wait.
    await ctx.redis.del(counterKey);
    const allowed = await register("insistente@example.cl", "una-clave-valida-al-fin");
    expect(allowed.errors).toEqual([]);
    expect(allowed.account.email).toBe("insistente@example.cl");
  });
});
