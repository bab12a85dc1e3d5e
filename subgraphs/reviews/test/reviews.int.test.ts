import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startReviews } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startReviews>>;
beforeAll(async () => {
  ctx = await startReviews();
});
afterAll(() => ctx?.stop());
// The service's mongoose: the platform's copy, which need not be the one this package resolves.
const serviceMongoose = () => ctx.store.connection.base;
afterEach(() => {
  serviceMongoose().set("debug", false);
});

const CREATE = /* GraphQL */ `
  mutation ($input: CreateReviewInput!) {
    createReview(input: $input) {
      review {
        id
        product {
          id
        }
        authorName
        rating
        title
        comment
        verifiedPurchase
        status
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
const REVIEW = `query ($id: ID!) { review(id: $id) { id rating title } }`;

const input = (overrides: Record<string, unknown> = {}) => ({
  productId: randomUUID(),
  authorName: "Camila R.",
  rating: 5,
  title: "Precioso",
  comment: "Llegó a tiempo y muy fresco.",
  ...overrides,
});

/** Submits a review signed in as `authorId` (a new customer unless given). */
async function create(values: Record<string, unknown>, authorId: string = randomUUID()) {
  const res = await graphql(ctx.url, CREATE, { input: values }, await ctx.signIn(authorId));
  expect(res.errors).toBeUndefined();
  return res.data!.createReview;
}

const stored = (filter: Record<string, unknown> = {}) => ctx.store.models.Review.find(filter).lean();

describe("createReview and review", () => {
  it("stores a published review by the signed-in customer, readable by id by anyone", async () => {
    const values = input({ title: "  <b>Precioso</b>  ", comment: "Línea 1\nLínea 2" });
    const authorId = randomUUID();
    const payload = await create(values, authorId);
    expect(payload.errors).toEqual([]);
    expect(payload.review).toMatchObject({
      product: { id: values.productId },
      authorName: "Camila R.",
      rating: 5,
      title: "<b>Precioso</b>",
      comment: "Línea 1\nLínea 2",
      verifiedPurchase: false,
      status: "PUBLISHED",
    });
    const [row] = await stored({ productId: values.productId });
    expect(row).toMatchObject({ authorId, title: "<b>Precioso</b>", status: "PUBLISHED" });
    expect(row!._id.toHexString()).toBe(payload.review.id);

    const read = await graphql(ctx.url, REVIEW, { id: payload.review.id });
    expect(read.data!.review).toEqual({ id: payload.review.id, rating: 5, title: "<b>Precioso</b>" });
  });

  it("refuses a second review of the same product by the same customer, even concurrent ones", async () => {
    const values = input();
    const authorId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => create({ ...values, rating: 1 + (i % 5) }, authorId)),
    );
    expect(results.filter((r) => r.review !== null)).toHaveLength(1);
    for (const refused of results.filter((r) => r.review === null)) {
      expect(refused.errors).toEqual([
        { field: ["input", "productId"], code: "ALREADY_REVIEWED", message: expect.any(String) },
      ]);
    }
    expect(await stored({ productId: values.productId })).toHaveLength(1);
    // Another customer may still review it.
    expect((await create(values)).errors).toEqual([]);
  });

  it("names every wrong field and stores nothing", async () => {
    const before = await ctx.store.models.Review.countDocuments();
    const payload = await create(
      input({ productId: "x y", rating: 6, authorName: " ", title: "t".repeat(121), comment: "hola\u0007" }),
    );
    expect(payload.review).toBeNull();
    expect(payload.errors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`)).toEqual([
      "input.productId:INVALID_ID",
      "input.rating:INVALID_RATING",
      "input.authorName:REQUIRED",
      "input.title:TOO_LONG",
      "input.comment:INVALID_CHARACTERS",
    ]);
    expect(await ctx.store.models.Review.countDocuments()).toBe(before);
  });

  it("answers null for malformed, unknown and hidden review ids", async () => {
    const hidden = await create(input());
    await ctx.store.models.Review.updateOne({ _id: hidden.review.id }, { status: "HIDDEN" });
    for (const id of ["not-an-id", "0123456789abcdef01234567", hidden.review.id]) {
      const res = await graphql(ctx.url, REVIEW, { id });
      expect(res.errors).toBeUndefined();
      expect(res.data!.review).toBeNull();
    }
  });
});

const PRODUCT_REVIEWS = `
  ... on Product {
    id
    reviews(first: $first, after: $after) {
      totalCount
      edges { cursor node { id rating } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
`;

async function productReviews(productId: string, first: number, after: string | null) {
  return graphql(
    ctx.url,
    `query ($representations: [_Any!]!, $first: Int, $after: String) {
      _entities(representations: $representations) { ${PRODUCT_REVIEWS} }
    }`,
    { representations: [{ __typename: "Product", id: productId }], first, after },
  );
}

describe("Product.reviews and Product.rating", () => {
  it("pages through published reviews newest first, without repeats", async () => {
    const productId = randomUUID();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(input({ productId, rating: 1 + i }))).review.id);
    await ctx.store.models.Review.updateOne({ _id: ids[2] }, { status: "HIDDEN" });
    const published = ids.filter((_, i) => i !== 2).reverse();

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const res = await productReviews(productId, 2, after);
      expect(res.errors).toBeUndefined();
      const connection = (res.data!._entities[0] as any).reviews;
      expect(connection.totalCount).toBe(4);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...connection.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(published);
  });

  it("rejects a malformed cursor and a page over 100, naming the argument", async () => {
    const badCursor = await productReviews(randomUUID(), 2, "bm90LWEtY3Vyc29y");
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badCursor.errors?.[0]?.message).toContain('"after"');
    const tooMany = await productReviews(randomUUID(), 101, null);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("rates three products right with one aggregation, counting published reviews only", async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    for (const rating of [5, 4, 5]) await create(input({ productId: a, rating }));
    for (const rating of [1, 2]) await create(input({ productId: b, rating }));
    const hidden = await create(input({ productId: b, rating: 5 }));
    await ctx.store.models.Review.updateOne({ _id: hidden.review.id }, { status: "HIDDEN" });

    const aggregations: string[] = [];
    serviceMongoose().set("debug", (collection: string, method: string) => {
      if (method === "aggregate") aggregations.push(collection);
    });
    const res = await resolveEntities(
      ctx.url,
      [a, b, c].map((id) => ({ __typename: "Product", id })),
      `... on Product { id rating { average count distribution } }`,
    );
    serviceMongoose().set("debug", false);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: a, rating: { average: 4.7, count: 3, distribution: [0, 0, 0, 1, 2] } },
      { id: b, rating: { average: 1.5, count: 2, distribution: [1, 1, 0, 0, 0] } },
      { id: c, rating: { average: null, count: 0, distribution: [0, 0, 0, 0, 0] } },
    ]);
    expect(aggregations).toEqual(["reviews"]);
  });
});
