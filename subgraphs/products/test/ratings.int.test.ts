import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import { newEvent } from "@fv/platform";
import { categories, products } from "../src/db/schema.js";
import { RATING_CHANGED, type RatingChanged } from "../src/ratings.js";
import { startProducts } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  ctx = await startProducts();
});
afterAll(() => ctx?.stop());

const LIST = /* GraphQL */ `
  query List($sort: ProductSort, $first: Int, $after: String) {
    products(sort: $sort, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          slug
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const stored = async (id: string) => {
  const [row] = await ctx.store.db
    .select({ average: products.ratingAverage, count: products.ratingCount, computedAt: products.ratingComputedAt })
    .from(products)
    .where(eq(products.id, id));
  return row!;
};

const productIds = async (limit: number) =>
  (await ctx.store.db.select({ id: products.id }).from(products).orderBy(products.slug).limit(limit)).map((r) => r.id);

const rating = (productId: string, average: number | null, count: number, computedAt: Date): RatingChanged => ({
  productId,
  average,
  count,
  computedAt: computedAt.toISOString(),
});

/** Publishes rating events and waits until the last one (a marker on another product) has been handled. */
async function deliver(...events: { type?: string; data: unknown }[]) {
  const [marker] = await ctx.store.db
    .select({ id: products.id })
    .from(products)
    .where(eq(products.slug, "bonsai-ficus"));
  const markerAt = new Date();
  for (const event of events) await ctx.publishReviewsEvent(newEvent(event.type ?? RATING_CHANGED, event.data));
  await ctx.publishReviewsEvent(newEvent(RATING_CHANGED, rating(marker!.id, 1, 1, markerAt)));
  // The consumer handles a stream in order: once the marker is stored, everything before it was handled.
  await expect
    .poll(async () => (await stored(marker!.id)).computedAt?.getTime(), { timeout: 10_000 })
    .toBe(markerAt.getTime());
}

describe("the rating copy kept from reviews.rating_changed", () => {
  it("stores the snapshot of a product's rating", async () => {
    const [id] = await productIds(1);
    const at = new Date();
    await deliver({ data: rating(id!, 4.5, 12, at) });
    expect(await stored(id!)).toEqual({ average: "4.50", count: 12, computedAt: at });
  });

  it("ignores a snapshot older than the one held, and the same one redelivered, in whatever order they come", async () => {
    const [, id] = await productIds(2);
    const older = new Date(Date.now() - 60_000);
    const newer = new Date();
    await deliver({ data: rating(id!, 3, 2, newer) }, { data: rating(id!, 5, 1, older) });
    expect(await stored(id!)).toEqual({ average: "3.00", count: 2, computedAt: newer });
    // The same snapshot again (at-least-once delivery) changes nothing, even with other figures.
    await deliver({ data: rating(id!, 1, 9, newer) });
    expect(await stored(id!)).toEqual({ average: "3.00", count: 2, computedAt: newer });
    // A newer one applies, including back to "no published reviews".
    const latest = new Date(newer.getTime() + 1);
    await deliver({ data: rating(id!, null, 0, latest) });
    expect(await stored(id!)).toEqual({ average: "0.00", count: 0, computedAt: latest });
  });

  it("skips malformed events, unknown products and other event types without stopping", async () => {
    const [, , id] = await productIds(3);
    const before = await stored(id!);
    const at = new Date();
    await deliver(
      { data: { productId: id, average: 9, count: 1, computedAt: at.toISOString() } },
      { data: { productId: "not-a-uuid", average: 4, count: 1, computedAt: at.toISOString() } },
      { data: rating(id!, 4, -1, at) },
      { data: rating(randomUUID(), 4, 1, at) },
      { type: "reviews.something_else", data: rating(id!, 2, 2, at) },
    );
    expect(await stored(id!)).toEqual(before);
    // The consumer went on: a valid event after them applies.
    await deliver({ data: rating(id!, 2.5, 4, new Date()) });
    expect((await stored(id!)).average).toBe("2.50");
  });
});

describe("products(sort: RATING)", () => {
  /** Gives every active product a rating from a few values, so ties on average and on count both occur. */
  async function rateAll() {
    const ids = (await ctx.store.db.select({ id: products.id }).from(products).orderBy(products.id)).map((r) => r.id);
    const at = new Date();
    await Promise.all(
      ids.map((id, i) =>
        ctx.store.db
          .update(products)
          .set({
            ratingAverage: ["4.50", "3.00", "0", "4.50", "5.00"][i % 5]!,
            ratingCount: i % 5 === 2 ? 0 : [7, 3, 7, 12][i % 4]!,
            ratingComputedAt: at,
          })
          .where(eq(products.id, id)),
      ),
    );
  }

  const expectedOrder = async () =>
    (
      await ctx.store.db
        .select({ id: products.id })
        .from(products)
        .where(eq(products.active, true))
        .orderBy(sql`${products.ratingAverage} desc, ${products.ratingCount} desc, ${products.id} desc`)
    ).map((r) => r.id);

  it("lists the best rated first, then the most reviewed, products without reviews last, in pages", async () => {
    await rateAll();
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 50; page++) {
      const res: GraphQLResponse<any> = await graphql(ctx.url, LIST, { sort: "RATING", first: 7, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.products.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!res.data!.products.pageInfo.hasNextPage) break;
      after = res.data!.products.pageInfo.endCursor;
    }
    expect(seen).toEqual(await expectedOrder());
    const rows = await Promise.all(seen.map(stored));
    const keys = rows.map((r) => [Number(r.average), r.count]);
    expect(keys[0]).toEqual([5, 12]);
    expect(keys.at(-1)![0]).toBe(0);
  });

  it("a rating event moves a product in the listing", async () => {
    await rateAll();
    const last = (await expectedOrder()).at(-1)!;
    await deliver({ data: rating(last, 5, 500, new Date(Date.now() + 1_000)) });
    const res = await graphql(ctx.url, LIST, { sort: "RATING", first: 1 });
    expect(res.data!.products.edges[0].node.id).toBe(last);
  });

  it("pages with no duplicates or gaps while products are inserted between pages", async () => {
    await rateAll();
    const before = await expectedOrder();
    const [category] = await ctx.store.db.select().from(categories).limit(1);
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const res: GraphQLResponse<any> = await graphql(ctx.url, LIST, { sort: "RATING", first: 4, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data!.products.edges.map((e: { node: { id: string } }) => e.node.id));
      // Best rated, tied with listed ones, and unrated products arrive between pages.
      await ctx.store.db.insert(products).values({
        slug: `valorado-${page}`,
        sku: `VAL${String(page).padStart(3, "0")}`,
        name: `Ramo valorado ${page}`,
        description: "Producto añadido durante la paginación por valoración.",
        price: 19_990,
        categoryId: category!.id,
        ratingAverage: ["5.00", "4.50", "0"][page % 3]!,
        ratingCount: [999, 7, 0][page % 3]!,
      });
      if (!res.data!.products.pageInfo.hasNextPage) break;
      after = res.data!.products.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of before) expect(seen).toContain(id);
    await ctx.store.db
      .delete(products)
      .where(eq(products.description, "Producto añadido durante la paginación por valoración."));
  });

  it("refuses a cursor of another sort or a forged rating key, naming the argument", async () => {
    const page = await graphql(ctx.url, LIST, { sort: "PRICE_ASC", first: 1 });
    const foreign = await graphql(ctx.url, LIST, {
      sort: "RATING",
      after: page.data!.products.pageInfo.endCursor,
    });
    expect(foreign.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(foreign.errors?.[0]?.message).toContain('"after"');
    const forged = Buffer.from(JSON.stringify(["RATING", "5; drop table products", randomUUID()])).toString(
      "base64url",
    );
    const res = await graphql(ctx.url, LIST, { sort: "RATING", after: forged });
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});
