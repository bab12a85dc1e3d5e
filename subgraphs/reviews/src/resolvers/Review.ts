import type { ReviewDocument } from "../db/review.js";
import type { ReviewResolvers } from "../__generated__/resolvers-types.js";

/** Hidden reviews are nobody's business until staff moderation (with its own access) lands. */
export const publishedOnly = (review: ReviewDocument | null) => (review?.status === "PUBLISHED" ? review : null);

export const Review: ReviewResolvers = {
  __resolveReference: async ({ id }, { loaders }) => publishedOnly(await loaders.review.load(id)),
  product: (review) => ({ id: review.productId }),
};
