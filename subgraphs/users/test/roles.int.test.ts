import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import type { EventEnvelope } from "@fv/platform";
import { outbox, roleChanges, users } from "../src/db/schema.js";
import type { RoleChangedData } from "../src/resolvers/role-mutations.js";
import {
  CHANGE_ROLE,
  codes,
  errorCode,
  eventually,
  person,
  startUsers,
  storedUser,
  type UsersTest,
} from "./helpers.js";

let ctx: UsersTest;
let admin: { id: string; headers: Record<string, string> };
beforeAll(async () => {
  ctx = await startUsers();
  admin = await person(ctx, "Ada Admin", "ada@floresvictoria.cl", "admin");
  await ctx.store.db.update(users).set({ role: "admin" }).where(eq(users.id, admin.id));
});
afterAll(() => ctx?.stop());

const publishedRoleChanges = async () => {
  const entries = await ctx.redis.xrange(ctx.streams.users, "-", "+");
  return entries.map(([, fields]) => JSON.parse(fields[1]!) as EventEnvelope<RoleChangedData>);
};

/** What must stay as it is after a refused change: the roles, the audit trail, the outbox. */
const snapshot = async () => ({
  roles: (await ctx.store.db.select({ id: users.id, role: users.role }).from(users)).sort((a, b) =>
    a.id.localeCompare(b.id),
  ),
  changes: (await ctx.store.db.select({ n: count() }).from(roleChanges))[0]!.n,
  outbox: (await ctx.store.db.select({ n: count() }).from(outbox))[0]!.n,
});

describe("changeUserRole", () => {
  it("lets an admin change another person's role, recording who and when, and announces it", async () => {
    const florist = await person(ctx, "Flor Nueva", "flor@floresvictoria.cl");
    const asked = new Date();
    const res = await graphql(ctx.url, CHANGE_ROLE, { userId: florist.id, role: "FLORIST" }, admin.headers);
    const answered = new Date();
    expect(res.errors).toBeUndefined();
    expect(res.data!.changeUserRole).toEqual({ user: { id: florist.id, role: "FLORIST" }, errors: [] });
    expect((await storedUser(ctx, florist.id))!.role).toBe("florist");

    const records = await ctx.store.db.select().from(roleChanges).where(eq(roleChanges.userId, florist.id));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ fromRole: "customer", toRole: "florist", changedBy: admin.id });
    expect(records[0]!.changedAt.getTime()).toBeGreaterThanOrEqual(asked.getTime());
    expect(records[0]!.changedAt.getTime()).toBeLessThanOrEqual(answered.getTime());

    const event = await eventually(
      async () => (await publishedRoleChanges()).find((e) => e.data.userId === florist.id),
      "users.role_changed on the users stream",
    );
    expect(event).toMatchObject({
      type: "users.role_changed",
      data: { userId: florist.id, role: "florist", changedBy: admin.id },
    });
    const [row] = await ctx.store.db.select().from(outbox).where(eq(outbox.id, event.id));
    expect(row!.stream).toBe(ctx.streams.users);
    await eventually(
      async () =>
        (await ctx.store.db.select().from(outbox).where(eq(outbox.id, event.id)))[0]!.publishedAt ?? undefined,
      "the outbox row marked published",
    );
  });

  it("records and announces nothing when the role is already the one asked for", async () => {
    const support = await person(ctx, "Sara Soporte", "sara@floresvictoria.cl");
    await graphql(ctx.url, CHANGE_ROLE, { userId: support.id, role: "SUPPORT" }, admin.headers);
    const before = await snapshot();
    const again = await graphql(ctx.url, CHANGE_ROLE, { userId: support.id, role: "SUPPORT" }, admin.headers);
    expect(again.data!.changeUserRole).toEqual({ user: { id: support.id, role: "SUPPORT" }, errors: [] });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an admin their own role (FORBIDDEN) and changes nothing", async () => {
    const before = await snapshot();
    const res = await graphql(ctx.url, CHANGE_ROLE, { userId: admin.id, role: "CUSTOMER" }, admin.headers);
    expect(errorCode(res)).toBe("FORBIDDEN");
    expect(res.errors![0]!.message).toMatch(/own role/);
    expect(res.data).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a customer who grants themselves any role, or gives one to someone else", async () => {
    const customer = await person(ctx, "Carlos Cliente", "carlos@example.cl");
    const other = await person(ctx, "Otra Clienta", "otra@example.cl");
    const before = await snapshot();
    for (const role of ["ADMIN", "MANAGER", "SUPPORT", "FLORIST", "DELIVERY", "CUSTOMER"]) {
      for (const target of [customer.id, other.id]) {
        const res = await graphql(ctx.url, CHANGE_ROLE, { userId: target, role }, customer.headers);
        expect(errorCode(res), `${role} for ${target === customer.id ? "self" : "other"}`).toBe("FORBIDDEN");
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("refuses staff other than admins, the anonymous and services", async () => {
    const target = await person(ctx, "Blanca Blanco", "blanca@example.cl");
    const before = await snapshot();
    for (const role of ["delivery", "florist", "support", "manager"] as const) {
      const res = await graphql(
        ctx.url,
        CHANGE_ROLE,
        { userId: target.id, role: "ADMIN" },
        await ctx.headersAs(randomUUID(), role),
      );
      expect(errorCode(res), role).toBe("FORBIDDEN");
    }
    const anonymous = await graphql(ctx.url, CHANGE_ROLE, { userId: target.id, role: "ADMIN" });
    expect(errorCode(anonymous)).toBe("UNAUTHENTICATED");
    const service = await graphql(ctx.url, CHANGE_ROLE, { userId: target.id, role: "ADMIN" }, ctx.asService);
    expect(errorCode(service)).toBe("UNAUTHENTICATED");
    expect(await snapshot()).toEqual(before);
  });

  it("says USER_NOT_FOUND for an unknown or malformed user id", async () => {
    const before = await snapshot();
    for (const userId of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      const res = await graphql(ctx.url, CHANGE_ROLE, { userId, role: "FLORIST" }, admin.headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!.changeUserRole.user).toBeNull();
      expect(codes(res.data!.changeUserRole.errors)).toEqual(["userId:USER_NOT_FOUND"]);
    }
    expect(await snapshot()).toEqual(before);
  });
});
