import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEntities } from "@fv/platform/testing";
import { addresses, users } from "../src/db/schema.js";
import { startUsers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startUsers>>;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

describe("_entities contract", () => {
  it("resolves User references in order with their addresses, null for unknown ids", async () => {
    const [ana, beto] = await ctx.store.db
      .insert(users)
      .values([
        { name: "Ana Díaz", email: "ana@example.cl", phone: "+56911112222" },
        { name: "Beto Soto", email: "beto@example.cl", role: "delivery" },
      ])
      .returning();
    const [home] = await ctx.store.db
      .insert(addresses)
      .values({ userId: ana!.id, label: "Casa", street: "Vitacura 5000", commune: "Vitacura", isDefault: true })
      .returning();

    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "User", id: beto!.id },
        { __typename: "User", id: "00000000-0000-0000-0000-000000000000" },
        { __typename: "User", id: ana!.id },
        { __typename: "User", id: "not-a-uuid" },
      ],
      `... on User { id name email phone role createdAt addresses { id label street commune notes isDefault } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      {
        id: beto!.id,
        name: "Beto Soto",
        email: "beto@example.cl",
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
        phone: "+56911112222",
        role: "CUSTOMER",
        createdAt: ana!.createdAt.toISOString(),
        addresses: [
          { id: home!.id, label: "Casa", street: "Vitacura 5000", commune: "Vitacura", notes: null, isDefault: true },
        ],
      },
      null,
    ]);
  });
});
