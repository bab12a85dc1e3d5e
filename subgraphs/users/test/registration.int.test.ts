import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { newEvent } from "@fv/platform";
import { users } from "../src/db/schema.js";
import { eventually, registrationEvent, startUsers, storedUser, type UsersTest } from "./helpers.js";

let ctx: UsersTest;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

const ME = /* GraphQL */ `
  query {
    me {
      id
      name
      email
      emailVerified
      phone
      role
      addresses {
        id
      }
      createdAt
    }
  }
`;

const profilesWithId = async (id: string) => {
  const [row] = await ctx.store.db.select({ n: count() }).from(users).where(eq(users.id, id));
  return row!.n;
};

/** Nothing is left delivered but unacknowledged: every event published so far was handled. */
const allHandled = async () => {
  const [pending] = (await ctx.redis.xpending(ctx.streams.auth, "users")) as [number, ...unknown[]];
  const groups = (await ctx.redis.xinfo("GROUPS", ctx.streams.auth)) as unknown[][];
  const lag = groups[0]![groups[0]!.indexOf("lag") + 1];
  return pending === 0 && lag === 0 ? true : undefined;
};

describe("profiles from auth's registration events", () => {
  it("creates the profile with the account's id, readable by its owner as `me`", async () => {
    const event = registrationEvent({
      name: " Ignacio  Fuentes ",
      email: "Ignacio@Example.CL",
      phone: "+56 9 8765 4321",
    });
    await ctx.publishAuthEvent(event);
    const row = await eventually(() => storedUser(ctx, event.data.userId), "the profile");
    expect(row).toMatchObject({
      id: event.data.userId,
      name: "Ignacio Fuentes",
      email: "ignacio@example.cl",
      phone: "+56987654321",
      role: "customer",
      emailVerifiedAt: null,
    });
    expect(row.createdAt.toISOString()).toBe(event.occurredAt);

    const me = await graphql(ctx.url, ME, {}, await ctx.headersAs(event.data.userId));
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toEqual({
      id: event.data.userId,
      name: "Ignacio Fuentes",
      email: "ignacio@example.cl",
      emailVerified: false,
      phone: "+56987654321",
      role: "CUSTOMER",
      addresses: [],
      createdAt: event.occurredAt,
    });
  });

  it("creates one profile when the same registration event arrives twice", async () => {
    const event = registrationEvent({ name: "Dos Veces", email: "dos@example.cl" });
    await ctx.publishAuthEvent(event);
    await ctx.publishAuthEvent(event);
    await eventually(allHandled, "both deliveries to be handled");
    expect(await profilesWithId(event.data.userId)).toBe(1);
  });

  it("does not undo later changes when an old registration is delivered again", async () => {
    const event = registrationEvent({ name: "Nombre Viejo", email: "viejo@example.cl" });
    await ctx.publishAuthEvent(event);
    await eventually(() => storedUser(ctx, event.data.userId), "the profile");
    await ctx.store.db.update(users).set({ name: "Nombre Nuevo" }).where(eq(users.id, event.data.userId));
    await ctx.publishAuthEvent(event);
    await eventually(allHandled, "the redelivery to be handled");
    expect((await storedUser(ctx, event.data.userId))!.name).toBe("Nombre Nuevo");
  });

  it("marks the email verified once, keeping the first verification's time", async () => {
    const registered = registrationEvent({ name: "Vera Verificada", email: "vera@example.cl" });
    const userId = registered.data.userId;
    await ctx.publishAuthEvent(registered);
    const verified = newEvent("auth.email_verified", { userId, email: "vera@example.cl" });
    await ctx.publishAuthEvent(verified);
    const row = await eventually(async () => {
      const user = await storedUser(ctx, userId);
      return user?.emailVerifiedAt ? user : undefined;
    }, "the verification");
    expect(row.emailVerifiedAt!.toISOString()).toBe(verified.occurredAt);

    await ctx.publishAuthEvent(verified);
    await ctx.publishAuthEvent({ ...newEvent("auth.email_verified", { userId, email: "vera@example.cl" }) });
    await eventually(allHandled, "the repeated verifications to be handled");
    const after = (await storedUser(ctx, userId))!;
    expect(after.emailVerifiedAt!.toISOString()).toBe(verified.occurredAt);
    expect(after.updatedAt).toEqual(row.updatedAt);

    const me = await graphql(ctx.url, ME, {}, await ctx.headersAs(userId));
    expect(me.data!.me.emailVerified).toBe(true);
  });

  it("applies a verification that overtook its registration once the registration arrives", async () => {
    const registered = registrationEvent({ name: "Llega Tarde", email: "tarde@example.cl" });
    const userId = registered.data.userId;
    await ctx.publishAuthEvent(newEvent("auth.email_verified", { userId, email: "tarde@example.cl" }));
    // Until the profile exists the verification stays pending, and is retried.
    await eventually(async () => {
      const [pending] = (await ctx.redis.xpending(ctx.streams.auth, "users")) as [number];
      return pending > 0 ? true : undefined;
    }, "the verification to be left pending");
    await ctx.publishAuthEvent(registered);
    const row = await eventually(async () => {
      const user = await storedUser(ctx, userId);
      return user?.emailVerifiedAt ? user : undefined;
    }, "the retried verification");
    expect(row.name).toBe("Llega Tarde");
    await eventually(allHandled, "nothing left pending");
  });

  it("skips a malformed event and other auth events, and goes on with the next ones", async () => {
    const before = await ctx.store.db.select({ n: count() }).from(users);
    await ctx.publishAuthEvent(newEvent("auth.user_registered", { userId: "not-a-uuid", email: "x@example.cl" }));
    await ctx.publishAuthEvent(newEvent("auth.user_registered", { email: "sin-id@example.cl", name: "Sin Id" }));
    await ctx.publishAuthEvent(
      newEvent("auth.password_reset_requested", { userId: randomUUID(), email: "o@example.cl", token: "t" }),
    );
    await ctx.redis.xadd(ctx.streams.auth, "*", "event", "{not json");
    const next = registrationEvent({ name: "Después", email: "despues@example.cl" });
    await ctx.publishAuthEvent(next);
    await eventually(() => storedUser(ctx, next.data.userId), "the next registration");
    await eventually(allHandled, "every event to be acknowledged");
    const after = await ctx.store.db.select({ n: count() }).from(users);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });
});

describe("me", () => {
  it("is null for the anonymous and for a signed-in person whose profile has not arrived", async () => {
    const anonymous = await graphql(ctx.url, ME);
    expect(anonymous.errors).toBeUndefined();
    expect(anonymous.data!.me).toBeNull();
    const early = await graphql(ctx.url, ME, {}, await ctx.headersAs(randomUUID()));
    expect(early.errors).toBeUndefined();
    expect(early.data!.me).toBeNull();
  });
});
