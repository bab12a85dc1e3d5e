import { requireUser, userError, type UserError } from "@fv/platform";
import { isDuplicateKeyError } from "@fv/platform";
import { toReviewDocument } from "../db/review.js";
import { checkReferenceId, validateReview } from "../review-rules.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const inInput = (error: UserError): UserError => ({ ...error, field: ["input", ...(error.field ?? [])] });

export const Mutation: MutationResolvers = {
  // verifiedPurchase is derived once orders are wired in. authorName still comes from the input:
  // the users subgraph owns people's names, and this subgraph has no copy of them yet.
  createReview: async (_parent, { input }, { models, caller }) => {
    const authorId = requireUser(caller).userId;
    const { value, errors } = validateReview(input);
    const idError = checkReferenceId("productId", input.productId);
    const all = [...(idError ? [idError] : []), ...errors].map(inInput);
    if (all.length) return { review: null, errors: all };
    try {
      const review = await models.Review.create({ productId: input.productId, authorId, ...value });
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
