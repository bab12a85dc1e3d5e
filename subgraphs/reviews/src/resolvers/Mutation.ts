import { isObjectId, requirePermission, requireUser, userError, type UserError } from "@fv/platform";
import { isDuplicateKeyError } from "@fv/platform";
import { toReviewDocument, type StoredReview } from "../db/review.js";
import { purchaseKey } from "../db/purchase.js";
import { applyReviewUpdate, checkReferenceId, validateModeration, validateReview } from "../review-rules.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

const inInput = (error: UserError): UserError => ({ ...error, field: ["input", ...(error.field ?? [])] });
const notFound = (field: string[]) => userError(field, "NOT_FOUND", "no review of yours has this id");

export const Mutation: MutationResolvers = {
  // verifiedPurchase comes from the deliveries orders' events recorded. authorName still comes from the input:
  // the users subgraph owns people's names, and this subgraph has no copy of them yet.
  // Every write that can move a product's published rating goes through ratings.publishAfter, which
  // announces the new rating to the catalogue (reviews.rating_changed) without ever losing it.
  createReview: async (_parent, { input }, { models, caller, ratings }) => {
    const authorId = requireUser(caller).userId;
    const { value, errors } = validateReview(input);
    const idError = checkReferenceId("productId", input.productId);
    const all = [...(idError ? [idError] : []), ...errors].map(inInput);
    if (all.length) return { review: null, errors: all };
    try {
      const review = await ratings.publishAfter(input.productId, async () =>
        (await models.Review.create({ productId: input.productId, authorId, ...value })).toObject(),
      );
      // Checked after the insert: a delivery recorded meanwhile has marked it, or is seen here.
      if (await models.DeliveredPurchase.exists({ _id: purchaseKey(authorId, input.productId) })) {
        await models.Review.updateOne({ _id: review._id }, { $set: { verifiedPurchase: true } });
        review.verifiedPurchase = true;
      }
      return { review: toReviewDocument(review), errors: [] };
    } catch (error) {
      // The only unique index besides _id is (productId, authorId).
      if (!isDuplicateKeyError(error)) throw error;
      return {
        review: null,
        errors: [userError(["input", "productId"], "ALREADY_REVIEWED", "you have already reviewed this product")],
      };
    }
  },
  // Someone else's review is "not found" to its non-author: an edit must not reveal that it exists.
  updateMyReview: async (_parent, { input }, { models, caller, ratings }) => {
    const authorId = requireUser(caller).userId;
    const current = isObjectId(input.id)
      ? await models.Review.findOne({ _id: input.id, authorId }).lean<StoredReview>()
      : null;
    if (!current) return { review: null, errors: [notFound(["input", "id"])] };
    const { id: _id, ...update } = input;
    const { value, errors } = applyReviewUpdate(current, update);
    if (errors.length) return { review: null, errors: errors.map(inInput) };
    const write = () =>
      models.Review.findOneAndUpdate(
        { _id: current._id, authorId },
        { $set: value },
        { returnDocument: "after" },
      ).lean<StoredReview>();
    // Only the stars count in the rating: a new title or comment announces nothing.
    const updated =
      value.rating === current.rating ? await write() : await ratings.publishAfter(current.productId, write);
    if (!updated) return { review: null, errors: [notFound(["input", "id"])] };
    return { review: toReviewDocument(updated), errors: [] };
  },
  deleteMyReview: async (_parent, { id }, { models, caller, ratings }) => {
    const authorId = requireUser(caller).userId;
    const review = isObjectId(id) ? await models.Review.findOne({ _id: id, authorId }).lean<StoredReview>() : null;
    if (!review) return { deletedId: null, errors: [notFound(["id"])] };
    const deleted = await ratings.publishAfter(review.productId, () => models.Review.deleteOne({ _id: id, authorId }));
    if (deleted.deletedCount !== 1) return { deletedId: null, errors: [notFound(["id"])] };
    return { deletedId: id, errors: [] };
  },
  moderateReview: async (_parent, { id, status, reason }, { models, caller, ratings }) => {
    const moderator = requirePermission(caller, "reviews:moderate");
    const { reason: text, errors } = validateModeration(status, reason);
    if (errors.length) return { review: null, errors };
    const review = isObjectId(id) ? await models.Review.findOne({ _id: id }).lean<StoredReview>() : null;
    const updated = review
      ? await ratings.publishAfter(review.productId, () =>
          models.Review.findOneAndUpdate(
            { _id: id },
            { $set: { status, moderation: { reason: text, moderatedBy: moderator.userId, moderatedAt: new Date() } } },
            { returnDocument: "after" },
          ).lean<StoredReview>(),
        )
      : null;
    if (!updated) return { review: null, errors: [userError(["id"], "NOT_FOUND", "no review has this id")] };
    return { review: toReviewDocument(updated), errors: [] };
  },
};
