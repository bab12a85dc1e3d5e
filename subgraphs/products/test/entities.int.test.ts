import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEntities } from "@fv/platform/testing";
import { products, categories, occasions } from "../src/db/schema.js";
import { startProducts } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  ctx = await startProducts();
});
afterAll(() => ctx?.stop());

describe("_entities contract", () => {
  it("resolves Product references in order, null for unknown ids", async () => {
    const rows = await ctx.store.db.select().from(products).limit(2);
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Product", id: rows[1]!.id },
        { __typename: "Product", id: "00000000-0000-0000-0000-000000000000" },
        { __typename: "Product", id: rows[0]!.id },
        { __typename: "Product", id: "not-a-uuid" },
      ],
      `... on Product { id sku price }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: rows[1]!.id, sku: rows[1]!.sku, price: rows[1]!.price },
      null,
      { id: rows[0]!.id, sku: rows[0]!.sku, price: rows[0]!.price },
      null,
    ]);
  });

  it("resolves Category references", async () => {
    const [category] = await ctx.store.db.select().from(categories).limit(1);
    const res = await resolveEntities(
      ctx.url,
      [{ __typename: "Category", id: category!.id }],
      `... on Category { id slug name }`,
    );
    expect(res.data!._entities).toEqual([{ id: category!.id, slug: category!.slug, name: category!.name }]);
  });

  it("resolves Occasion references, null for unknown ids", async () => {
    const [occasion] = await ctx.store.db.select().from(occasions).limit(1);
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Occasion", id: occasion!.id },
        { __typename: "Occasion", id: "00000000-0000-0000-0000-000000000000" },
      ],
      `... on Occasion { id slug name }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([{ id: occasion!.id, slug: occasion!.slug, name: occasion!.name }, null]);
  });
});
