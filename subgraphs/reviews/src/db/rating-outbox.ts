import { Schema, type MongoConnection, type Types } from "@fv/platform";

/**
 * "This product's rating may have changed and must be announced": one document per review write,
 * inserted before the write (ratings.ts). Deleted once a snapshot computed after the write is on
 * the stream; until then the relay finds it.
 */
export interface RatingOutboxEntry {
  _id: Types.ObjectId;
  productId: string;
  createdAt: Date;
}

const ratingOutboxSchema = new Schema<RatingOutboxEntry>(
  {
    productId: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: "rating_outbox", versionKey: false, autoIndex: false },
);
ratingOutboxSchema.index({ createdAt: 1 });

export const createRatingOutboxModels = (connection: MongoConnection) => ({
  RatingOutbox: connection.model<RatingOutboxEntry>("RatingOutbox", ratingOutboxSchema),
});
