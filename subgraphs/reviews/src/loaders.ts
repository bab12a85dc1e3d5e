import DataLoader from "dataloader";
import { Types } from "@fv/platform";
import { isObjectId } from "@fv/platform";
import { toReviewDocument, type Models, type ReviewDocument, type StoredReview } from "./db/review.js";
import { summarizeRatings, type RatingSummary } from "./review-rules.js";

interface RatingGroup {
  _id: { productId: string; rating: number };
  count: number;
}

/** One store round trip per request for the reviews, and one aggregation for the ratings, federation asks for. */
export function createLoaders({ Review }: Models) {
  return {
    review: new DataLoader<string, ReviewDocument | null>(async (ids) => {
      const valid = ids.filter(isObjectId).map((id) => new Types.ObjectId(id));
      const rows = valid.length ? await Review.find({ _id: { $in: valid } }).lean<StoredReview[]>() : [];
      const byId = new Map(rows.map((row) => [row._id.toHexString(), toReviewDocument(row)]));
      return ids.map((id) => byId.get(id.toLowerCase()) ?? null);
    }),
    rating: new DataLoader<string, RatingSummary>(async (productIds) => {
      const groups = await Review.aggregate<RatingGroup>([
        { $match: { productId: { $in: [...productIds] }, status: "PUBLISHED" } },
        { $group: { _id: { productId: "$productId", rating: "$rating" }, count: { $sum: 1 } } },
      ]);
      return productIds.map((productId) =>
        summarizeRatings(
          groups.filter((g) => g._id.productId === productId).map((g) => ({ rating: g._id.rating, count: g.count })),
        ),
      );
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
