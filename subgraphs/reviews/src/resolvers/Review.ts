import type { Caller } from "@fv/platform";
import type { ReviewDocument } from "../db/review.js";
import { canSeeModerationReason, canSeeReview } from "../review-rules.js";
import type { ReviewResolvers } from "../__generated__/resolvers-types.js";

/** The review if this caller may see it: hidden ones reach only their author and moderators. */
export const visibleTo = (caller: Caller, review: ReviewDocument | null) =>
  review && canSeeReview(review, caller) ? review : null;

export const Review: ReviewResolvers = {
  __resolveReference: async ({ id }, { loaders, caller }) => visibleTo(caller, await loaders.review.load(id)),
  product: (review) => ({ id: review.productId }),
  moderationReason: (review, _args, { caller }) =>
    canSeeModerationReason(review, caller) ? (review.moderation?.reason ?? null) : null,
};
