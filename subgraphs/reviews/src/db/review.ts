import { Schema, type MongoConnection, type Types } from "@fv/platform";
import { createPurchaseModels } from "./purchase.js";
import { createRatingOutboxModels } from "./rating-outbox.js";
import {
  AUTHOR_NAME_MAX,
  COMMENT_MAX,
  RATING_MAX,
  RATING_MIN,
  TITLE_MAX,
  type RatingSummary,
} from "../review-rules.js";

export type { RatingSummary };

export const REVIEW_STATUSES = ["PUBLISHED", "HIDDEN"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export interface Moderation {
  reason: string | null;
  moderatedBy: string;
  moderatedAt: Date;
}

export interface StoredReview {
  _id: Types.ObjectId;
  productId: string;
  authorId: string;
  authorName: string;
  rating: number;
  title: string | null;
  comment: string | null;
  status: ReviewStatus;
  verifiedPurchase: boolean;
  /** The last moderation decision; null until staff moderate the review. */
  moderation: Moderation | null;
  createdAt: Date;
  updatedAt: Date;
}

// The resolvers validate first (review-rules.ts); these constraints only keep the collection sane.
const reviewSchema = new Schema<StoredReview>(
  {
    productId: { type: String, required: true },
    authorId: { type: String, required: true },
    authorName: { type: String, required: true, maxlength: AUTHOR_NAME_MAX },
    rating: { type: Number, required: true, min: RATING_MIN, max: RATING_MAX, validate: Number.isInteger },
    title: { type: String, default: null, maxlength: TITLE_MAX },
    comment: { type: String, default: null, maxlength: COMMENT_MAX },
    status: { type: String, enum: REVIEW_STATUSES, required: true, default: "PUBLISHED" },
    verifiedPurchase: { type: Boolean, required: true, default: false },
    moderation: {
      type: new Schema<Moderation>(
        {
          reason: { type: String, default: null },
          moderatedBy: { type: String, required: true },
          moderatedAt: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
  },
  { collection: "reviews", timestamps: true, versionKey: false, autoIndex: false },
);
// One review per customer per product, decided by the store even between concurrent submits.
reviewSchema.index({ productId: 1, authorId: 1 }, { unique: true });
reviewSchema.index({ productId: 1, status: 1, createdAt: -1 });
reviewSchema.index({ authorId: 1, createdAt: -1 });

export function createModels(connection: MongoConnection) {
  return {
    Review: connection.model<StoredReview>("Review", reviewSchema),
    ...createPurchaseModels(connection),
    ...createRatingOutboxModels(connection),
  };
}

export type Models = ReturnType<typeof createModels>;

/** GraphQL mapper types: plain objects, not mongoose documents. */
export type ReviewDocument = Omit<StoredReview, "_id"> & { id: string };

export interface ProductReference {
  id: string;
}

export interface UserReference {
  id: string;
}

export const toReviewDocument = ({ _id, ...review }: StoredReview): ReviewDocument => ({
  id: _id.toHexString(),
  ...review,
});
