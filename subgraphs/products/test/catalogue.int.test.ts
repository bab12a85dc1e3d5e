import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import { categories, occasions, products } from "../src/db/schema.js";
import { IMAGE_BASE_URL, startProducts } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  ctx = await startProducts();
});
afterAll(() => ctx?.stop());

const LIST = /* GraphQL */ `
  query List($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
    products(filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
          slug
          name
          price
          featured
          active
          inStock
          availableQuantity
          colours
          flowerTypes
          createdAt
          category {
            slug
          }
          occasions {
            slug
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

interface Node {
  id: string;
  slug: string;
  name: string;
  price: number;
  featured: boolean;
  active: boolean;
  inStock: boolean;
  availableQuantity: number;
  colours: string[];
  flowerTypes: string[];
  createdAt: string;
  category: { slug: string };
  occasions: { slug: string }[];
}

async function list(variables: Record<string, unknown>, headers?: Record<string, string>) {
  const res = await graphql(ctx.url, LIST, { first: 100, ...variables }, headers);
  expect(res.errors).toBeUndefined();
  const connection = res.data!.products;
  return {
    total: connection.totalCount as number,
    nodes: connection.edges.map((e: { node: Node }) => e.node) as Node[],
  };
}

describe("seeded catalogue", () => {
  it("has at least 40 arrangements covering every category and occasion, with discounts and some sold out", async () => {
    const rows = await ctx.store.db.select().from(products);
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const row of rows) {
      expect(row.price).toBeGreaterThanOrEqual(12_990);
      expect(row.price).toBeLessThanOrEqual(89_990);
      expect(row.images.length).toBeGreaterThanOrEqual(2);
    }
    expect(rows.filter((r) => r.compareAtPrice !== null).length).toBeGreaterThan(3);
    expect(rows.filter((r) => r.stockOnHand === 0).length).toBeGreaterThan(2);
    const { nodes } = await list({});
    for (const category of await ctx.store.db.select().from(categories))
      expect(nodes.some((n) => n.category.slug === category.slug)).toBe(true);
    for (const occasion of await ctx.store.db.select().from(occasions))
      expect(nodes.some((n) => n.occasions.some((o) => o.slug === occasion.slug))).toBe(true);
  });

  it("serves images under the configured base URL and counts active products per category and occasion", async () => {
    const res = await graphql(
      ctx.url,
      `
        query {
          productBySlug(slug: "ramo-rosas-rojas") {
            images {
              url
              alt
            }
            discountPercent
            size
            careInstructions
            extras
          }
          categories {
            slug
            productCount
          }
          occasions {
            slug
            name
            productCount
          }
        }
      `,
    );
    expect(res.errors).toBeUndefined();
    const product = res.data!.productBySlug;
    expect(product.images[0]).toEqual({
      url: `${IMAGE_BASE_URL}/ramo-rosas-rojas/1.jpg`,
      alt: "Ramo de 12 rosas rojas, vista 1",
    });
    expect(product.discountPercent).toBe(14);
    expect(product.size).toBe("MEDIUM");
    expect(product.careInstructions).not.toBe("");
    const ramos = await ctx.store.db
      .select()
      .from(products)
      .innerJoin(categories, eq(categories.id, products.categoryId))
      .where(eq(categories.slug, "ramos"));
    expect(res.data!.categories.find((c: { slug: string }) => c.slug === "ramos").productCount).toBe(
      ramos.filter((r) => r.products.active).length,
    );
    expect(res.data!.occasions.find((o: { slug: string }) => o.slug === "condolencias").productCount).toBeGreaterThan(
      3,
    );
  });
});

describe("filters", () => {
  it("by category", async () => {
    const { nodes, total } = await list({ filter: { categorySlug: "coronas" } });
    expect(nodes.length).toBeGreaterThan(0);
    expect(total).toBe(nodes.length);
    expect(nodes.every((n) => n.category.slug === "coronas")).toBe(true);
  });

  it("by occasion", async () => {
    const { nodes } = await list({ filter: { occasionSlug: "nacimiento" } });
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.occasions.some((o) => o.slug === "nacimiento"))).toBe(true);
  });

  it("by colour and flower type, ignoring case", async () => {
    const white = await list({ filter: { colour: "Blanco" } });
    expect(white.nodes.length).toBeGreaterThan(0);
    expect(white.nodes.every((n) => n.colours.includes("blanco"))).toBe(true);
    const orchids = await list({ filter: { flowerType: "orquidea" } });
    expect(orchids.nodes.length).toBeGreaterThan(0);
    expect(orchids.nodes.every((n) => n.flowerTypes.includes("orquidea"))).toBe(true);
  });

  it("by price range", async () => {
    const { nodes } = await list({ filter: { minPrice: 30_000, maxPrice: 45_000 } });
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.price >= 30_000 && n.price <= 45_000)).toBe(true);
    const all = await list({});
    expect(nodes.length).toBe(all.nodes.filter((n) => n.price >= 30_000 && n.price <= 45_000).length);
  });

  it("by featured and by stock", async () => {
    const featured = await list({ filter: { featured: true } });
    expect(featured.nodes.length).toBeGreaterThan(0);
    expect(featured.nodes.every((n) => n.featured)).toBe(true);
    const inStock = await list({ filter: { inStock: true } });
    const soldOut = await list({ filter: { inStock: false } });
    expect(inStock.nodes.every((n) => n.inStock && n.availableQuantity > 0)).toBe(true);
    expect(soldOut.nodes.length).toBeGreaterThan(0);
    expect(soldOut.nodes.every((n) => !n.inStock && n.availableQuantity === 0)).toBe(true);
  });

  it("combines filters", async () => {
    const { nodes } = await list({ filter: { categorySlug: "ramos", colour: "rojo", inStock: true } });
    expect(nodes.map((n) => n.slug).sort()).toEqual(["ramo-24-rosas-rojas", "ramo-rosas-rojas"]);
  });

  it("rejects an inverted price range, naming the argument", async () => {
    const res = await graphql(ctx.url, LIST, { filter: { minPrice: 50_000, maxPrice: 10_000 } });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toContain("filter.maxPrice");
  });
});

describe("search", () => {
  it("ignores accents: cumpleanos finds cumpleaños", async () => {
    const { nodes } = await list({ filter: { search: "cumpleanos" } });
    expect(nodes.map((n) => n.slug)).toContain("ramo-tulipanes-primavera");
    const accented = await list({ filter: { search: "CUMPLEAÑOS" } });
    expect(accented.nodes.map((n) => n.slug)).toEqual(nodes.map((n) => n.slug));
  });

  it("matches stems: rosa finds Rosas rojas, ranked by relevance (name before description)", async () => {
    const { nodes } = await list({ filter: { search: "rosa" } });
    expect(nodes.map((n) => n.slug)).toContain("ramo-rosas-rojas");
    // Names weigh more than descriptions: a product named for roses ranks above one that only mentions them.
    const named = nodes.findIndex((n) => n.slug === "ramo-rosas-rojas");
    const mentioned = nodes.findIndex((n) => n.slug === "arreglo-lirios-blancos");
    expect(mentioned).toBeGreaterThan(named);
    expect(nodes.some((n) => n.slug === "suculentas-trio")).toBe(false);
  });

  it("finds accented words typed without accents and the other way round", async () => {
    const orquidea = await list({ filter: { search: "orquidea" } });
    expect(orquidea.nodes.map((n) => n.slug)).toContain("orquidea-phalaenopsis-morada");
    const peonias = await list({ filter: { search: "peonías" } });
    expect(peonias.nodes.map((n) => n.slug)).toContain("ramo-peonias-temporada");
  });

  it("uses the GIN index on the generated search column", async () => {
    const indexes = await ctx.store.db.execute(
      sql`select indexdef from pg_indexes where tablename = 'products' and indexname = 'products_search_idx'`,
    );
    expect(JSON.stringify(indexes)).toContain("USING gin (search)");
  });

  it("rejects RELEVANCE without a search, naming the argument", async () => {
    const res = await graphql(ctx.url, LIST, { sort: "RELEVANCE" });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toContain('"sort"');
  });
});

describe("sorts", () => {
  it("by price up and down", async () => {
    const up = (await list({ sort: "PRICE_ASC" })).nodes.map((n) => n.price);
    const down = (await list({ sort: "PRICE_DESC" })).nodes.map((n) => n.price);
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(down).toEqual([...up].sort((a, b) => b - a));
  });

  it("newest first by default", async () => {
    const dates = (await list({})).nodes.map((n) => Date.parse(n.createdAt));
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it("refuses a cursor issued for another sort", async () => {
    const page = await graphql(ctx.url, LIST, { first: 2, sort: "PRICE_ASC" });
    const res = await graphql(ctx.url, LIST, {
      first: 2,
      sort: "NEWEST",
      after: page.data!.products.pageInfo.endCursor,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toContain('"after"');
  });
});

describe("paging while the catalogue changes", () => {
  for (const sort of ["NEWEST", "PRICE_ASC", "PRICE_DESC", "RELEVANCE"] as const) {
    it(`${sort}: no duplicates or gaps when products are inserted between pages`, async () => {
      const filter = sort === "RELEVANCE" ? { search: "rosa" } : {};
      const before = await list({ filter, sort });
      const [category] = await ctx.store.db.select().from(categories).limit(1);
      const seen: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 100; page++) {
        const res: GraphQLResponse<any> = await graphql(ctx.url, LIST, { filter, sort, first: 4, after });
        expect(res.errors).toBeUndefined();
        seen.push(...res.data!.products.edges.map((e: { node: Node }) => e.node.id));
        // Products arrive between pages: cheapest, dearest, newest, and matching the search.
        const tag = `${sort.toLowerCase().replace("_", "-")}-${page}`;
        await ctx.store.db.insert(products).values({
          slug: `insertado-${tag}`,
          sku: `INS${String(page).padStart(3, "0")}${sort.length}`
            .slice(0, 8)
            .toUpperCase()
            .replace(/[^A-Z0-9]/g, "X"),
          name: `Rosa insertada ${tag}`,
          description: "Rosa añadida durante la paginación.",
          price: page % 2 ? 1 : 999_999,
          categoryId: category!.id,
          stockOnHand: 1,
        });
        if (!res.data!.products.pageInfo.hasNextPage) break;
        after = res.data!.products.pageInfo.endCursor;
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const node of before.nodes) expect(seen).toContain(node.id);
      await ctx.store.db.delete(products).where(eq(products.description, "Rosa añadida durante la paginación."));
    });
  }
});

describe("inactive products", () => {
  it("are invisible to anonymous callers and customers, visible to staff with products:view_inactive", async () => {
    const [hidden] = await ctx.store.db
      .update(products)
      .set({ active: false })
      .where(eq(products.slug, "bonsai-ficus"))
      .returning();
    const query = `query ($id: ID!) { product(id: $id) { id active } productBySlug(slug: "bonsai-ficus") { id } }`;
    const anonymous = await graphql(ctx.url, query, { id: hidden!.id });
    expect(anonymous.data).toEqual({ product: null, productBySlug: null });
    const customer = await graphql(ctx.url, query, { id: hidden!.id }, await ctx.as("customer"));
    expect(customer.data).toEqual({ product: null, productBySlug: null });
    const florist = await graphql(ctx.url, query, { id: hidden!.id }, await ctx.as("florist"));
    expect(florist.data).toEqual({ product: { id: hidden!.id, active: false }, productBySlug: { id: hidden!.id } });

    const customerList = await list({ filter: { includeInactive: true } }, await ctx.as("customer"));
    expect(customerList.nodes.map((n) => n.id)).not.toContain(hidden!.id);
    const staffList = await list({ filter: { includeInactive: true } }, await ctx.as("florist"));
    expect(staffList.nodes.map((n) => n.id)).toContain(hidden!.id);
    await ctx.store.db.update(products).set({ active: true }).where(eq(products.id, hidden!.id));
  });
});
