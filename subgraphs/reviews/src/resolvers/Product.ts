import { Types } from "@fv/platform";
import { decodeCursor, pageSize, toConnection } from "@fv/platform";
import { toReviewDocument, type StoredReview } from "../db/review.js";
import { isObjectId } from "@fv/platform";
import type { ProductResolvers } from "../__generated__/resolvers-types.js";

/** [createdAt ISO, review id]: the sort key, with the id breaking ties within a millisecond. */
type ReviewCursor = [string, string];
const isReviewCursor = (v: unknown): v is ReviewCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  isObjectId(v[1]);

export const Product: ProductResolvers = {
  // Any product id is a product to this subgraph: one without reviews has an empty rating.
  __resolveReference: ({ id }) => ({ id }),
  rating: (product, _args, { loaders }) => loaders.rating.load(product.id),
  reviews: async (product, { first, after }, { models, loaders }) => {
    const size = pageSize(first);
    const cursor = after ? decodeCursor(after, isReviewCursor) : null;
    const afterCursor = cursor
      ? {
          $or: [
            { createdAt: { $lt: new Date(cursor[0]) } },
            { createdAt: new Date(cursor[0]), _id: { $lt: new Types.ObjectId(cursor[1]) } },
          ],
        }
      : {};
    const [rows, rating] = await Promise.all([
      models.Review.find({ productId: product.id, status: "PUBLISHED", ...afterCursor })
        .sort({ createdAt: -1, _id: -1 })
        .limit(size + 1)
        .lean<StoredReview[]>(),
      // The rating counts exactly the published reviews, and is batched across products.
      loaders.rating.load(product.id),
    ]);
    return toConnection(
      rows.map(toReviewDocument),
      size,
      (review) => [review.createdAt.toISOString(), review.id],
      cursor !== null,
      rating.count,
    );
  },
};
