import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, type SQL } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import { products } from "../src/db/schema.js";
import { startProducts } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  ctx = await startProducts();
});
afterAll(() => ctx?.stop());

async function countProducts(where?: SQL) {
  const [row] = await ctx.store.db.select({ n: count() }).from(products).where(where);
  return row!.n;
}

const PRODUCTS = /* GraphQL */ `
  query Products($first: Int, $after: String) {
    products(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          slug
          sku
          name
          price
          compareAtPrice
          discountPercent
          inStock
          category {
            slug
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

describe("products query", () => {
  it("pages through the active catalogue with cursors, newest first, without repeats", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 100; page++) {
      const res: GraphQLResponse<any> = await graphql(ctx.url, PRODUCTS, { first: 3, after });
      expect(res.errors).toBeUndefined();
      const connection = res.data!.products;
      total = connection.totalCount;
      seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    const n = await countProducts(eq(products.active, true));
    expect(total).toBe(n);
    expect(seen).toHaveLength(n);
    expect(new Set(seen).size).toBe(n);
  });

  it("hides inactive products from the storefront", async () => {
    const first = await graphql(ctx.url, PRODUCTS, { first: 1 });
    const hidden = first.data!.products.edges[0].node;
    await ctx.store.db.update(products).set({ active: false }).where(eq(products.id, hidden.id));
    const after = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          product(id: $id) {
            id
          }
        }
      `,
      { id: hidden.id },
    );
    expect(after.data!.product).toBeNull();
    const list = await graphql(ctx.url, PRODUCTS, { first: 100 });
    expect(list.data!.products.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(hidden.id);
    await ctx.store.db.update(products).set({ active: true }).where(eq(products.id, hidden.id));
  });

  it("rejects a page larger than 100 and a malformed cursor, naming the argument", async () => {
    const tooMany = await graphql(ctx.url, PRODUCTS, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toContain('"first"');
    const badCursor = await graphql(ctx.url, PRODUCTS, { first: 5, after: "not-a-cursor" });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badCursor.errors?.[0]?.message).toContain('"after"');
  });
});

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateProductInput!) {
    createProduct(input: $input) {
      product {
        id
        slug
        sku
        price
        discountPercent
        category {
          slug
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

const validInput = {
  slug: "ramo-peonias-rosadas",
  sku: "RAM099",
  name: "Ramo de peonías rosadas",
  description: "Peonías rosadas de temporada.",
  price: 49_990,
  compareAtPrice: 59_990,
  categorySlug: "ramos",
  stockOnHand: 3,
};

describe("createProduct", () => {
  it("stores the product and returns it, readable by slug afterwards", async () => {
    const res = await graphql(ctx.url, CREATE, { input: validInput }, await ctx.as("manager"));
    expect(res.data!.createProduct.errors).toEqual([]);
    expect(res.data!.createProduct.product).toMatchObject({
      slug: validInput.slug,
      sku: "RAM099",
      price: 49_990,
      discountPercent: 16,
      category: { slug: "ramos" },
    });
    const read = await graphql(
      ctx.url,
      `
        query {
          productBySlug(slug: "ramo-peonias-rosadas") {
            id
            name
          }
        }
      `,
    );
    expect(read.data!.productBySlug).toEqual({ id: res.data!.createProduct.product.id, name: validInput.name });
  });

  it("returns a UserError per wrong field and stores nothing", async () => {
    const before = await countProducts();
    const res = await graphql(
      ctx.url,
      CREATE,
      { input: { ...validInput, slug: "ramo-rosas-rojas", sku: "bad", price: -1, categorySlug: "no-existe" } },
      await ctx.as("manager"),
    );
    const payload = res.data!.createProduct;
    expect(payload.product).toBeNull();
    const codes = payload.errors.map((e: { code: string; field: string[] }) => `${e.field.join(".")}:${e.code}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        "input.slug:SLUG_TAKEN",
        "input.sku:INVALID_SKU",
        "input.price:INVALID_PRICE",
        "input.categorySlug:UNKNOWN_CATEGORY",
      ]),
    );
    const after = await countProducts();
    expect(after).toBe(before);
  });
});
