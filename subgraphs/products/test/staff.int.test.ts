import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { categories, occasions, productOccasions, products, stockAdjustments } from "../src/db/schema.js";
import { startProducts } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  ctx = await startProducts();
});
afterAll(() => ctx?.stop());

const PAYLOAD = `errors { field code message }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) { product { id name price compareAtPrice discountPercent colours occasions { slug } category { slug } } ${PAYLOAD} } }`;
const ACTIVE = `mutation ($id: ID!, $active: Boolean!) { setProductActive(id: $id, active: $active) { product { id active } ${PAYLOAD} } }`;
const ADJUST = `mutation ($productId: ID!, $delta: Int!, $reason: String!) {
  adjustStock(productId: $productId, delta: $delta, reason: $reason) { product { id stockOnHand availableQuantity } ${PAYLOAD} } }`;
const CREATE_CATEGORY = `mutation ($input: TaxonomyInput!) { createCategory(input: $input) { category { id slug name productCount } ${PAYLOAD} } }`;
const UPDATE_OCCASION = `mutation ($id: ID!, $input: TaxonomyInput!) { updateOccasion(id: $id, input: $input) { occasion { id slug name } ${PAYLOAD} } }`;
const CREATE_OCCASION = `mutation ($input: TaxonomyInput!) { createOccasion(input: $input) { occasion { id slug } ${PAYLOAD} } }`;

async function product(slug: string) {
  const [row] = await ctx.store.db.select().from(products).where(eq(products.slug, slug));
  return row!;
}

describe("permissions", () => {
  it("staff mutations need the right permission: anonymous UNAUTHENTICATED, others FORBIDDEN", async () => {
    const p = await product("ramo-rosas-rojas");
    const cases: [string, Record<string, unknown>][] = [
      [
        `mutation ($input: CreateProductInput!) { createProduct(input: $input) { ${PAYLOAD} } }`,
        {
          input: {
            slug: "nuevo-ramo",
            sku: "NUE001",
            name: "Nuevo",
            description: "Nuevo ramo.",
            price: 19_990,
            categorySlug: "ramos",
          },
        },
      ],
      [UPDATE, { id: p.id, input: { name: "x" } }],
      [ACTIVE, { id: p.id, active: false }],
      [ADJUST, { productId: p.id, delta: 5, reason: "recuento" }],
      [CREATE_CATEGORY, { input: { slug: "nueva", name: "Nueva" } }],
      [CREATE_OCCASION, { input: { slug: "nueva", name: "Nueva" } }],
    ];
    for (const [mutation, variables] of cases) {
      const anonymous = await graphql(ctx.url, mutation, variables);
      expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      for (const role of ["customer", "florist", "support"] as const) {
        const res = await graphql(ctx.url, mutation, variables, await ctx.as(role));
        expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      }
    }
    expect(await product("ramo-rosas-rojas")).toEqual(p);
    expect(await ctx.store.db.select().from(categories).where(eq(categories.slug, "nueva"))).toEqual([]);
    expect(await ctx.store.db.select().from(products).where(eq(products.slug, "nuevo-ramo"))).toEqual([]);
    expect(await ctx.store.db.select().from(stockAdjustments)).toEqual([]);
  });
});

describe("updateProduct", () => {
  it("changes only the given fields, occasions included", async () => {
    const p = await product("arreglo-tropical");
    const res = await graphql(
      ctx.url,
      UPDATE,
      {
        id: p.id,
        input: { price: 49_990, compareAtPrice: 59_990, colours: ["Naranjo", "ROJO"], occasionSlugs: ["amor"] },
      },
      await ctx.as("manager"),
    );
    expect(res.data!.updateProduct).toEqual({
      product: {
        id: p.id,
        name: p.name,
        price: 49_990,
        compareAtPrice: 59_990,
        discountPercent: 16,
        colours: ["naranjo", "rojo"],
        occasions: [{ slug: "amor" }],
        category: { slug: "arreglos" },
      },
      errors: [],
    });
    const links = await ctx.store.db.select().from(productOccasions).where(eq(productOccasions.productId, p.id));
    expect(links).toHaveLength(1);
  });

  it("returns a UserError per wrong field and changes nothing", async () => {
    const p = await product("caja-rosas-rosadas");
    const res = await graphql(
      ctx.url,
      UPDATE,
      {
        id: p.id,
        input: { slug: "ramo-rosas-rojas", sku: "RAM001", price: -5, categorySlug: "nada", occasionSlugs: ["nunca"] },
      },
      await ctx.as("admin"),
    );
    const codes = res.data!.updateProduct.errors.map(
      (e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`,
    );
    expect(codes).toEqual(
      expect.arrayContaining([
        "input.slug:SLUG_TAKEN",
        "input.sku:SKU_TAKEN",
        "input.price:INVALID_PRICE",
        "input.categorySlug:UNKNOWN_CATEGORY",
        "input.occasionSlugs:UNKNOWN_OCCASION",
      ]),
    );
    expect(await product("caja-rosas-rosadas")).toEqual(p);
  });

  it("an unknown product is a UserError on id", async () => {
    const res = await graphql(
      ctx.url,
      UPDATE,
      { id: "00000000-0000-0000-0000-000000000000", input: { name: "x" } },
      await ctx.as("manager"),
    );
    expect(res.data!.updateProduct.errors[0]).toMatchObject({ field: ["id"], code: "NOT_FOUND" });
  });
});

describe("setProductActive", () => {
  it("deactivates and reactivates", async () => {
    const p = await product("caja-mini-corazon");
    const off = await graphql(ctx.url, ACTIVE, { id: p.id, active: false }, await ctx.as("manager"));
    expect(off.data!.setProductActive.product).toEqual({ id: p.id, active: false });
    expect((await product(p.slug)).active).toBe(false);
    const on = await graphql(ctx.url, ACTIVE, { id: p.id, active: true }, await ctx.as("manager"));
    expect(on.data!.setProductActive.product.active).toBe(true);
  });
});

describe("adjustStock", () => {
  it("records who, when, delta and reason", async () => {
    const p = await product("anturio-rojo");
    const staffId = "7d0f3a3e-8f7c-4d58-9a41-1b7c1b4f3a10";
    const res = await graphql(
      ctx.url,
      ADJUST,
      { productId: p.id, delta: -3, reason: "Flores dañadas en bodega" },
      await ctx.as("manager", staffId),
    );
    expect(res.data!.adjustStock.product).toEqual({
      id: p.id,
      stockOnHand: p.stockOnHand - 3,
      availableQuantity: p.stockOnHand - 3,
    });
    const [entry] = await ctx.store.db.select().from(stockAdjustments).where(eq(stockAdjustments.productId, p.id));
    expect(entry).toMatchObject({
      delta: -3,
      reason: "Flores dañadas en bodega",
      adjustedBy: staffId,
      stockAfter: p.stockOnHand - 3,
    });
    expect(entry!.createdAt).toBeInstanceOf(Date);
  });

  it("refuses to go below zero, and a zero delta or missing reason, naming the field, recording nothing", async () => {
    const p = await product("bonsai-ficus");
    const headers = await ctx.as("admin");
    const below = await graphql(
      ctx.url,
      ADJUST,
      { productId: p.id, delta: -(p.stockOnHand + 1), reason: "recuento" },
      headers,
    );
    expect(below.data!.adjustStock.errors[0]).toMatchObject({ field: ["delta"], code: "INSUFFICIENT_STOCK" });
    const zero = await graphql(ctx.url, ADJUST, { productId: p.id, delta: 0, reason: "" }, headers);
    expect(zero.data!.adjustStock.errors.map((e: { field: string[] }) => e.field[0])).toEqual(["delta", "reason"]);
    expect(await product(p.slug)).toEqual(p);
    expect(await ctx.store.db.select().from(stockAdjustments).where(eq(stockAdjustments.productId, p.id))).toEqual([]);
  });
});

describe("categories and occasions", () => {
  it("creates a category and renames an occasion; a taken or malformed slug is a UserError", async () => {
    const headers = await ctx.as("manager");
    const created = await graphql(
      ctx.url,
      CREATE_CATEGORY,
      { input: { slug: "terrarios", name: "Terrarios" } },
      headers,
    );
    expect(created.data!.createCategory.category).toMatchObject({
      slug: "terrarios",
      name: "Terrarios",
      productCount: 0,
    });
    const taken = await graphql(ctx.url, CREATE_CATEGORY, { input: { slug: "ramos", name: "Otra" } }, headers);
    expect(taken.data!.createCategory.errors[0]).toMatchObject({ field: ["input", "slug"], code: "SLUG_TAKEN" });
    const bad = await graphql(ctx.url, CREATE_CATEGORY, { input: { slug: "Con Espacios", name: " " } }, headers);
    expect(bad.data!.createCategory.errors.map((e: { code: string }) => e.code)).toEqual(["INVALID_SLUG", "REQUIRED"]);
    expect(await ctx.store.db.select().from(categories).where(eq(categories.name, "Otra"))).toEqual([]);

    const [occasion] = await ctx.store.db.select().from(occasions).where(eq(occasions.slug, "graduacion"));
    const renamed = await graphql(
      ctx.url,
      UPDATE_OCCASION,
      { id: occasion!.id, input: { slug: "graduacion", name: "Titulación" } },
      headers,
    );
    expect(renamed.data!.updateOccasion.occasion).toEqual({ id: occasion!.id, slug: "graduacion", name: "Titulación" });
  });
});

describe("createProduct with the full description", () => {
  it("stores occasions, labels, images and size", async () => {
    const res = await graphql(
      ctx.url,
      `mutation ($input: CreateProductInput!) {
        createProduct(input: $input) {
          product { slug size colours flowerTypes extras images { url alt } occasions { slug } availableQuantity inStock }
          ${PAYLOAD}
        }
      }`,
      {
        input: {
          slug: "ramo-calas-blancas",
          sku: "RAM120",
          name: "Ramo de calas blancas",
          description: "Calas blancas elegantes.",
          price: 33_990,
          categorySlug: "ramos",
          occasionSlugs: ["aniversario", "condolencias"],
          colours: ["Blanco"],
          flowerTypes: ["cala"],
          size: "LARGE",
          extras: ["Tarjeta dedicada"],
          images: [{ path: "ramo-calas-blancas/1.jpg", alt: "Calas blancas" }],
          stockOnHand: 4,
        },
      },
      await ctx.as("manager"),
    );
    expect(res.data!.createProduct).toEqual({
      product: {
        slug: "ramo-calas-blancas",
        size: "LARGE",
        colours: ["blanco"],
        flowerTypes: ["cala"],
        extras: ["Tarjeta dedicada"],
        images: [{ url: "https://img.test/fv/ramo-calas-blancas/1.jpg", alt: "Calas blancas" }],
        occasions: [{ slug: "aniversario" }, { slug: "condolencias" }],
        availableQuantity: 4,
        inStock: true,
      },
      errors: [],
    });
  });
});
