import { userError, type UserError } from "@fv/platform";
import { isDuplicateKeyError } from "@fv/platform";
import { toReviewDocument } from "../db/review.js";
import { checkReferenceId, validateReview } from "../review-rules.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const inInput = (error: UserError): UserError => ({ ...error, field: ["input", ...(error.field ?? [])] });

export const Mutation: MutationResolvers = {
  // The author becomes the signed-in customer, and verifiedPurchase is derived, when auth and
  // orders are wired in; until then the caller names the author.
  createReview: async (_parent, { input }, { models }) => {
    const { value, errors } = validateReview(input);
    const idErrors = [checkReferenceId("productId", input.productId), checkReferenceId("authorId", input.authorId)];
    const all = [...idErrors.filter((e): e is UserError => e !== null), ...errors].map(inInput);
    if (all.length) return { review: null, errors: all };
    try {
      const review = await models.Review.create({ productId: input.productId, authorId: input.authorId, ...value });
      return { review: toReviewDocument(review.toObject()), errors: [] };
    } catch (error) {
      // The only unique index besides _id is (productId, authorId).
      if (!isDuplicateKeyError(error)) throw error;
      return {
        review: null,
        errors: [userError(["input", "productId"], "ALREADY_REVIEWED", "you have already reviewed this product")],
      };
    }
  },
};
