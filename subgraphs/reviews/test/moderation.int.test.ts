import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startReviews } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startReviews>>;
let moderator: Record<string, string>;
beforeAll(async () => {
  ctx = await startReviews();
  moderator = await ctx.signIn(randomUUID(), "support");
});
afterAll(() => ctx?.stop());

const CREATE = `mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id } errors { code } } }`;
const MODERATE = `mutation ($id: ID!, $status: ReviewStatus!, $reason: String) {
  moderateReview(id: $id, status: $status, reason: $reason) {
    review { id status moderationReason }
    errors { field code message }
  }
}`;
const UPDATE = `mutation ($input: UpdateMyReviewInput!) {
  updateMyReview(input: $input) { review { id rating title comment authorName } errors { field code } }
}`;
const DELETE = `mutation ($id: ID!) { deleteMyReview(id: $id) { deletedId errors { field code } } }`;
const READ = `query ($id: ID!) { review(id: $id) { id status moderationReason } }`;

async function create(productId: string, rating: number, authorId = randomUUID()) {
  const res = await graphql(
    ctx.url,
    CREATE,
    { input: { productId, authorName: "Ana", rating, title: "Título", comment: "Comentario" } },
    await ctx.signIn(authorId),
  );
  return res.data!.createReview.review.id as string;
}

async function rating(productId: string) {
  const res = await resolveEntities(
    ctx.url,
    [{ __typename: "Product", id: productId }],
    `... on Product { rating { average count distribution } reviews { totalCount edges { node { id } } } }`,
  );
  expect(res.errors).toBeUndefined();
  const product = res.data!._entities[0] as {
    rating: { average: number | null; count: number; distribution: number[] };
    reviews: { totalCount: number; edges: { node: { id: string } }[] };
  };
  return { ...product.rating, listed: product.reviews.edges.map((e) => e.node.id), total: product.reviews.totalCount };
}

describe("moderateReview", () => {
  it("hides a review with a reason: it leaves the rating and the list, and only its author and moderators see it", async () => {
    const productId = randomUUID();
    const authorId = randomUUID();
    const hiddenId = await create(productId, 1, authorId);
    const keptId = await create(productId, 5);
    expect(await rating(productId)).toMatchObject({ average: 3, count: 2, total: 2 });

    const res = await graphql(
      ctx.url,
      MODERATE,
      { id: hiddenId, status: "HIDDEN", reason: " Lenguaje ofensivo " },
      moderator,
    );
    expect(res.data!.moderateReview).toEqual({
      review: { id: hiddenId, status: "HIDDEN", moderationReason: "Lenguaje ofensivo" },
      errors: [],
    });
    expect(await rating(productId)).toEqual({
      average: 5,
      count: 1,
      distribution: [0, 0, 0, 0, 1],
      listed: [keptId],
      total: 1,
    });
    const row = await ctx.store.models.Review.findById(hiddenId).lean();
    expect(row).toMatchObject({ status: "HIDDEN", moderation: { reason: "Lenguaje ofensivo" } });

    const asAnonymous = await graphql(ctx.url, READ, { id: hiddenId });
    expect(asAnonymous.data!.review).toBeNull();
    const asOther = await graphql(ctx.url, READ, { id: hiddenId }, await ctx.signIn());
    expect(asOther.data!.review).toBeNull();
    const asAuthor = await graphql(ctx.url, READ, { id: hiddenId }, await ctx.signIn(authorId));
    expect(asAuthor.data!.review).toEqual({ id: hiddenId, status: "HIDDEN", moderationReason: "Lenguaje ofensivo" });
    const entity = await resolveEntities(ctx.url, [{ __typename: "Review", id: hiddenId }], `... on Review { id }`);
    expect(entity.data!._entities).toEqual([null]);

    // Published again, it counts again.
    const back = await graphql(ctx.url, MODERATE, { id: hiddenId, status: "PUBLISHED" }, moderator);
    expect(back.data!.moderateReview.errors).toEqual([]);
    expect(await rating(productId)).toMatchObject({ average: 3, count: 2, total: 2 });
  });

  it("needs a reason to hide, and a moderator; changes nothing otherwise", async () => {
    const productId = randomUUID();
    const id = await create(productId, 4);
    const noReason = await graphql(ctx.url, MODERATE, { id, status: "HIDDEN", reason: "  " }, moderator);
    expect(noReason.data!.moderateReview.errors).toEqual([
      { field: ["reason"], code: "REASON_REQUIRED", message: "hiding a review needs a reason" },
    ]);
    const unknown = await graphql(
      ctx.url,
      MODERATE,
      { id: "0123456789abcdef01234567", status: "HIDDEN", reason: "x" },
      moderator,
    );
    expect(unknown.data!.moderateReview.errors.map((e: { code: string }) => e.code)).toEqual(["NOT_FOUND"]);
    for (const [as, code] of [
      [{}, "UNAUTHENTICATED"],
      [await ctx.signIn(), "FORBIDDEN"],
      [await ctx.signIn(undefined, "florist"), "FORBIDDEN"],
    ] as const) {
      const res = await graphql(ctx.url, MODERATE, { id, status: "HIDDEN", reason: "spam" }, as);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    }
    expect(await ctx.store.models.Review.findById(id).lean()).toMatchObject({ status: "PUBLISHED", moderation: null });
  });
});

describe("updateMyReview and deleteMyReview", () => {
  it("lets the author edit, the rating following; null clears the title, absent fields stay", async () => {
    const productId = randomUUID();
    const authorId = randomUUID();
    const id = await create(productId, 2, authorId);
    await create(productId, 4);
    const res = await graphql(ctx.url, UPDATE, { input: { id, rating: 5, title: null } }, await ctx.signIn(authorId));
    expect(res.data!.updateMyReview).toEqual({
      review: { id, rating: 5, title: null, comment: "Comentario", authorName: "Ana" },
      errors: [],
    });
    expect(await ctx.store.models.Review.findById(id).lean()).toMatchObject({
      rating: 5,
      title: null,
      comment: "Comentario",
    });
    expect(await rating(productId)).toMatchObject({ average: 4.5, count: 2, distribution: [0, 0, 0, 1, 1] });
  });

  it("refuses another customer's edit or delete as not found, and bad input, changing nothing", async () => {
    const productId = randomUUID();
    const authorId = randomUUID();
    const id = await create(productId, 3, authorId);
    const other = await ctx.signIn();
    const edit = await graphql(ctx.url, UPDATE, { input: { id, rating: 1 } }, other);
    expect(edit.data!.updateMyReview.errors).toEqual([{ field: ["input", "id"], code: "NOT_FOUND" }]);
    const del = await graphql(ctx.url, DELETE, { id }, other);
    expect(del.data!.deleteMyReview).toEqual({ deletedId: null, errors: [{ field: ["id"], code: "NOT_FOUND" }] });
    const bad = await graphql(
      ctx.url,
      UPDATE,
      { input: { id, rating: 9, comment: "x\u0000" } },
      await ctx.signIn(authorId),
    );
    expect(bad.data!.updateMyReview.errors).toEqual([
      { field: ["input", "rating"], code: "INVALID_RATING" },
      { field: ["input", "comment"], code: "INVALID_CHARACTERS" },
    ]);
    const anonymous = await graphql(ctx.url, DELETE, { id });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(await ctx.store.models.Review.findById(id).lean()).toMatchObject({ rating: 3, comment: "Comentario" });
  });

  it("lets the author delete: the review leaves the rating, and the customer may review the product again", async () => {
    const productId = randomUUID();
    const authorId = randomUUID();
    const id = await create(productId, 1, authorId);
    await create(productId, 5);
    const res = await graphql(ctx.url, DELETE, { id }, await ctx.signIn(authorId));
    expect(res.data!.deleteMyReview).toEqual({ deletedId: id, errors: [] });
    expect(await ctx.store.models.Review.findById(id).lean()).toBeNull();
    expect(await rating(productId)).toMatchObject({ average: 5, count: 1, total: 1 });
    expect(await create(productId, 4, authorId)).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe("User.reviews", () => {
  const USER_REVIEWS = `... on User { id reviews(first: 10) { totalCount edges { node { id status } } } }`;

  it("lists a customer's own reviews, hidden ones too, newest first, to them and to moderators", async () => {
    const authorId = randomUUID();
    const first = await create(randomUUID(), 4, authorId);
    const second = await create(randomUUID(), 2, authorId);
    await create(randomUUID(), 3);
    await graphql(ctx.url, MODERATE, { id: first, status: "HIDDEN", reason: "spam" }, moderator);
    const expected = [
      {
        id: authorId,
        reviews: {
          totalCount: 2,
          edges: [{ node: { id: second, status: "PUBLISHED" } }, { node: { id: first, status: "HIDDEN" } }],
        },
      },
    ];
    for (const as of [await ctx.signIn(authorId), moderator]) {
      const res = await resolveEntities(ctx.url, [{ __typename: "User", id: authorId }], USER_REVIEWS, as);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities).toEqual(expected);
    }
  });

  it("refuses another customer and an anonymous caller", async () => {
    const authorId = randomUUID();
    await create(randomUUID(), 4, authorId);
    for (const [as, code] of [
      [await ctx.signIn(), "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      const res = await resolveEntities(ctx.url, [{ __typename: "User", id: authorId }], USER_REVIEWS, as);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(JSON.stringify(res.data ?? null)).not.toContain("PUBLISHED");
    }
  });
});
