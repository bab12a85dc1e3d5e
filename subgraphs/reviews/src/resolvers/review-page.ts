import { decodeCursor, isObjectId, pageSize, toConnection, Types } from "@fv/platform";
import { toReviewDocument, type Models, type StoredReview } from "../db/review.js";

/** [createdAt ISO, review id]: the sort key, with the id breaking ties within a millisecond. */
type ReviewCursor = [string, string];
const isReviewCursor = (v: unknown): v is ReviewCursor =>
  Array.isArray(v) &&
  v.length === 2 &&
  typeof v[0] === "string" &&
  !Number.isNaN(Date.parse(v[0])) &&
  typeof v[1] === "string" &&
  isObjectId(v[1]);

/** One page of the reviews matching `match`, newest first; `totalCount` counts them all. */
export async function reviewPage(
  models: Models,
  match: Record<string, unknown>,
  { first, after }: { first?: number | null; after?: string | null },
  totalCount: () => Promise<number>,
) {
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
  const [rows, total] = await Promise.all([
    models.Review.find({ ...match, ...afterCursor })
      .sort({ createdAt: -1, _id: -1 })
      .limit(size + 1)
      .lean<StoredReview[]>(),
    totalCount(),
  ]);
  return toConnection(
    rows.map(toReviewDocument),
    size,
    (review) => [review.createdAt.toISOString(), review.id],
    cursor !== null,
    total,
  );
}
