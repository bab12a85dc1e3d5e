import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEntities } from "@fv/platform/testing";
import { addresses, users } from "../src/db/schema.js";
import { startUsers, type UsersTest } from "./helpers.js";

let ctx: UsersTest;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

const SELECTION = `... on User { id name email emailVerified phone role createdAt addresses { id label street commune notes isDefault } }`;

describe("_entities contract", () => {
  it("resolves User references in order with their addresses, null for unknown ids", async () => {
    const [ana, beto] = await ctx.store.db
      .insert(users)
      .values([
        { name: "Ana Díaz", email: "ana@example.cl", phone: "+56911112222", emailVerifiedAt: new Date() },
        { name: "Beto Soto", email: "beto@example.cl", role: "delivery" },
      ])
      .returning();
    const [home] = await ctx.store.db
      .insert(addresses)
      .values({ userId: ana!.id, label: "Casa", street: "Vitacura 5000", commune: "Vitacura", isDefault: true })
      .returning();
    const representations = [
      { __typename: "User", id: beto!.id },
      { __typename: "User", id: "00000000-0000-0000-0000-000000000000" },
      { __typename: "User", id: ana!.id },
      { __typename: "User", id: "not-a-uuid" },
    ];
    const expected = [
      {
        id: beto!.id,
        name: "Beto Soto",
        email: "beto@example.cl",
        emailVerified: false,
        phone: null,
        role: "DELIVERY",
        createdAt: beto!.createdAt.toISOString(),
        addresses: [],
      },
      null,
      {
        id: ana!.id,
        name: "Ana Díaz",
        email: "ana@example.cl",
        emailVerified: true,
        phone: "+56911112222",
        role: "CUSTOMER",
        createdAt: ana!.createdAt.toISOString(),
        addresses: [
          { id: home!.id, label: "Casa", street: "Vitacura 5000", commune: "Vitacura", notes: null, isDefault: true },
        ],
      },
      null,
    ];

    // Another service, and staff who see every profile, get every known one.
    for (const headers of [ctx.asService, await ctx.headersAs(randomUUID(), "support")]) {
      const res = await resolveEntities(ctx.url, representations, SELECTION, headers);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual(expected);
    }

    // A person gets their own profile only; the anonymous, none.
    const asAna = await resolveEntities(ctx.url, representations, SELECTION, await ctx.headersAs(ana!.id));
    expect(asAna.data!._entities).toEqual([null, null, expected[2], null]);
    const anonymous = await resolveEntities(ctx.url, representations, SELECTION);
    expect(anonymous.data!._entities).toEqual([null, null, null, null]);
  });
});
